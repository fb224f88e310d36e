// The swap engine: runs the pure maker/taker machines (src-shared/swap) against real chains,
// wallets and peers. Every event is written to the swap's log BEFORE its effects run; effects are
// idempotent; on start every unfinished swap is replayed from its log and its effects resumed;
// each swap has its own serial queue, so it is never worked on twice at once. docs/swap.md
// "Engine" is the description; this file is the orchestration, the pieces live next to it.
import { randomBytes } from 'node:crypto';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { resumeEffects, transition } from '../../src-shared/swaps/machine.ts';
import { decodeSwapMessage, encodeSwapMessage, messageToEvent } from '../../src-shared/swaps/messages.ts';
import { chainParamsOf, checkProposal, proposeLocktimes, timelockPolicyFor } from '../../src-shared/swaps/timelock.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import type {
  Chain,
  Effect,
  Heights,
  SwapEvent,
  SwapMessage,
  SwapProposal,
  SwapState,
} from '../../src-shared/swaps/types.ts';
import { isTerminal } from '../../src-shared/swaps/types.ts';
import type { Logger } from '../kernel/log.ts';
import { isCoinSegwitAddress } from '../chain/address.ts';
import type { BuiltTx } from '../chain/htlc.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import { createChainWatcher, type ChainWatcher } from '../chain/watcher.ts';
import type { P2pHost } from '../p2p/host.ts';
import { PeerRequestError } from '../p2p/reqres.ts';
import type { SwapRepo } from './repo.ts';
import type { SettingsRepo } from '../settings/repo.ts';
import { toJson } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import { broadcast, buildSpend, fundHtlc, type FundEffect, type SpendEffect } from './chain-effects.ts';
import { chainEvents, watchTargets, type ChainViews } from './observe.ts';
import { SWAP_PROTOCOL } from './protocol.ts';
import { deriveSwapSecret, secretHashHex } from './secret.ts';
import { createSerialQueue, type SerialQueue } from '../kernel/serial.ts';
import {
  detailOf,
  otherChain,
  ownChain,
  replay,
  summaryOf,
  type Notice,
  type SwapMeta,
  type SwapRecord,
  type ViewContext,
} from './view.ts';
import { sleep } from '../kernel/time.ts';
import { errorText } from '../kernel/log.ts';

export interface SwapLeg {
  readonly ticker: string;
  readonly amount: bigint;
}

export interface StartSwapInput {
  readonly peerId: string;
  /** What this node (the maker) locks. */
  readonly sell: SwapLeg;
  /** What it receives. */
  readonly buy: SwapLeg;
  /** The order network passes its hold id; a direct swap gets a random one. */
  readonly swapId?: string;
  readonly orderId?: string;
}

export interface AllowInput {
  readonly peerId: string;
  /** What this node (the taker) would lock. */
  readonly sell: SwapLeg;
  readonly buy: SwapLeg;
  readonly ttlMs?: number;
}

export interface SwapEngineStats {
  cpuUserMicros: number;
  cpuSystemMicros: number;
  liveSwaps: number;
}

export interface SwapEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a swap as the maker: makes the secret, proposes, and locks first once the peer accepts. */
  startSwap(p: StartSwapInput): Promise<SwapSummary>;
  /** Agrees in advance to one proposal from `peerId` with exactly these amounts (this node is the taker). */
  allow(p: AllowInput): { expiresAt: number };
  abort(swapId: string, reason?: string): Promise<SwapSummary>;
  list(): SwapSummary[];
  get(swapId: string): SwapDetail;
  /** Coins committed to unfinished swaps that are not yet paid into an HTLC. */
  lockedAmount(ticker: string): bigint;
  stats(): SwapEngineStats;
}

export interface SwapEngineDeps {
  coins: readonly CoinParams[];
  repo: SwapRepo;
  settings: SettingsRepo;
  vault: Pick<Vault, 'status' | 'swapPublicKey' | 'signSwapDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'balanceUnits' | 'feeEstimate'>;
  p2p: Pick<P2pHost, 'peerId' | 'handleRequest' | 'request' | 'ban' | 'isBanned' | 'peers' | 'dial'>;
  log: Logger;
  /** The user's risk setting: least confirmations on this coin (read when a swap starts); default the coin's. */
  confirmations?: (ticker: string) => number | undefined;
  /** How often chains are polled. */
  pollMs?: number;
  /** Wall-clock tick (accept timeout, retries). */
  tickMs?: number;
  now?: () => number;
  onUpdate?: (summary: SwapSummary) => void;
  /** How long a peer that broke the protocol is refused; default the p2p host's. */
  banMs?: number;
  /** Test hook, called at named steps: after-event:<type>, enter:<phase> (both after the event is stored, before its effects), after-fund-send, after-claim-send, after-refund-send. */
  crashAt?: (point: string) => void;
}

type SpendKind = 'claim' | 'refund';

interface PendingSpend {
  readonly effect: SpendEffect;
  built?: BuiltTx;
  inFlight: boolean;
}

interface Live {
  readonly id: string;
  state: SwapState;
  meta: SwapMeta;
  readonly createdAt: number;
  updatedAt: number;
  readonly queue: SerialQueue;
  /** Events that changed nothing since the state last changed: the machine is pure, so they never will. */
  memo: Set<string>;
  outbox: SwapMessage[];
  sending: boolean;
  funding: boolean;
  readonly spends: Map<SpendKind, PendingSpend>;
  /** A protocol breach to punish once the abort message had its chance to go out. */
  banAfterSend?: string;
  /**
   * The taker's watcher of the maker chain has searched (from the swap's start) since this process
   * took the swap up. Until then no deadline is judged: a maker HTLC that confirmed while we were
   * away must be found before "the maker did not lock in time" can be said.
   */
  searched: boolean;
  searching: boolean;
}

const Leg = z.object({ ticker: z.string(), amount: z.bigint() });
/** A swaps.allow agreement as kept in the settings (key `swaps.allowances`) so a restart keeps it until it expires. */
const Allowance = z.object({ peerId: z.string(), sell: Leg, buy: Leg, expiresAt: z.number() });
type Allowance = z.infer<typeof Allowance>;

const SETTINGS_NEXT_KEY = 'swaps.nextKeyIndex';
const SETTINGS_ALLOWANCES = 'swaps.allowances';
const LIST_LIMIT = 500;
const DEFAULT_ALLOW_TTL_MS = 10 * 60_000;
/** Reasons that mean the counterparty broke the protocol on chain (a wrong HTLC), not bad luck. */
const BREACH_CODES = new Set([
  'script-not-htlc',
  'wrong-secret-hash',
  'wrong-claim-key',
  'wrong-refund-key',
  'lock-too-short',
  'wrong-locktime',
  'output-script-mismatch',
  'wrong-amount',
]);
/** Remote answers after which resending the same message is pointless. */
const FINAL_SEND_FAILURES = new Set(['remote', 'unsupported', 'too-large', 'bad-response', 'banned']);
const PRE_FUNDING: Record<'maker' | 'taker', ReadonlySet<string>> = {
  maker: new Set(['new', 'proposed', 'funding']),
  taker: new Set(['new', 'accepted', 'funding']),
};

export function createSwapEngine(d: SwapEngineDeps): SwapEngine {
  const now = d.now ?? Date.now;
  const pollMs = d.pollMs ?? 1000;
  const tickMs = d.tickMs ?? 1000;
  const lives = new Map<string, Live>();
  const watchers = new Map<string, ChainWatcher>();
  const allowances: Allowance[] = loadAllowances();
  /** New swaps one at a time: key allocation and the check that an id is free must not interleave. */
  const creation = createSerialQueue();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;

  function loadAllowances(): Allowance[] {
    const stored = z.array(Allowance).safeParse(d.settings.get(SETTINGS_ALLOWANCES) ?? []);
    if (!stored.success) {
      d.log.warn('stored swap agreements (swaps.allow) are unreadable; they are dropped', {
        error: stored.error.message,
      });
      return [];
    }
    return stored.data.filter((a) => a.expiresAt > now());
  }

  function saveAllowances(): void {
    d.settings.set(SETTINGS_ALLOWANCES, allowances);
  }

  /** Runs a task in the background; a failure is logged, never an unhandled rejection (which ends the process). */
  function background(task: Promise<unknown>, what: string, swapId?: string): void {
    task.catch((err: unknown) =>
      d.log.error(`swap engine: ${what} failed`, {
        ...(swapId ? { swapId } : {}),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    );
  }

  // ------------------------------------------------------------ coins, chains, views

  function coinOf(ticker: string): CoinParams {
    const coin = d.coins.find((c) => c.ticker === ticker);
    if (!coin) throw new ApiError('NOT_FOUND', `This node does not handle ${ticker}.`, { ticker });
    return coin;
  }
  const confirmationsFor = (ticker: string): number => d.confirmations?.(ticker) ?? coinOf(ticker).defaultConfirmations;

  function watcherFor(ticker: string): ChainWatcher {
    let w = watchers.get(ticker);
    if (w) return w;
    const coin = coinOf(ticker);
    w = createChainWatcher({ ticker, rpc: () => d.wallets.rpc(ticker), decimals: coin.decimals, pollMs, log: d.log });
    w.onChange((c) => onChainChange(ticker, c.tipChanged));
    watchers.set(ticker, w);
    if (running) w.start();
    return w;
  }

  async function freshHeight(ticker: string): Promise<number> {
    const w = watcherFor(ticker);
    if (!w.tip()) await w.poke();
    const tip = w.tip();
    if (!tip)
      throw new ApiError('WALLET_UNREACHABLE', `The ${ticker} daemon does not answer, so the swap cannot go on now.`, {
        ticker,
      });
    return tip.height;
  }

  function heightsOf(meta: SwapMeta): Heights | undefined {
    const m = watcherFor(meta.tickers.makerChain).tip();
    const t = watcherFor(meta.tickers.takerChain).tip();
    return m && t ? { makerChain: m.height, takerChain: t.height } : undefined;
  }

  const viewsOf = (meta: SwapMeta): ChainViews => ({
    makerChain: watcherFor(meta.tickers.makerChain),
    takerChain: watcherFor(meta.tickers.takerChain),
  });

  const viewContext: ViewContext = {
    decimalsOf: (t) => coinOf(t).decimals,
    heightOf: (t) => watchers.get(t)?.tip()?.height,
    blockTimeOf: (t) => coinOf(t).blockTimeSec,
  };
  const summary = (live: Live): SwapSummary =>
    summaryOf(live.id, { state: live.state, meta: live.meta }, live, viewContext);

  // ------------------------------------------------------------ applying events

  function newLive(
    id: string,
    state: SwapState,
    meta: SwapMeta,
    times: { createdAt: number; updatedAt: number },
  ): Live {
    const live: Live = {
      id,
      state,
      meta,
      createdAt: times.createdAt,
      updatedAt: times.updatedAt,
      queue: createSerialQueue(),
      memo: new Set(),
      outbox: [],
      sending: false,
      funding: false,
      spends: new Map(),
      searched: false,
      searching: false,
    };
    lives.set(id, live);
    return live;
  }

  /** Feeds one event; stores it and runs its effects when it changed something. Call inside the swap's queue. */
  function apply(live: Live, event: SwapEvent): boolean {
    if (isTerminal(live.state)) return false;
    const memoKey = event.type === 'TimerTick' ? undefined : toJson(event);
    if (memoKey !== undefined && live.memo.has(memoKey)) return false;
    const r = transition(live.state, event);
    if (r.refused !== undefined || (r.effects.length === 0 && toJson(r.state) === toJson(live.state))) {
      if (memoKey !== undefined) live.memo.add(memoKey);
      return false;
    }
    const before = live.state;
    const notice = [...r.effects].reverse().find((e): e is Extract<Effect, { type: 'Notify' }> => e.type === 'Notify');
    const meta: SwapMeta = notice
      ? { ...live.meta, notice: { level: notice.level, code: notice.code, message: notice.message } satisfies Notice }
      : live.meta;
    const record: SwapRecord = { state: r.state, meta };
    d.repo.appendEventAndUpdate(
      live.id,
      { type: event.type, payload: event },
      {
        swapId: live.id,
        role: meta.role,
        state: r.state.phase,
        terminal: isTerminal(r.state),
        data: record,
      },
    );
    live.state = r.state;
    live.meta = meta;
    live.memo.clear();
    live.updatedAt = now();
    d.crashAt?.(`after-event:${event.type}`);
    if (r.state.phase !== before.phase) {
      d.log.info('swap step', {
        swapId: live.id,
        role: meta.role,
        event: event.type,
        from: before.phase,
        to: r.state.phase,
      });
      d.crashAt?.(`enter:${r.state.phase}`);
    }
    for (const effect of r.effects) runEffect(live, effect);
    afterChange(live, before);
    return true;
  }

  function reasonCode(s: SwapState): string | undefined {
    return 'reason' in s && s.reason ? s.reason.code : undefined;
  }

  function afterChange(live: Live, before: SwapState): void {
    const code = reasonCode(live.state);
    if (code !== undefined && BREACH_CODES.has(code) && reasonCode(before) !== code) {
      live.banAfterSend = `its HTLC was wrong (${code})`;
      if (!live.sending && live.outbox.length === 0) background(punish(live), 'ban', live.id);
    }
    updateInterests(live);
    for (const kind of [...live.spends.keys()]) if (!spendWanted(live, kind)) live.spends.delete(kind);
    try {
      d.onUpdate?.(summary(live));
    } catch (err) {
      d.log.warn('swap update listener failed', { error: errorText(err) });
    }
    maybeRetire(live);
  }

  function maybeRetire(live: Live): void {
    if (!isTerminal(live.state) || live.outbox.length > 0 || live.sending) return;
    lives.delete(live.id);
    for (const t of new Set(Object.values(live.meta.tickers))) watchers.get(t)?.clearInterest(live.id);
  }

  /** Brings the machine up to date with the clock and the chains. Call inside the swap's queue. */
  function evaluateNow(live: Live): void {
    if (isTerminal(live.state)) return;
    const heights = heightsOf(live.meta);
    if (live.state.role === 'taker' && live.state.phase === 'accepted') {
      // Waiting for the maker's HTLC: the chain first, judged at today's tips, then the clock. Were
      // the tick first, a maker HTLC that confirmed while this node was away would be missed and the
      // swap failed with "the maker did not lock in time".
      if (!heights) return;
      if (!live.searched) {
        searchCounterpartyChain(live);
        return;
      }
      for (const e of chainEvents(live.state, viewsOf(live.meta)))
        apply(live, e.type === 'CounterpartyFundingSeen' ? { ...e, heights } : e);
    }
    const s = live.state;
    if (heights && 'heights' in s) {
      const moved = s.heights.makerChain !== heights.makerChain || s.heights.takerChain !== heights.takerChain;
      if (moved || s.phase === 'proposed') apply(live, { type: 'TimerTick', heights, nowMs: now() });
    }
    // An event can make others meaningful (a funding seen makes its spends ours to read): repeat until still.
    for (let round = 0; round < 8; round++) {
      let progressed = false;
      for (const e of chainEvents(live.state, viewsOf(live.meta))) if (apply(live, e)) progressed = true;
      if (!progressed) break;
    }
  }

  /**
   * One full poll of the counterparty's chain after its interest was registered: the watcher then
   * has searched the blocks since the swap started and the mempool for the HTLC and the notice.
   */
  function searchCounterpartyChain(live: Live): void {
    if (live.searching) return;
    live.searching = true;
    const w = watcherFor(live.meta.tickers[otherChain(live.meta.role)]);
    background(
      (async () => {
        try {
          updateInterests(live);
          await w.poke();
          // A poll that could not reach the daemon searched nothing: the next evaluation tries again.
          if (w.tip()) live.searched = true;
        } finally {
          live.searching = false;
        }
        if (live.searched) await evaluate(live);
      })(),
      'chain search',
      live.id,
    );
  }

  const evaluate = (live: Live): Promise<void> => live.queue.run(() => evaluateNow(live));

  function updateInterests(live: Live): void {
    if (isTerminal(live.state)) return;
    const targets = watchTargets(live.state);
    for (const chain of ['makerChain', 'takerChain'] as const) {
      const t = targets[chain];
      if (t)
        watcherFor(live.meta.tickers[chain]).setInterest(live.id, { ...t, fromHeight: live.meta.startHeights[chain] });
    }
  }

  function onChainChange(ticker: string, tipChanged: boolean): void {
    for (const live of lives.values()) {
      if (live.meta.tickers.makerChain !== ticker && live.meta.tickers.takerChain !== ticker) continue;
      background(evaluate(live), 'evaluation', live.id);
      if (!tipChanged) continue;
      for (const [kind, s] of live.spends)
        if (s.effect.ticker === ticker) background(driveSpend(live, kind), kind, live.id);
    }
  }

  // ------------------------------------------------------------ effects

  function runEffect(live: Live, e: Effect): void {
    switch (e.type) {
      case 'SendMessage':
        live.outbox.push(e.message);
        background(pump(live), 'sending', live.id);
        return;
      case 'FundHtlc':
        background(fund(live, e), 'funding', live.id);
        return;
      case 'WatchHtlc':
        updateInterests(live);
        return;
      case 'BroadcastClaim':
      case 'BroadcastRefund': {
        const kind: SpendKind = e.type === 'BroadcastClaim' ? 'claim' : 'refund';
        const existing = live.spends.get(kind);
        if (!existing || toJson(existing.effect) !== toJson(e)) live.spends.set(kind, { effect: e, inFlight: false });
        background(driveSpend(live, kind), kind, live.id);
        return;
      }
      case 'Notify': {
        const data = { swapId: live.id, code: e.code, message: e.message };
        if (e.level === 'info') d.log.info('swap notice', data);
        else d.log.warn('swap notice', data);
        return;
      }
    }
  }

  async function fund(live: Live, e: FundEffect): Promise<void> {
    if (live.funding) return;
    live.funding = true;
    try {
      for (let attempt = 1; running && live.state.phase === 'funding'; attempt++) {
        let outcome;
        try {
          const coin = coinOf(e.ticker);
          outcome = await fundHtlc(e, {
            coin,
            wallet: d.wallets.rpc(e.ticker),
            heightOf: (chain: Chain) => freshHeight(live.meta.tickers[chain]),
            feeRate: async () => BigInt((await d.wallets.feeEstimate(e.ticker, 2)).satPerVb),
            afterSend: () => d.crashAt?.('after-fund-send'),
          });
        } catch (err) {
          outcome = { type: 'retry' as const, reason: errorText(err) };
        }
        if (outcome.type !== 'retry') {
          const event = outcome;
          await live.queue.run(() => {
            apply(live, event);
            evaluateNow(live);
          });
          return;
        }
        if (attempt === 1 || attempt % 10 === 0)
          d.log.warn('funding the HTLC must wait', { swapId: live.id, reason: outcome.reason });
        await sleep(Math.min(500 * attempt, 3000));
      }
    } finally {
      live.funding = false;
    }
  }

  function spendWanted(live: Live, kind: SpendKind): boolean {
    const s = live.state;
    if (kind === 'claim') return s.phase === 'claiming';
    return s.phase === 'refunding' && s.refund !== undefined;
  }

  async function driveSpend(live: Live, kind: SpendKind): Promise<void> {
    const pending = live.spends.get(kind);
    if (!pending || pending.inFlight || !running) return;
    if (!spendWanted(live, kind)) {
      live.spends.delete(kind);
      return;
    }
    pending.inFlight = true;
    const e = pending.effect;
    try {
      if (!pending.built) {
        const coin = coinOf(e.ticker);
        const keyIndex = live.meta.keys[e.chain];
        const feeRate = BigInt((await d.wallets.feeEstimate(e.ticker, kind === 'claim' ? 2 : 6)).satPerVb);
        const secret =
          e.type !== 'BroadcastClaim'
            ? undefined
            : e.preimage.kind === 'own'
              ? deriveSwapSecret(d.vault, live.id)
              : hexToBytes(e.preimage.secret);
        pending.built = buildSpend(e, {
          coin,
          feeRate,
          ...(secret ? { secret } : {}),
          signer: {
            publicKey: d.vault.swapPublicKey(keyIndex),
            signDigest: (digest) => d.vault.signSwapDigest(keyIndex, digest),
          },
        });
      }
      const built = pending.built;
      const seen = watcherFor(e.ticker).transaction(built.txid);
      if (!seen || (!seen.inMempool && seen.confirmations === 0)) {
        const outcome = await broadcast(d.wallets.rpc(e.ticker), built.hex);
        if (typeof outcome !== 'string') {
          d.log.info(`${kind} not accepted by the daemon yet`, {
            swapId: live.id,
            txid: built.txid,
            reason: 'retry' in outcome ? outcome.retry : outcome.spent,
          });
          return;
        }
        d.crashAt?.(`after-${kind}-send`);
        void watcherFor(e.ticker).poke();
      }
      await live.queue.run(() =>
        apply(live, { type: kind === 'claim' ? 'ClaimBroadcast' : 'RefundBroadcast', txid: built.txid }),
      );
    } catch (err) {
      d.log.warn(`could not send the ${kind}`, { swapId: live.id, error: errorText(err) });
    } finally {
      pending.inFlight = false;
    }
  }

  // ------------------------------------------------------------ messages

  const connected = (peerId: string): boolean => d.p2p.peers().some((p) => p.peerId === peerId);

  /** Multiaddrs (without /p2p) the peer is connected on now: kept in the swap for redialing later. */
  const addrsOf = (peerId: string): string[] => {
    const peer = d.p2p.peers().find((p) => p.peerId === peerId);
    return [...new Set((peer?.addrs ?? []).map((a) => a.replace(/\/p2p\/[^/]+$/, '')))].slice(0, 8);
  };

  /**
   * Messages go only over an open connection, redialing the addresses the swap recorded when
   * there is none. Never a dial by bare peer id: with no address known, libp2p 3.3 starts a peer
   * routing lookup whose dial never ends, and every later dial to that peer joins it.
   */
  async function reach(live: Live): Promise<boolean> {
    const { peerId, peerAddrs } = live.meta;
    if (connected(peerId)) return true;
    for (const addr of peerAddrs ?? []) {
      try {
        await d.p2p.dial(`${addr}/p2p/${peerId}`);
        return true;
      } catch {
        // the next address, or wait for the peer (or its bootstrap) to connect to us
      }
    }
    return connected(peerId);
  }

  async function pump(live: Live): Promise<void> {
    if (live.sending) return;
    live.sending = true;
    let failures = 0;
    try {
      while (running && live.outbox.length > 0) {
        const m = live.outbox[0]!;
        try {
          if (!(await reach(live))) throw new PeerRequestError('unreachable', `not connected to ${live.meta.peerId}`);
          await d.p2p.request(live.meta.peerId, SWAP_PROTOCOL, encodeSwapMessage(m), { timeoutMs: 10_000 });
          live.outbox.shift();
          failures = 0;
        } catch (err) {
          const reason = err instanceof PeerRequestError ? err.reason : 'error';
          if (FINAL_SEND_FAILURES.has(reason)) {
            d.log.info('the peer did not take a swap message', {
              swapId: live.id,
              type: m.type,
              reason: errorText(err),
            });
            live.outbox.shift();
            if (m.type === 'swap.propose' && (reason === 'remote' || reason === 'unsupported'))
              await refused(live, err as PeerRequestError);
            continue;
          }
          failures += 1;
          // After the end, a vanished peer gets a few tries (for the abort notice), then nothing more.
          if (isTerminal(live.state) && failures >= 4) {
            live.outbox.shift();
            failures = 0;
            continue;
          }
          await sleep(Math.min(250 * 2 ** failures, 5000));
        }
      }
    } finally {
      live.sending = false;
    }
    if (live.banAfterSend !== undefined && live.outbox.length === 0) await punish(live);
    maybeRetire(live);
  }

  /**
   * The taker answered our proposal with an error: that is its refusal, recorded with its own words
   * (the message after the p2p layer's "refused the request:" prefix) so the swap fails at once.
   */
  async function refused(live: Live, err: PeerRequestError): Promise<void> {
    const marker = 'refused the request: ';
    const at = err.message.indexOf(marker);
    const words =
      err.reason === 'unsupported'
        ? 'it does not take part in swaps'
        : at >= 0
          ? err.message.slice(at + marker.length)
          : err.message;
    await live.queue.run(() => apply(live, { type: 'CounterpartyAborted', reason: 'terms-rejected', message: words }));
  }

  async function punish(live: Live): Promise<void> {
    const reason = live.banAfterSend;
    if (reason === undefined) return;
    delete live.banAfterSend;
    await breach(live.meta.peerId, reason);
  }

  async function breach(peerId: string, reason: string): Promise<void> {
    d.log.warn('peer broke the swap protocol; refusing it for a while', { peerId, reason });
    try {
      await d.p2p.ban(peerId, `swap protocol: ${reason}`, d.banMs);
    } catch (err) {
      d.log.warn('could not ban the peer', { peerId, error: errorText(err) });
    }
  }

  function recordOf(id: string): SwapRecord | undefined {
    return d.repo.get(id)?.data as SwapRecord | undefined;
  }

  async function onMessage(req: unknown, ctx: { peerId: string }): Promise<unknown> {
    let m: SwapMessage;
    try {
      m = decodeSwapMessage(req);
    } catch (err) {
      await breach(ctx.peerId, errorText(err));
      throw new ApiError('INVALID_PARAMS', errorText(err));
    }
    if (m.type === 'swap.propose') {
      const proposal = m;
      return creation.run(() => onPropose(proposal, ctx.peerId));
    }
    const live = lives.get(m.swapId);
    if (!live) {
      const stored = recordOf(m.swapId);
      if (stored && stored.meta.peerId === ctx.peerId) return { ok: true, finished: true };
      throw new ApiError('NOT_FOUND', 'This node has no such swap.');
    }
    if (live.meta.peerId !== ctx.peerId) throw new ApiError('SWAP_REFUSED', 'This swap is with another peer.');
    let event = messageToEvent(m, live.meta.role);
    if (!event) throw new ApiError('SWAP_REFUSED', `A ${live.meta.role} does not take ${m.type}.`);
    if (event.type === 'CounterpartyAccepted') {
      const { makerChain, takerChain } = live.meta.tickers;
      const a = event.takerAddresses;
      if (!isCoinSegwitAddress(coinOf(takerChain), a.refund) || !isCoinSegwitAddress(coinOf(makerChain), a.payout)) {
        await breach(ctx.peerId, "its addresses are not on the swap's networks");
        event = { type: 'Abort', reason: "the taker sent addresses that are not on the swap's networks" };
      }
    }
    const e = event;
    await live.queue.run(() => {
      apply(live, e);
      evaluateNow(live);
    });
    if (e.type === 'CounterpartyFunded' || e.type === 'CounterpartyClaimed') {
      const chain: Chain = live.meta.role === 'maker' ? 'takerChain' : 'makerChain';
      void watcherFor(live.meta.tickers[e.type === 'CounterpartyClaimed' ? 'takerChain' : chain]).poke();
    }
    return { ok: true };
  }

  function allocateKeys(): Record<Chain, number> {
    const next = d.settings.get<number>(SETTINGS_NEXT_KEY) ?? 0;
    d.settings.set(SETTINGS_NEXT_KEY, next + 2);
    return { makerChain: next, takerChain: next + 1 };
  }

  const pubkeysOf = (keys: Record<Chain, number>) => ({
    makerChain: bytesToHex(d.vault.swapPublicKey(keys.makerChain)),
    takerChain: bytesToHex(d.vault.swapPublicKey(keys.takerChain)),
  });

  async function onPropose(m: Extract<SwapMessage, { type: 'swap.propose' }>, peerId: string): Promise<unknown> {
    const known = lives.get(m.swapId)?.meta ?? recordOf(m.swapId)?.meta;
    if (known) {
      if (known.role === 'taker' && known.peerId === peerId) return { ok: true };
      throw new ApiError('SWAP_REFUSED', 'That swap id is already in use.');
    }
    // Every refusal is an answer the maker records as its reason (SWAP_REFUSED, in plain words), so
    // its swap ends at once instead of waiting out the accept timeout.
    if (d.vault.status() !== 'unlocked')
      throw new ApiError('SWAP_REFUSED', 'the node is locked and cannot take part in a swap now');
    const makerCoin = d.coins.find((c) => c.ticker === m.makerLeg.ticker);
    const takerCoin = d.coins.find((c) => c.ticker === m.takerLeg.ticker);
    if (!makerCoin || !takerCoin)
      throw new ApiError(
        'SWAP_REFUSED',
        `this node does not handle ${[m.makerLeg.ticker, m.takerLeg.ticker].filter((x) => !d.coins.some((c) => c.ticker === x)).join(' and ')}`,
      );
    const t = now();
    const index = allowances.findIndex(
      (a) =>
        a.peerId === peerId &&
        a.expiresAt > t &&
        a.buy.ticker === m.makerLeg.ticker &&
        a.buy.amount === m.makerLeg.amount &&
        a.sell.ticker === m.takerLeg.ticker &&
        a.sell.amount === m.takerLeg.amount,
    );
    if (index < 0) {
      const legs = `${formatAmount(m.takerLeg.amount, takerCoin.decimals)} ${takerCoin.ticker} for ${formatAmount(m.makerLeg.amount, makerCoin.decimals)} ${makerCoin.ticker}`;
      throw new ApiError('SWAP_REFUSED', `this node has not agreed to swap ${legs} with you (no matching swaps.allow)`);
    }
    if (
      !isCoinSegwitAddress(makerCoin, m.makerAddresses.refund) ||
      !isCoinSegwitAddress(takerCoin, m.makerAddresses.payout)
    ) {
      await breach(peerId, "its addresses are not on the swap's networks");
      throw new ApiError('SWAP_REFUSED', "the proposal's addresses are not on the swap's networks");
    }
    const heights = {
      makerChain: await freshHeight(makerCoin.ticker),
      takerChain: await freshHeight(takerCoin.ticker),
    };
    const chains = { makerChain: chainParamsOf(makerCoin), takerChain: chainParamsOf(takerCoin) };
    const policy = timelockPolicyFor(makerCoin.network);
    const minConfirmations = {
      makerChain: confirmationsFor(makerCoin.ticker),
      takerChain: confirmationsFor(takerCoin.ticker),
    };
    const { type: _type, ...proposal } = m;
    // The same check TakerStarted runs, before keys or addresses are spent on terms we refuse. The
    // agreement stays: the maker may propose again with terms that pass.
    const check = checkProposal(proposal, heights, { chains, policy, minConfirmations });
    if (!check.ok) {
      const words = check.problems.map((x) => x.message).join('; ');
      d.log.info('refused a swap proposal', { swapId: m.swapId, peerId, problems: check.problems.map((x) => x.code) });
      throw new ApiError('SWAP_REFUSED', `the terms do not pass this node's checks: ${words}`, {
        problems: check.problems,
      });
    }
    const refund = (await d.wallets.newAddress(takerCoin.ticker, 'hashlock swap refund')).address;
    const payout = (await d.wallets.newAddress(makerCoin.ticker, 'hashlock swap payout')).address;
    const keys = allocateKeys();
    const meta: SwapMeta = {
      role: 'taker',
      peerId,
      peerAddrs: addrsOf(peerId),
      keys,
      tickers: { makerChain: makerCoin.ticker, takerChain: takerCoin.ticker },
      amounts: { makerChain: m.makerLeg.amount, takerChain: m.takerLeg.amount },
      startHeights: heights,
    };
    allowances.splice(index, 1);
    saveAllowances();
    const live = newLive(m.swapId, { role: 'taker', phase: 'new' }, meta, { createdAt: now(), updatedAt: now() });
    await live.queue.run(() => {
      apply(live, {
        type: 'TakerStarted',
        proposal: proposal satisfies SwapProposal,
        takerPubkeys: pubkeysOf(keys),
        takerAddresses: { refund, payout },
        minConfirmations,
        chains,
        policy,
        heights,
        nowMs: now(),
      });
      evaluateNow(live);
    });
    return { ok: true };
  }

  // ------------------------------------------------------------ lifecycle

  function resumeAll(): void {
    for (const stored of d.repo.unfinished()) {
      if (lives.has(stored.swapId)) continue;
      const record = stored.data as SwapRecord;
      const state = replay(record.meta.role, d.repo.events(stored.swapId));
      if (toJson(state) !== toJson(record.state))
        d.log.warn('a swap snapshot disagrees with its log; the log wins', { swapId: stored.swapId });
      const live = newLive(stored.swapId, state, record.meta, stored);
      d.log.info('resuming swap', { swapId: live.id, role: record.meta.role, state: state.phase });
      background(
        live.queue.run(() => {
          for (const e of resumeEffects(state)) runEffect(live, e);
          updateInterests(live);
          evaluateNow(live);
        }),
        'resume',
        live.id,
      );
    }
  }

  function wallTick(): void {
    ticks += 1;
    for (const live of lives.values()) {
      background(evaluate(live), 'evaluation', live.id);
      if (ticks % 10 !== 0) continue;
      // Every ten ticks: retry what waits on someone else (a peer back online, a daemon restarted).
      background(pump(live), 'sending', live.id);
      for (const kind of live.spends.keys()) background(driveSpend(live, kind), kind, live.id);
    }
    const before = allowances.length;
    for (let i = allowances.length - 1; i >= 0; i--) if (allowances[i]!.expiresAt <= now()) allowances.splice(i, 1);
    if (allowances.length !== before) saveAllowances();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await d.p2p.handleRequest(SWAP_PROTOCOL, (req, ctx) => onMessage(req, ctx));
      for (const w of watchers.values()) w.start();
      resumeAll();
      timer = setInterval(wallTick, tickMs);
      timer.unref();
    },

    async stop() {
      running = false;
      clearInterval(timer);
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      await Promise.race([Promise.all([...lives.values()].map((l) => l.queue.idle())), sleep(5000)]);
    },

    startSwap: (p) =>
      creation.run(async () => {
        if (p.peerId === d.p2p.peerId) throw new ApiError('INVALID_PARAMS', 'A node cannot swap with itself.');
        if (d.p2p.isBanned(p.peerId))
          throw new ApiError('PEER_REFUSED', `The peer ${p.peerId} is banned for misbehaving.`);
        const makerCoin = coinOf(p.sell.ticker);
        const takerCoin = coinOf(p.buy.ticker);
        if (makerCoin.ticker === takerCoin.ticker)
          throw new ApiError('INVALID_PARAMS', 'A swap needs two different coins.');
        if (d.vault.status() !== 'unlocked')
          throw new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it with your password first.');
        if (!connected(p.peerId))
          throw new ApiError('PEER_UNREACHABLE', `Not connected to ${p.peerId}: connect to it first (p2p.dial).`);
        const swapId = p.swapId ?? randomBytes(16).toString('hex');
        if (lives.has(swapId) || d.repo.get(swapId))
          throw new ApiError('CONFLICT', `A swap with id ${swapId} already exists.`);

        const heights = {
          makerChain: await freshHeight(makerCoin.ticker),
          takerChain: await freshHeight(takerCoin.ticker),
        };
        const chains = { makerChain: chainParamsOf(makerCoin), takerChain: chainParamsOf(takerCoin) };
        const policy = timelockPolicyFor(makerCoin.network);
        const confirmations = {
          makerChain: confirmationsFor(makerCoin.ticker),
          takerChain: confirmationsFor(takerCoin.ticker),
        };
        const locks = proposeLocktimes({ chains, confirmations, heights, policy });
        const keys = allocateKeys();
        const draft: SwapProposal = {
          swapId,
          orderId: p.orderId ?? swapId,
          secretHash: secretHashHex(deriveSwapSecret(d.vault, swapId)),
          makerLeg: {
            ticker: makerCoin.ticker,
            amount: p.sell.amount,
            locktime: locks.makerChain,
            confirmations: confirmations.makerChain,
          },
          takerLeg: {
            ticker: takerCoin.ticker,
            amount: p.buy.amount,
            locktime: locks.takerChain,
            confirmations: confirmations.takerChain,
          },
          makerPubkeys: pubkeysOf(keys),
          // Placeholders for the check below: wallet addresses are asked for only for a sound proposal.
          makerAddresses: { refund: 'x'.repeat(20), payout: 'x'.repeat(20) },
        };
        const check = checkProposal(draft, heights, { chains, policy });
        if (!check.ok)
          throw new ApiError('SWAP_REFUSED', check.problems.map((x) => x.message).join('; '), {
            problems: check.problems,
          });
        const balance = await d.wallets.balanceUnits(makerCoin.ticker);
        if (balance.spendable < p.sell.amount) {
          throw new ApiError(
            'INSUFFICIENT_FUNDS',
            `The ${makerCoin.ticker} wallet has ${balance.spendable} base units free, less than the ${p.sell.amount} to lock.`,
          );
        }
        const proposal: SwapProposal = {
          ...draft,
          makerAddresses: {
            refund: (await d.wallets.newAddress(makerCoin.ticker, 'hashlock swap refund')).address,
            payout: (await d.wallets.newAddress(takerCoin.ticker, 'hashlock swap payout')).address,
          },
        };
        const meta: SwapMeta = {
          role: 'maker',
          peerId: p.peerId,
          peerAddrs: addrsOf(p.peerId),
          keys,
          tickers: { makerChain: makerCoin.ticker, takerChain: takerCoin.ticker },
          amounts: { makerChain: p.sell.amount, takerChain: p.buy.amount },
          startHeights: heights,
        };
        const live = newLive(swapId, { role: 'maker', phase: 'new' }, meta, { createdAt: now(), updatedAt: now() });
        await live.queue.run(() =>
          apply(live, { type: 'MakerStarted', proposal, chains, policy, heights, nowMs: now() }),
        );
        return summary(live);
      }),

    allow(p) {
      if (p.sell.ticker === p.buy.ticker) throw new ApiError('INVALID_PARAMS', 'A swap needs two different coins.');
      coinOf(p.sell.ticker);
      coinOf(p.buy.ticker);
      const expiresAt = now() + (p.ttlMs ?? DEFAULT_ALLOW_TTL_MS);
      allowances.push({
        peerId: p.peerId,
        sell: { ticker: p.sell.ticker, amount: p.sell.amount },
        buy: { ticker: p.buy.ticker, amount: p.buy.amount },
        expiresAt,
      });
      saveAllowances();
      return { expiresAt };
    },

    async abort(swapId, reason = 'stopped by the user') {
      const live = lives.get(swapId);
      if (!live || isTerminal(live.state)) {
        if (d.repo.get(swapId)) throw new ApiError('CONFLICT', 'This swap has already finished.');
        throw new ApiError('NOT_FOUND', `No swap ${swapId}.`);
      }
      const changed = await live.queue.run(() => apply(live, { type: 'Abort', reason }));
      if (!changed)
        throw new ApiError('CONFLICT', `The swap cannot be stopped now (${live.state.phase}): it must finish.`);
      return summary(live);
    },

    list() {
      return d.repo.list({ limit: LIST_LIMIT }).map((stored) => {
        const live = lives.get(stored.swapId);
        return live ? summary(live) : summaryOf(stored.swapId, stored.data as SwapRecord, stored, viewContext);
      });
    },

    get(swapId) {
      const live = lives.get(swapId);
      const stored = d.repo.get(swapId);
      if (!stored) throw new ApiError('NOT_FOUND', `No swap ${swapId}.`);
      const record: SwapRecord = live ? { state: live.state, meta: live.meta } : (stored.data as SwapRecord);
      return detailOf(swapId, record, live ?? stored, d.repo.events(swapId), viewContext);
    },

    lockedAmount(ticker) {
      let total = 0n;
      for (const live of lives.values()) {
        const own = ownChain(live.meta.role);
        if (live.meta.tickers[own] === ticker && PRE_FUNDING[live.meta.role].has(live.state.phase))
          total += live.meta.amounts[own];
      }
      return total;
    },

    stats() {
      const cpu = process.cpuUsage();
      return { cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, liveSwaps: lives.size };
    },
  };
}
