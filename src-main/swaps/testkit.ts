// Test-only: small fakes for the engine's parts (a watcher whose tip and findings a test sets, a p2p
// host that answers as scripted, settings in memory, swaps reached the way the machine reaches
// them), so each part is tested alone without daemons or peers.
import { bech32 } from '@scure/base';
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { driveMaker, driveTaker, START } from '../../src-shared/swaps/testkit.ts';
import type { MakerEvent, SwapState, TakerEvent } from '../../src-shared/swaps/types.ts';
import type { Logger } from '../kernel/log.ts';
import type { ChainTip, ChainWatcher, SeenTx, WatchInterest } from '../chain/watcher.ts';
import type { SettingsRepo } from '../settings/repo.ts';
import { fromJson, toJson } from '../store/index.ts';
import type { Effect, SwapEvent } from '../../src-shared/swaps/types.ts';
import { createMachineRunner, type StoredInstance } from '../kernel/machine-runner.ts';
import { swapMachine, type Live, type SwapRunner } from './durable.ts';
import type { SwapMeta } from './view.ts';

export const COINS = createCoinTable([getCoin('DEVA'), getCoin('DEVB')]);
export const PEER = '12D3KooWPeerCounterparty000000000000000000000000';
export const OTHER_PEER = '12D3KooWPeerSomeoneElse0000000000000000000000000';

/** A valid P2WPKH address on the devnet coins' network (rltc), different per `n`. */
export function devAddress(n: number): string {
  return bech32.encode('rltc', [0, ...bech32.toWords(new Uint8Array(20).fill(n))]);
}

export function metaFor(role: SwapMeta['role'], over: Partial<SwapMeta> = {}): SwapMeta {
  return {
    role,
    peerId: PEER,
    peerAddrs: ['/ip4/127.0.0.1/tcp/4001'],
    keys: { makerChain: 0, takerChain: 1 },
    tickers: { makerChain: 'DEVA', takerChain: 'DEVB' },
    amounts: { makerChain: 1_000_000n, takerChain: 4_000_000n },
    startHeights: START,
    ...over,
  };
}

/** A swap as the runner hands it out (the runner updates `state` in place; so may a test). */
export type TestLive = { -readonly [K in keyof Live]: Live[K] };

export function liveOf(state: SwapState, meta: SwapMeta = metaFor(state.role), id = 'swap-1'): TestLive {
  return { id, state, context: meta, createdAt: 1000, updatedAt: 1000 };
}
export const makerLive = (events: MakerEvent[], id?: string): TestLive =>
  liveOf(driveMaker(events).state, metaFor('maker'), id);
export const takerLive = (events: TakerEvent[], id?: string): TestLive =>
  liveOf(driveTaker(events).state, metaFor('taker'), id);

export function memorySettings(initial: Record<string, unknown> = {}): Pick<SettingsRepo, 'get' | 'set'> & {
  raw: Map<string, string>;
} {
  const raw = new Map(Object.entries(initial).map(([k, v]) => [k, toJson(v)]));
  return {
    raw,
    get: <T>(key: string) => (raw.has(key) ? fromJson<T>(raw.get(key)!) : undefined),
    set: (key, value) => void raw.set(key, toJson(value)),
  };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  data?: Record<string, unknown>;
}
export function recordingLog(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (msg: string, data?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(data ? { data } : {}) });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export type FakeWatcher = ChainWatcher & {
  setTip(height: number | undefined): void;
  /** What the next poke finds: a tip (the daemon answered) or nothing. */
  tipOnPoke: number | undefined;
  pokes: number;
  started: boolean;
  interests: Map<string, WatchInterest>;
  txs: Map<string, SeenTx>;
  emit(tipChanged: boolean): void;
};

export function fakeWatcher(ticker: string): FakeWatcher {
  let tip: ChainTip | undefined;
  const listeners = new Set<(c: { tipChanged: boolean }) => void>();
  const w: FakeWatcher = {
    ticker,
    tipOnPoke: undefined,
    pokes: 0,
    started: false,
    interests: new Map(),
    txs: new Map(),
    setTip: (h) => void (tip = h === undefined ? undefined : { height: h, hash: `${ticker}-${h}` }),
    emit: (tipChanged) => listeners.forEach((l) => l({ tipChanged })),
    start: () => void (w.started = true),
    stop: async () => void (w.started = false),
    tip: () => tip,
    setInterest: (key, interest) => void w.interests.set(key, interest),
    clearInterest: (key) => void w.interests.delete(key),
    outputsTo: () => [],
    transaction: (txid) => w.txs.get(txid),
    spendsOf: () => [],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async poke() {
      w.pokes += 1;
      if (w.tipOnPoke !== undefined) w.setTip(w.tipOnPoke);
    },
  };
  return w;
}

export interface FakeP2p {
  peerId: string;
  connectedPeers: PeerInfo[];
  requests: Array<{ peerId: string; protocol: string; body: unknown }>;
  dials: string[];
  bans: Array<{ peerId: string; reason: string; ms?: number | undefined }>;
  /** Answers each request in turn; an Error is thrown, anything else returned. Empty: `{ok: true}`. */
  answers: unknown[];
  /** Addresses whose dial connects the peer. */
  dialable: Set<string>;
  /** What each peer advertises (knownAddrs), without its /p2p part. */
  advertised: Map<string, string[]>;
  /** What the DHT says of each peer now (lookupAddrs), without its /p2p part. */
  dht: Map<string, string[]>;
  /** Peers looked up on the DHT, in order. */
  lookups: string[];
  peers(): PeerInfo[];
  /** Tries the addresses in turn, as libp2p does, recording each. */
  dial(addr: string | readonly string[]): Promise<string>;
  knownAddrs(peerId: string): Promise<string[]>;
  lookupAddrs(peerId: string): Promise<string[]>;
  request(peerId: string, protocol: string, body: unknown): Promise<unknown>;
  ban(peerId: string, reason: string, ms?: number): Promise<void>;
  isBanned(peerId: string): boolean;
}

export function fakeP2p(connected: string[] = [PEER]): FakeP2p {
  const p: FakeP2p = {
    peerId: '12D3KooWPeerOurselves00000000000000000000000000',
    connectedPeers: connected.map((peerId) => ({ peerId, addrs: [`/ip4/10.0.0.1/tcp/4001/p2p/${peerId}`] })),
    requests: [],
    dials: [],
    bans: [],
    answers: [],
    dialable: new Set(),
    advertised: new Map(),
    dht: new Map(),
    lookups: [],
    peers: () => p.connectedPeers,
    async dial(addrs) {
      for (const addr of typeof addrs === 'string' ? [addrs] : addrs) {
        p.dials.push(addr);
        if (!p.dialable.has(addr)) continue;
        const peerId = addr.split('/p2p/').at(-1)!;
        p.connectedPeers.push({ peerId, addrs: [addr] });
        return peerId;
      }
      throw new Error('dial failed');
    },
    knownAddrs: async (peerId) => p.advertised.get(peerId) ?? [],
    async lookupAddrs(peerId) {
      p.lookups.push(peerId);
      return p.dht.get(peerId) ?? [];
    },
    async request(peerId, protocol, body) {
      p.requests.push({ peerId, protocol, body });
      const answer = p.answers.length > 0 ? p.answers.shift() : { ok: true };
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async ban(peerId, reason, ms) {
      p.bans.push({ peerId, reason, ms });
    },
    isBanned: (peerId) => p.bans.some((b) => b.peerId === peerId),
  };
  return p;
}

/** Lets queued microtasks and immediate timers run (background tasks started by a part). */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** The swap machine on the real durable runner over a store in memory; effects are recorded, not run. */
export function memoryRunner(): SwapRunner & {
  effects: Array<{ id: string; effect: Effect }>;
  logs: Map<string, SwapEvent[]>;
} {
  const logs = new Map<string, SwapEvent[]>();
  const snapshots = new Map<string, StoredInstance<SwapState, SwapMeta> & { finished: boolean }>();
  const effects: Array<{ id: string; effect: Effect }> = [];
  const runner = createMachineRunner({
    machine: swapMachine,
    store: {
      append(id, event, snap) {
        logs.set(id, [...(logs.get(id) ?? []), event]);
        snapshots.set(id, { id, ...snap, createdAt: 1, updatedAt: 1 });
      },
      unfinished: () => [...snapshots.values()].filter((s) => !s.finished),
      events: (id) => logs.get(id) ?? [],
    },
    effects: { run: (live, effect) => void effects.push({ id: live.id, effect }) },
    log: { info() {}, warn() {}, error() {} },
    memoize: (e) => e.type !== 'TimerTick',
  });
  return Object.assign(runner, { effects, logs });
}
