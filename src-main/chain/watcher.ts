// Chain watcher for one Bitcoin-Core-family chain: finds payments to watched output scripts,
// watched transactions, and spends of watched outpoints, in the mempool and in blocks, and keeps
// their confirmations right through reorgs. The daemon pushes nothing over JSON-RPC, so it polls:
// the tip hash and the mempool's txid list each round, and only new blocks and new mempool txs in full.
//
// Why block scanning (getblock verbosity 2 + getrawmempool) and not the alternatives, on Litecoin
// Core 0.21: `scantxoutset` sees only unspent outputs (a claimed HTLC vanishes from it, and with it
// the secret) and blocks the daemon for a whole UTXO-set scan; `importaddress` needs a watch-only
// wallet and a rescan per HTLC, and would mix swap outputs into the user's wallet; and there is no
// `gettxspendingprevout` before Bitcoin Core 24. Blocks carry everything: outputs, and the inputs
// (with witnesses) that spend them. docs/swap.md "Watcher" has the details.
import { Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { amountFromCoinJson } from '../../src-shared/money/index.ts';
import { CoinJsonAmount, type RpcClient } from './rpc.ts';

export interface WatchOutpoint {
  readonly txid: string;
  readonly vout: number;
}

/** What one subscriber (a swap) wants watched on this chain. */
export interface WatchInterest {
  /** scriptPubKeys (hex) whose payments are wanted; their outputs' spends are watched too. */
  readonly scripts?: readonly string[];
  /** Transactions wanted whatever they pay to (e.g. a counterparty's declared funding). */
  readonly txids?: readonly string[];
  /** Outpoints whose spends are wanted. */
  readonly outpoints?: readonly WatchOutpoint[];
  /** Blocks from this height on are searched once when the interest is new (catch-up after a restart). */
  readonly fromHeight: number;
}

export interface SeenTx {
  readonly txid: string;
  readonly tx: Transaction;
  /** 0 while in the mempool (or gone). */
  readonly confirmations: number;
  readonly blockHash?: string;
  readonly blockHeight?: number;
  readonly inMempool: boolean;
  /**
   * Set once the transaction is neither in the active chain nor in the mempool (a reorg dropped it
   * and something conflicted it, or the mempool evicted it): the tip height when that was first seen.
   */
  readonly goneSinceHeight?: number;
}

export interface SeenOutput {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly outputScript: string;
  readonly confirmations: number;
  readonly goneSinceHeight?: number;
}

export interface SeenSpend {
  /** The spending transaction. */
  readonly txid: string;
  readonly tx: Transaction;
  readonly inputIndex: number;
  readonly confirmations: number;
  readonly goneSinceHeight?: number;
}

export interface ChainTip {
  readonly height: number;
  readonly hash: string;
}

export interface ChainWatcher {
  readonly ticker: string;
  /** Starts polling (idempotent). */
  start(): void;
  stop(): Promise<void>;
  /** The last tip seen; undefined until the daemon first answered. */
  tip(): ChainTip | undefined;
  /** Replaces what `key` watches; new parts are searched from `fromHeight` on the next poll. */
  setInterest(key: string, interest: WatchInterest): void;
  clearInterest(key: string): void;
  outputsTo(outputScriptHex: string): SeenOutput[];
  transaction(txid: string): SeenTx | undefined;
  spendsOf(outpoint: WatchOutpoint): SeenSpend[];
  /** After each poll that moved the tip or changed anything watched. */
  onChange(listener: (change: { tipChanged: boolean }) => void): () => void;
  /** Polls now (or right after the running poll) and resolves when that poll is done. */
  poke(): Promise<void>;
}

export interface ChainWatcherOptions {
  ticker: string;
  /** The chain's client; called each poll, so a re-connected wallet is picked up. Throws while unconfigured. */
  rpc: () => RpcClient;
  decimals?: number;
  pollMs?: number;
  /** Deepest reorg handled by walking back; deeper ones rescan from the fork like a catch-up. */
  maxReorgDepth?: number;
  log?: {
    info(msg: string, data?: Record<string, unknown>): void;
    warn(msg: string, data?: Record<string, unknown>): void;
  };
}

// Shapes of the replies read here (amounts arrive as exact decimal text, see rpc.ts). Loose, and
// most fields optional: Litecoin's MWEB entries lack some of them and must not stop the watcher.
const Header = z.object({ hash: z.string(), height: z.number().int(), previousblockhash: z.string().optional() });
const RawVin = z.object({ txid: z.string().optional(), vout: z.number().int().optional() }).loose();
const RawVout = z
  .object({
    value: CoinJsonAmount.optional(),
    n: z.number().int().optional(),
    scriptPubKey: z.object({ hex: z.string().optional() }).loose().optional(),
  })
  .loose();
const RawTx = z
  .object({
    txid: z.string(),
    hex: z.string().optional(),
    vin: z.array(RawVin).default([]),
    vout: z.array(RawVout).default([]),
  })
  .loose();
const Block = z
  .object({ hash: z.string(), height: z.number().int(), previousblockhash: z.string().optional(), tx: z.array(RawTx) })
  .loose();
type RawTx = z.infer<typeof RawTx>;
type Block = z.infer<typeof Block>;

interface Out {
  readonly value: bigint;
  readonly script: string;
}

/** A transaction reduced to what matching needs: output scripts and values, and spent outpoints in input order. */
interface Summary {
  readonly outs: ReadonlyArray<Out | undefined>;
  readonly ins: readonly string[];
}

interface Tracked extends Summary {
  readonly txid: string;
  readonly hex: string;
  tx?: Transaction;
  block?: { hash: string; height: number };
  inMempool: boolean;
  goneSinceHeight?: number;
}

const key = (txid: string, vout: number): string => `${txid}:${vout}`;

/**
 * Blocks asked for at once when a poll walks many (a catch-up after a restart, a poll that fell
 * behind a fast chain): the daemon answers RPCs on several threads (`rpcthreads`, 4 by default),
 * so a walk of hundreds of blocks is not hundreds of round trips one after another.
 */
const BLOCKS_IN_FLIGHT = 4;

/** The heights from `from` to `to`, at most BLOCKS_IN_FLIGHT of them. */
const batchFrom = (from: number, to: number): number[] =>
  Array.from({ length: Math.min(BLOCKS_IN_FLIGHT, to - from + 1) }, (_, i) => from + i);

export function createChainWatcher(o: ChainWatcherOptions): ChainWatcher {
  const pollMs = o.pollMs ?? 1000;
  const decimals = o.decimals ?? 8;
  const maxReorgDepth = o.maxReorgDepth ?? 100;
  const log = o.log ?? { info: () => undefined, warn: () => undefined };

  const interests = new Map<string, WatchInterest>();
  let scripts = new Set<string>();
  let txids = new Set<string>();
  let outpoints = new Set<string>();
  /** Lowest height a new interest wants searched; consumed by the next poll. */
  let catchUpFrom: number | undefined;
  let mempoolRescan = false;

  /** Active chain as scanned: height → hash, from `base` to `tipHeight`. */
  const hashes = new Map<number, string>();
  let base = 0;
  let tipHeight = -1;
  let tipHash: string | undefined;

  /** Only transactions that matched something: a handful per swap, so lookups simply scan it. */
  const tracked = new Map<string, Tracked>();
  let mempool = new Map<string, Summary>();

  const listeners = new Set<(c: { tipChanged: boolean }) => void>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let polling: Promise<void> | undefined;
  let again = false;
  let lastError: string | undefined;
  let changed = false;

  const call = <T>(schema: z.ZodType<T>, method: string, params: unknown[] = []) =>
    o.rpc().callAs(schema, method, params, { wallet: false, retry: false, timeoutMs: 15_000 });

  function rebuildTargets(): void {
    scripts = new Set();
    txids = new Set();
    outpoints = new Set();
    for (const i of interests.values()) {
      for (const s of i.scripts ?? []) scripts.add(s);
      for (const t of i.txids ?? []) txids.add(t);
      for (const p of i.outpoints ?? []) outpoints.add(key(p.txid, p.vout));
    }
  }

  /** An outpoint whose spend matters: asked for, or an output paying to a watched script (an HTLC). */
  function watchedOutpoint(op: string): boolean {
    if (outpoints.has(op)) return true;
    const [txid, vout] = op.split(':') as [string, string];
    const out = tracked.get(txid)?.outs[Number(vout)];
    return out !== undefined && scripts.has(out.script);
  }

  /** Funding-like: the tx itself or one of its outputs is wanted. */
  const wantedDirectly = (s: Summary, txid: string): boolean =>
    txids.has(txid) || s.outs.some((x) => x !== undefined && scripts.has(x.script));
  const wanted = (s: Summary, txid: string): boolean =>
    wantedDirectly(s, txid) || s.ins.some((i) => i !== '' && watchedOutpoint(i));

  function summaryOf(raw: RawTx): Summary {
    const outs: Array<Out | undefined> = [];
    for (const v of raw.vout) {
      if (v.n === undefined || v.value === undefined || v.scriptPubKey?.hex === undefined) continue;
      outs[v.n] = { value: amountFromCoinJson(v.value, decimals), script: v.scriptPubKey.hex };
    }
    // Aligned with the inputs; '' for a coinbase (or MWEB) input that spends no outpoint.
    const ins = raw.vin.map((i) => (i.txid !== undefined && i.vout !== undefined ? key(i.txid, i.vout) : ''));
    return { outs, ins };
  }

  function processTx(raw: RawTx, where: { block?: { hash: string; height: number }; inMempool: boolean }): void {
    const existing = tracked.get(raw.txid);
    if (existing) {
      if (where.block && existing.block?.hash !== where.block.hash) {
        existing.block = where.block;
        changed = true;
      }
      if (where.inMempool && !existing.inMempool) {
        existing.inMempool = true;
        changed = true;
      }
      return;
    }
    if (raw.hex === undefined) return;
    const s = summaryOf(raw);
    if (!wanted(s, raw.txid)) return;
    tracked.set(raw.txid, {
      txid: raw.txid,
      hex: raw.hex,
      ...s,
      inMempool: where.inMempool,
      ...(where.block ? { block: where.block } : {}),
    });
    changed = true;
  }

  /** Forget transactions no interest wants any more (funding first: spends are wanted through it). */
  function prune(): void {
    for (const t of [...tracked.values()])
      if (!wantedDirectly(t, t.txid) && !t.ins.some((i) => i !== '' && outpoints.has(i))) tracked.delete(t.txid);
    for (const t of [...tracked.values()]) if (!wanted(t, t.txid)) tracked.delete(t.txid);
  }

  function scanBlock(block: Block): void {
    const where = { block: { hash: block.hash, height: block.height }, inMempool: false };
    // In block order, so a spend later in the same block than its funding is caught.
    for (const raw of block.tx) processTx(raw, where);
  }

  /** Brings the record to the daemon's tip, handling reorgs. */
  async function syncBlocks(): Promise<void> {
    const best = await call(z.string(), 'getbestblockhash');
    if (best === tipHash) return;
    const header = await call(Header, 'getblockheader', [best]);
    if (tipHash === undefined) {
      // First contact: the tip is the baseline; history is searched only on request (catch-up).
      hashes.set(header.height, best);
      base = header.height;
      tipHeight = header.height;
      tipHash = best;
      return;
    }
    // Walk back to the last height where our record agrees with the daemon's chain.
    let fork = Math.min(header.height, tipHeight);
    for (let walked = 0; fork >= base && walked <= maxReorgDepth; walked++) {
      const theirs = fork === header.height ? best : await call(z.string(), 'getblockhash', [fork]);
      if (hashes.get(fork) === theirs) break;
      fork -= 1;
    }
    if (fork < tipHeight) disconnectAbove(fork);
    if (fork < base) base = fork + 1;
    for (let h = fork + 1; h <= header.height; h += BLOCKS_IN_FLIGHT) {
      // Fetched together, taken in height order: each must extend the one before.
      const got = await blocksAt(batchFrom(h, header.height), (x) => (x === header.height ? best : undefined));
      for (const { height, hash, block } of got) {
        const prev = hashes.get(height - 1);
        if (prev !== undefined && block.previousblockhash !== prev) {
          // The chain moved while we walked it; the next round starts over from a consistent record.
          again = true;
          return;
        }
        scanBlock(block);
        hashes.set(height, hash);
        tipHeight = height;
        tipHash = hash;
      }
    }
  }

  /** The blocks at these heights, asked for at once; `known` gives a hash already known. */
  function blocksAt(
    heights: readonly number[],
    known: (height: number) => string | undefined,
  ): Promise<Array<{ height: number; hash: string; block: Block }>> {
    return Promise.all(
      heights.map(async (height) => {
        const hash = known(height) ?? (await call(z.string(), 'getblockhash', [height]));
        return { height, hash, block: await call(Block, 'getblock', [hash, 2]) };
      }),
    );
  }

  function disconnectAbove(height: number): void {
    for (let h = height + 1; h <= tipHeight; h++) hashes.delete(h);
    for (const t of tracked.values()) {
      if (t.block && t.block.height > height) {
        delete t.block;
        changed = true;
      }
    }
    log.info('chain reorganised', { ticker: o.ticker, forkHeight: height, oldTip: tipHeight });
    tipHeight = height;
    tipHash = hashes.get(height);
  }

  async function catchUp(): Promise<void> {
    if (catchUpFrom === undefined) return;
    const from = Math.max(0, catchUpFrom);
    catchUpFrom = undefined;
    try {
      for (let h = from; h <= tipHeight; h += BLOCKS_IN_FLIGHT) {
        for (const { height, hash, block } of await blocksAt(batchFrom(h, tipHeight), (x) => hashes.get(x))) {
          if (height < base) hashes.set(height, hash);
          scanBlock(block);
        }
      }
    } catch (err) {
      // A daemon error part way must not lose the search: the next poll starts it again (scanning
      // a block twice changes nothing), or a payment made while we were away would stay unseen.
      catchUpFrom = Math.min(catchUpFrom ?? from, from);
      throw err;
    }
    if (from < base) base = from;
  }

  async function syncMempool(): Promise<void> {
    const ids = await call(z.array(z.string()), 'getrawmempool');
    const next = new Map<string, Summary>();
    const fresh: RawTx[] = [];
    for (const id of ids) {
      const known = mempool.get(id);
      if (known) {
        next.set(id, known);
        continue;
      }
      let raw: RawTx;
      try {
        raw = await call(RawTx, 'getrawtransaction', [id, true]);
      } catch {
        continue; // mined or evicted since the list was read
      }
      next.set(id, summaryOf(raw));
      processTx(raw, { inMempool: true });
      fresh.push(raw);
    }
    // The list is not in dependency order: a spend may come before the funding it spends.
    for (const raw of fresh) if (!tracked.has(raw.txid)) processTx(raw, { inMempool: true });
    if (mempoolRescan) {
      // New interests: look through what was already in the mempool.
      mempoolRescan = false;
      for (const [id, s] of next) {
        if (tracked.has(id) || !wanted(s, id)) continue;
        try {
          processTx(await call(RawTx, 'getrawtransaction', [id, true]), { inMempool: true });
        } catch {
          // left the mempool meanwhile
        }
      }
    }
    for (const t of tracked.values()) {
      const inPool = next.has(t.txid);
      if (t.inMempool !== inPool) {
        t.inMempool = inPool;
        changed = true;
      }
    }
    mempool = next;
  }

  function markGone(): void {
    for (const t of tracked.values()) {
      const present = t.block !== undefined || t.inMempool;
      if (present && t.goneSinceHeight !== undefined) {
        delete t.goneSinceHeight;
        changed = true;
      } else if (!present && t.goneSinceHeight === undefined) {
        t.goneSinceHeight = tipHeight;
        changed = true;
      }
    }
  }

  async function pollOnce(): Promise<void> {
    changed = false;
    const before = tipHash;
    try {
      await syncBlocks();
      if (interests.size > 0 || tracked.size > 0) {
        await catchUp();
        await syncMempool();
        // A block found between reading the tip and the mempool would make its txs look gone.
        const best = await call(z.string(), 'getbestblockhash');
        if (best === tipHash && !again) markGone();
        else again = true;
      }
      if (lastError !== undefined) {
        log.info('chain reachable again', { ticker: o.ticker });
        lastError = undefined;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) log.warn('chain poll failed', { ticker: o.ticker, error: message });
      lastError = message;
    }
    const tipChanged = tipHash !== before;
    if (!tipChanged && !changed) return;
    for (const l of [...listeners]) {
      try {
        l({ tipChanged });
      } catch (err) {
        log.warn('watcher listener failed', { ticker: o.ticker, error: String(err) });
      }
    }
  }

  function schedule(delay: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void poke(), delay);
    timer.unref?.();
  }

  function poke(): Promise<void> {
    if (polling) {
      again = true;
      return polling;
    }
    polling = (async () => {
      do {
        again = false;
        await pollOnce();
      } while (again && running);
    })().finally(() => {
      polling = undefined;
      schedule(pollMs);
    });
    return polling;
  }

  const confirmationsOf = (t: Tracked): number => (t.block ? tipHeight - t.block.height + 1 : 0);
  const txOf = (t: Tracked): Transaction => (t.tx ??= Transaction.fromHex(t.hex));
  const gone = (t: Tracked) => (t.goneSinceHeight !== undefined ? { goneSinceHeight: t.goneSinceHeight } : {});

  return {
    ticker: o.ticker,
    start() {
      if (running) return;
      running = true;
      void poke();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await polling;
    },
    tip: () => (tipHash === undefined ? undefined : { height: tipHeight, hash: tipHash }),
    setInterest(k, interest) {
      const before = interests.get(k);
      interests.set(k, interest);
      rebuildTargets();
      const added = (now: readonly string[] | undefined, old: readonly string[] | undefined) =>
        (now ?? []).some((x) => !(old ?? []).includes(x));
      const ops = (i: WatchInterest | undefined) => (i?.outpoints ?? []).map((p) => key(p.txid, p.vout));
      if (
        !before ||
        added(interest.scripts, before.scripts) ||
        added(interest.txids, before.txids) ||
        added(ops(interest), ops(before))
      ) {
        catchUpFrom = Math.min(catchUpFrom ?? Number.MAX_SAFE_INTEGER, interest.fromHeight);
        mempoolRescan = true;
        if (running) void poke();
      }
    },
    clearInterest(k) {
      if (!interests.delete(k)) return;
      rebuildTargets();
      prune();
    },
    outputsTo(script) {
      const found: SeenOutput[] = [];
      for (const t of tracked.values()) {
        t.outs.forEach((out, vout) => {
          if (out?.script === script)
            found.push({
              txid: t.txid,
              vout,
              value: out.value,
              outputScript: script,
              confirmations: confirmationsOf(t),
              ...gone(t),
            });
        });
      }
      return found;
    },
    transaction(txid) {
      const t = tracked.get(txid);
      if (!t) return undefined;
      return {
        txid,
        tx: txOf(t),
        confirmations: confirmationsOf(t),
        inMempool: t.inMempool,
        ...(t.block ? { blockHash: t.block.hash, blockHeight: t.block.height } : {}),
        ...gone(t),
      };
    },
    spendsOf(op) {
      const k = key(op.txid, op.vout);
      const found: SeenSpend[] = [];
      for (const t of tracked.values()) {
        const inputIndex = t.ins.indexOf(k);
        if (inputIndex >= 0)
          found.push({ txid: t.txid, tx: txOf(t), inputIndex, confirmations: confirmationsOf(t), ...gone(t) });
      }
      return found;
    },
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    poke,
  };
}
