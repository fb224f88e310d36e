// How smoothly the Trade screen draws under load: the built renderer in Chromium against a fake
// node (a tiny WebSocket server speaking the wire frames of src-shared/api/wire.ts) with 5,000
// orders changing all the time, a trade every 500 ms and 100,000 candles. Frame times are the
// deltas between requestAnimationFrame callbacks. Writes bench/results/ui-render.json.
//   npx node bench/ui-render.bench.ts            (builds dist/renderer first if it is missing)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type Params,
  type Result,
} from '../src-shared/api/contract.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../src-shared/api/client.ts';
import type { CallFrame, EventFrame, ReplyFrame } from '../src-shared/api/wire.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist', 'renderer');
const TOKEN = 'bench-token-0123456789abcdef';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

type OrderView = Result<'orders.get'>;
type TradeView = Result<'history.fills'>[number];
type Candle = Result<'history.candles'>['candles'][number];
export type Handlers = { [M in MethodName]?: (params: Params<M>) => Result<M> | Promise<Result<M>> };

// ------------------------------------------------------------------ canned market data

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same market. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer units of 1e-8 as a decimal string (the fake's own data; the UI never parses floats). */
export function units8(u: number): string {
  const whole = Math.floor(u / 1e8);
  const frac = String(u % 1e8)
    .padStart(8, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

const MID = 25_000_000; // 0.25 DEVB per DEVA
const INTERVAL_MS: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

export class FakeMarket {
  readonly base = 'DEVA';
  readonly quote = 'DEVB';
  readonly orders = new Map<string, OrderView>();
  /** Price, remaining and quote amount of each order in integer units of 1e-8. */
  readonly #units = new Map<string, { price: number; amount: number; quote: number }>();
  readonly trades: TradeView[] = [];
  readonly #rand: () => number;
  readonly #candles = new Map<string, Candle[]>();
  readonly #candleCount: number;
  #seq = 0;
  last = MID;

  constructor(opts: { orders: number; candles: number; seed?: number; mine?: number }) {
    this.#rand = random(opts.seed ?? 7);
    this.#candleCount = opts.candles;
    for (let i = 0; i < opts.orders; i++) this.addOrder(i < (opts.mine ?? 0));
    for (let i = 0; i < 40; i++) this.trade(Date.now() - (40 - i) * 45_000);
  }

  #id(): string {
    return (++this.#seq).toString(16).padStart(64, '0');
  }

  addOrder(mine = false, side: 'buy' | 'sell' = this.#rand() < 0.5 ? 'buy' : 'sell'): OrderView {
    const distance = Math.floor(this.#rand() ** 2 * 2_000_000) + 10_000;
    const price = side === 'sell' ? MID + distance : MID - distance;
    const amount = Math.floor(this.#rand() * 5e8) + 1e7;
    const now = Date.now();
    const o: OrderView = {
      id: this.#id(),
      base: this.base,
      quote: this.quote,
      side,
      kind: 'limit',
      state: 'open',
      price: units8(Math.floor(price / 1000) * 1000),
      baseAmount: units8(amount),
      quoteAmount: units8(Math.floor((amount * price) / 1e8)),
      filledBase: '0',
      remainingBase: units8(amount),
      partial:
        this.#rand() < 0.5
          ? { allowed: true, minBase: units8(Math.floor(amount / 4)) }
          : { allowed: false, minBase: units8(amount) },
      mine,
      makerPeerId: mine
        ? '12D3KooWMineMineMineMineMineMineMineMineMine'
        : '12D3KooWPeerPeerPeerPeerPeerPeerPeerPeerPeer',
      swapIds: [],
      createdAt: now,
      updatedAt: now,
      expiresAt: now + 3_600_000,
    };
    this.orders.set(o.id, o);
    this.#units.set(o.id, {
      price: Math.floor(price / 1000) * 1000,
      amount,
      quote: Math.floor((amount * price) / 1e8),
    });
    return o;
  }

  /** Replace `n` random orders (a busy network: orders expire, get taken, new ones arrive). */
  churn(n: number): OrderView[] {
    const ids = [...this.orders.keys()];
    const changed: OrderView[] = [];
    for (let i = 0; i < n && ids.length > 0; i++) {
      const id = ids[Math.floor(this.#rand() * ids.length)];
      const old = id === undefined ? undefined : this.orders.get(id);
      if (!old || old.mine) continue;
      this.orders.delete(old.id);
      this.#units.delete(old.id);
      changed.push({ ...old, state: 'expired', updatedAt: Date.now() }, this.addOrder(false, old.side));
    }
    return changed;
  }

  trade(time = Date.now()): TradeView {
    this.last = Math.max(1_000_000, this.last + Math.round((this.#rand() - 0.5) * 100_000));
    const amount = Math.floor(this.#rand() * 2e8) + 1e6;
    const t: TradeView = {
      id: `trade-${++this.#seq}`,
      base: this.base,
      quote: this.quote,
      side: this.#rand() < 0.5 ? 'buy' : 'sell',
      price: units8(this.last),
      baseAmount: units8(amount),
      quoteAmount: units8(Math.floor((amount * this.last) / 1e8)),
      time,
      orderId: this.#id(),
      mine: false,
      txids: [],
      verified: 'yes',
    };
    this.trades.unshift(t);
    if (this.trades.length > 500) this.trades.pop();
    return t;
  }

  book(detail: 1 | 2 | 3, depth: number): Result<'orders.book'> {
    const side = (s: 'buy' | 'sell') => {
      const byPrice = new Map<
        string,
        { units: number; amount: number; total: number; count: number; mine: boolean; orders: OrderView[] }
      >();
      for (const o of this.orders.values()) {
        if (o.side !== s || o.state !== 'open') continue;
        const u = this.#units.get(o.id);
        if (!u) continue;
        const l = byPrice.get(o.price) ?? { units: u.price, amount: 0, total: 0, count: 0, mine: false, orders: [] };
        l.amount += u.amount;
        l.total += u.quote;
        l.count += 1;
        l.mine ||= o.mine;
        l.orders.push(o);
        byPrice.set(o.price, l);
      }
      const levels = [...byPrice.entries()]
        .sort((a, b) => (s === 'sell' ? a[1].units - b[1].units : b[1].units - a[1].units))
        .slice(0, detail === 1 ? 1 : depth);
      let cumulative = 0;
      return levels.map(([price, l]) => {
        cumulative += l.amount;
        return {
          level: {
            price,
            amount: units8(l.amount),
            total: units8(l.total),
            cumulative: units8(cumulative),
            count: l.count,
            mine: l.mine,
          },
          orders: l.orders,
        };
      });
    };
    const asks = side('sell');
    const bids = side('buy');
    return {
      base: this.base,
      quote: this.quote,
      detail,
      asks: asks.map((l) => l.level),
      bids: bids.map((l) => l.level),
      updatedAt: Date.now(),
      ...(detail === 3 ? { orders: [...asks, ...bids].flatMap((l) => l.orders) } : {}),
    };
  }

  candles(interval: string): Candle[] {
    const cached = this.#candles.get(interval);
    if (cached) return cached;
    const step = INTERVAL_MS[interval] ?? 3_600_000;
    const rand = random(11);
    const end = Math.floor(Date.now() / step) * step;
    const out: Candle[] = [];
    // Walked backwards from the current price, so the chart ends where the market is.
    let price = this.last;
    for (let i = 0; i < this.#candleCount; i++) {
      const close = price;
      const open = Math.max(1_000_000, close + Math.round((rand() - 0.5) * 400_000));
      const high = Math.max(open, close) + Math.round(rand() * 150_000);
      const low = Math.max(500_000, Math.min(open, close) - Math.round(rand() * 150_000));
      const volume = Math.floor(rand() * 50e8) + 1e7;
      out.push({
        time: end - i * step,
        open: units8(open),
        high: units8(high),
        low: units8(low),
        close: units8(close),
        volumeBase: units8(volume),
        volumeQuote: units8(Math.floor((volume * close) / 1e8)),
        trades: 1 + Math.floor(rand() * 20),
      });
      price = open;
    }
    out.reverse();
    this.#candles.set(interval, out);
    return out;
  }

  stats(): Result<'history.candles'>['stats'] {
    return {
      last: units8(this.last),
      change24h: '1.84',
      high24h: units8(this.last + 600_000),
      low24h: units8(this.last - 900_000),
      volumeBase24h: '15234.5',
      volumeQuote24h: '3808.625',
    };
  }
}

/** Every method the renderer calls at start and on the Trade screen, answered from a FakeMarket. */
export function marketHandlers(m: FakeMarket): Handlers {
  const zero = { spendable: '0', unconfirmed: '0', locked: '0' };
  let settings: Result<'settings.get'> = {
    confirmations: { DEVA: 1, DEVB: 1 },
    feePreference: 'normal',
    theme: 'dark',
    numberFormat: { groupSeparator: ',', decimalSeparator: '.' },
    notifications: { muted: false },
  };
  return {
    'vault.status': () => ({ state: 'unlocked' }),
    'node.info': () => ({
      version: '0.1.0',
      network: 'devnet',
      role: 'trader',
      peerId: '12D3KooWMineMineMineMineMineMineMineMineMine',
      uptimeSec: 3600,
    }),
    'coins.list': () => [
      { ticker: 'DEVA', name: 'Devnet A', network: 'regtest', decimals: 8, blockTimeSec: 60, defaultConfirmations: 1 },
      { ticker: 'DEVB', name: 'Devnet B', network: 'regtest', decimals: 8, blockTimeSec: 60, defaultConfirmations: 1 },
    ],
    'wallets.list': () => [
      {
        ticker: 'DEVA',
        name: 'Devnet A',
        status: 'connected',
        balance: { spendable: '125.5', unconfirmed: '0', locked: '2' },
      },
      {
        ticker: 'DEVB',
        name: 'Devnet B',
        status: 'connected',
        balance: { spendable: '40.25', unconfirmed: '0', locked: '0' },
      },
    ],
    'p2p.peers': () => [],
    'p2p.info': () => ({ peerId: '12D3KooWMineMineMineMineMineMineMineMineMine', listenAddrs: [] }),
    'swaps.list': () => [],
    'settings.get': () => settings,
    'settings.set': (p) => {
      settings = {
        ...settings,
        ...p,
        confirmations: { ...settings.confirmations, ...p.confirmations },
      } as Result<'settings.get'>;
      return settings;
    },
    'orders.markets': () => [
      { base: 'DEVA', quote: 'DEVB', bothWalletsConnected: true, orders: m.orders.size, last: units8(m.last) },
      { base: 'DEVA', quote: 'DEVC', bothWalletsConnected: false, orders: 0, last: null },
    ],
    'wallets.balances': () => ({
      DEVA: { spendable: '125.5', unconfirmed: '0', locked: '2' },
      DEVB: { spendable: '40.25', unconfirmed: '0', locked: '0' },
      DEVC: zero,
    }),
    'orders.book': (p) => m.book(p.detail ?? 2, p.depth ?? 50),
    'history.candles': (p) => {
      const all = m.candles(p.interval);
      const from = p.from ?? -Infinity;
      return {
        candles: from === -Infinity ? all : all.filter((c) => c.time >= from - (INTERVAL_MS[p.interval] ?? 0)),
        stats: m.stats(),
      };
    },
    'history.fills': (p) => (p.mine ? m.trades.filter((t) => t.mine) : m.trades).slice(0, p.limit ?? 200),
    'orders.mine': (p) => [...m.orders.values()].filter((o) => o.mine && (p.includeClosed || o.state === 'open')),
  };
}

// ------------------------------------------------------------------ the fake node's server

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface FakeNode {
  url: string;
  emit<E extends EventName>(event: E, data: EventPayload<E>): void;
  close(): Promise<void>;
}

/** Serves dist/renderer and answers the wire protocol from `handlers`; results are checked against the contract. */
export async function startFakeNode(
  handlers: Handlers,
  opts: { port?: number; staticDir?: string } = {},
): Promise<FakeNode> {
  const dir = opts.staticDir ?? DIST;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/rpc') {
      res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401).end('{}');
      return;
    }
    const file = path.join(dir, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    server,
    path: '/api/ws',
    handleProtocols: (p) => (p.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('connection', (ws, req) => {
    if (!String(req.headers['sec-websocket-protocol'] ?? '').includes(WS_TOKEN_PREFIX + TOKEN))
      return ws.close(1008, 'token');
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (raw) => {
      const call = JSON.parse(String(raw)) as CallFrame;
      const name = call.method as MethodName;
      const handler = handlers[name] as ((p: unknown) => unknown) | undefined;
      let reply: ReplyFrame;
      try {
        if (!handler) throw Object.assign(new Error(`fake node: no ${call.method}`), { code: 'METHOD_NOT_FOUND' });
        const result = await handler(call.params);
        const checked = methods[name].result.safeParse(result);
        if (!checked.success)
          throw new Error(`fake node: ${name} result breaks the contract: ${checked.error.message}`);
        reply = { id: call.id, ok: true, result };
      } catch (err) {
        const e = err as Error & { code?: string };
        reply = { id: call.id, ok: false, error: { code: (e.code ?? 'INTERNAL') as 'INTERNAL', message: e.message } };
      }
      ws.send(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/#token=${TOKEN}`,
    emit(event, data) {
      const frame: EventFrame = { event, data };
      const text = JSON.stringify(frame);
      for (const s of sockets) s.send(text);
    },
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ------------------------------------------------------------------ the benchmark

export interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  over50Ms: number;
}
/** Main-thread work of the page during a phase (Chromium's Performance metrics): less sensitive to other load on the machine than frame times. */
export interface PhaseCost {
  busyPct: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

export interface UiRenderResult {
  when: string;
  orders: number;
  candles: number;
  eventsPerSecond: number;
  firstChartMs: number;
  phases: Record<string, FrameStats & PhaseCost>;
  all: FrameStats;
  /** 1-minute load average of the machine at the end (frame times suffer when it exceeds the cores). */
  loadAverage: number;
  cores: number;
}

export function frameStats(deltas: readonly number[]): FrameStats {
  const s = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    frames: s.length,
    medianMs: r(at(0.5)),
    p95Ms: r(at(0.95)),
    p99Ms: r(at(0.99)),
    maxMs: r(s[s.length - 1] ?? 0),
    over50Ms: s.filter((d) => d > 50).length,
  };
}

export async function runUiRenderBench(
  opts: { orders?: number; candles?: number; phaseMs?: number; out?: string } = {},
): Promise<UiRenderResult> {
  const orders = opts.orders ?? 5000;
  const candles = opts.candles ?? 100_000;
  const phaseMs = opts.phaseMs ?? 8000;
  if (!existsSync(path.join(DIST, 'index.html')))
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });

  const market = new FakeMarket({ orders, candles, mine: 12 });
  const node = await startFakeNode(marketHandlers(market));
  const browser = await chromium.launch({
    executablePath: ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)),
    args: CHROMIUM_ARGS,
  });
  let churn: ReturnType<typeof setInterval> | undefined;
  let events = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const started = Date.now();
    await page.goto(node.url);
    await page.waitForSelector('[data-testid="page-wallets"]');
    await page.evaluate(() => {
      window.location.hash = '#/trade/DEVA/DEVB';
    });
    await page.waitForSelector(`[data-testid="price-chart"][data-candles="${candles}"]`, { timeout: 120_000 });
    const firstChartMs = Date.now() - started;

    // The network: every 100 ms 25 orders replaced (50 order.updated) and the book announced
    // changed; a trade every 500 ms.
    let tick = 0;
    churn = setInterval(() => {
      for (const o of market.churn(25)) {
        node.emit('orders.updated', o);
        events += 1;
      }
      node.emit('orders.bookChanged', { base: market.base, quote: market.quote });
      events += 1;
      if (tick++ % 5 === 0) {
        node.emit('history.trade', market.trade());
        events += 1;
      }
    }, 100);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    const costs: Record<string, PhaseCost> = {};
    const measure = async (name: string): Promise<number[]> => {
      const before = await metrics();
      const t = Date.now();
      const deltas = await frames();
      const after = await metrics();
      const d = (k: string) => ((after[k] ?? 0) - (before[k] ?? 0)) * 1000;
      costs[name] = {
        busyPct: Math.round((d('TaskDuration') / (Date.now() - t)) * 1000) / 10,
        scriptMs: Math.round(d('ScriptDuration')),
        layoutMs: Math.round(d('LayoutDuration')),
        styleMs: Math.round(d('RecalcStyleDuration')),
      };
      return deltas;
    };
    const frames = async (): Promise<number[]> =>
      page.evaluate(
        (ms) =>
          new Promise<number[]>((resolve) => {
            const deltas: number[] = [];
            let last = -1;
            const end = performance.now() + ms;
            const frame = (t: number) => {
              if (last >= 0) deltas.push(t - last);
              last = t;
              if (t < end) requestAnimationFrame(frame);
              else resolve(deltas);
            };
            requestAnimationFrame(frame);
          }),
        phaseMs,
      );

    const phases: Record<string, number[]> = {};
    const eventsBefore = events;
    const t0 = Date.now();
    phases['book-levels+price-chart'] = await measure('book-levels+price-chart');
    await page.getByTestId('interval-5m').click();
    await page.waitForSelector(`[data-testid="price-chart"][data-interval="5m"][data-candles="${candles}"]`, {
      timeout: 60_000,
    });
    phases['interval-5m'] = await measure('interval-5m');
    await page.getByTestId('book-mode-orders').check();
    await page.waitForSelector('[data-testid="book-order"]');
    phases['book-orders+price-chart'] = await measure('book-orders+price-chart');
    await page.getByTestId('chart-tab-depth').check();
    phases['book-orders+depth-chart'] = await measure('book-orders+depth-chart');
    const eventsPerSecond = Math.round(((events - eventsBefore) / (Date.now() - t0)) * 1000);

    const result: UiRenderResult = {
      when: new Date().toISOString(),
      orders,
      candles,
      eventsPerSecond,
      firstChartMs,
      phases: Object.fromEntries(
        Object.entries(phases).map(([k, v]) => [k, { ...frameStats(v), ...costs[k] } as FrameStats & PhaseCost]),
      ),
      all: frameStats(Object.values(phases).flat()),
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
      cores: os.cpus().length,
    };
    const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'ui-render.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    if (churn) clearInterval(churn);
    await browser.close();
    await node.close();
  }
}

if (import.meta.main) {
  const r = await runUiRenderBench();
  console.log(JSON.stringify(r, null, 2));
}
