// Claims and refunds: each is built and signed at the fee estimate (deterministic low-R signatures:
// the same inputs give the same txid), broadcast, and sent again on every new block of its chain and
// on the wall-clock retry while the machine still wants it and the chain does not show it. While it
// waits unconfirmed its rate rises with each block towards the user's cap by the lock it races, and
// it is replaced (RBF) when the rise is worth a replacement (docs/swap.md §8.8). A broadcast becomes
// ClaimBroadcast/RefundBroadcast through the swap's queue.
import { hexToBytes } from '@noble/hashes/utils.js';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { mineByOf, spendFeeRate, worthReplacing } from '../../src-shared/swaps/fees.ts';
import {
  claimMayGo,
  FEE_TARGET_BLOCKS,
  spendKindOf,
  spendWanted,
  type SpendKind,
} from '../../src-shared/swaps/rules.ts';
import type { FeeChildSent, SwapEvent } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { BuiltTx } from '../chain/htlc.ts';
import type { ChainWatcher } from '../chain/watcher.ts';
import { toJson } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { WalletService } from '../wallets/index.ts';
import { broadcast, buildSpend, type SpendEffect } from './chain-effects.ts';
import { packageOf, payForParent, type Package } from './cpfp.ts';
import type { Background, Live } from './durable.ts';

export interface SpendsDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'rpc' | 'feeEstimate'>;
  vault: Pick<Vault, 'swapPublicKey' | 'signSwapDigest'>;
  watcher(ticker: string): Pick<ChainWatcher, 'transaction' | 'poke'>;
  /** The user's fee cap for claims and refunds on a coin, sat/vB (never above the coin's own cap). */
  feeCap?(ticker: string): bigint | undefined;
  /** The chain's tip now, from its daemon (a claim with our own secret is judged against it). */
  freshHeight(ticker: string): Promise<number>;
  /** The maker's own secret for its claim (derived from the vault, never stored). */
  ownSecret(swapId: string): Uint8Array;
  /** Feeds an event to the swap through its queue. */
  report(live: Live, event: SwapEvent): Promise<unknown>;
  /** Keeps a fee child the wallet sent in the swap's record (it shows on the swap's page with its fee). */
  noteChild(live: Live, note: FeeChildSent): void;
  isRunning(): boolean;
  log: Logger;
  background: Background;
  crashAt?: (point: string) => void;
  /** Test seam: the child that pays for a spend (cpfp.ts). */
  payForParent?: typeof payForParent;
  /** Test seam: whether the daemon's mempool holds a transaction right now. */
  inMempool?: typeof daemonHasInMempool;
  /** Test seams: building and sending (chain-effects.ts). */
  build?: typeof buildSpend;
  send?: typeof broadcast;
}

export interface Spends {
  /** The machine asked for this claim or refund: keep it and push it now. */
  request(live: Live, e: SpendEffect): void;
  /** Pushes one spend unless it is already on the way or no longer wanted. */
  drive(live: Live, kind: SpendKind): Promise<void>;
  /** Forgets spends the machine no longer wants (after every step). */
  prune(live: Live): void;
  /** A new block on `ticker`: send again what is waiting there. */
  onTip(live: Live, ticker: string): void;
  /** The wall-clock retry: send again everything waiting. */
  retry(live: Live): void;
}

interface PendingSpend {
  readonly effect: SpendEffect;
  built?: BuiltTx;
  inFlight: boolean;
  /** Broadcast by this process at least once (a secret it carries is out). */
  sent?: boolean;
  /** The rate it was first built at and the height it was first sent at: its fee schedule starts there. */
  base?: bigint;
  firstHeight?: number;
  /** The package rate children (CPFP) already pay for the transaction out there, and their chain. */
  childRate?: bigint;
  children?: Package;
}

/** The spend's transaction, built and signed the first time it is needed in this process. */
async function buildOnce(d: SpendsDeps, live: Live, kind: SpendKind, p: PendingSpend): Promise<BuiltTx> {
  if (p.built) return p.built;
  const estimate = BigInt((await d.wallets.feeEstimate(p.effect.ticker, FEE_TARGET_BLOCKS[kind])).satPerVb);
  p.built = buildAt(d, live, p.effect, minRate(estimate, capOf(d, p.effect.ticker)));
  p.base = p.built.feeRate;
  return p.built;
}

/** The user's cap on this coin, never above the coin's own. */
function capOf(d: SpendsDeps, ticker: string): bigint {
  const coinCap = d.coins.get(ticker).maxFeeSatPerVb;
  const user = d.feeCap?.(ticker);
  return user !== undefined && user < coinCap ? user : coinCap;
}

const minRate = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The spend signed at `feeRate` (clamped to the coin's floor and cap by the builder). */
function buildAt(d: SpendsDeps, live: Live, e: SpendEffect, feeRate: bigint): BuiltTx {
  const keyIndex = live.context.keys[e.chain];
  const secret =
    e.type !== 'BroadcastClaim'
      ? undefined
      : e.preimage.kind === 'own'
        ? d.ownSecret(live.id)
        : hexToBytes(e.preimage.secret);
  return (d.build ?? buildSpend)(e, {
    coin: d.coins.get(e.ticker),
    feeRate,
    ...(secret ? { secret } : {}),
    signer: {
      publicKey: d.vault.swapPublicKey(keyIndex),
      signDigest: (digest) => d.vault.signSwapDigest(keyIndex, digest),
    },
  });
}

/**
 * The same spend at the rate its schedule asks for at `tip`, when that is worth a replacement; else
 * undefined. A rate the HTLC's value cannot carry (the payout would fall below dust) is not tried.
 */
function replacementOf(d: SpendsDeps, live: Live, p: PendingSpend, tip: number): BuiltTx | undefined {
  const current = p.built;
  if (!current || p.base === undefined || p.firstHeight === undefined) return undefined;
  const e = p.effect;
  const schedule = {
    base: p.base,
    cap: capOf(d, e.ticker),
    firstHeight: p.firstHeight,
    mineBy: mineByOf(e, p.firstHeight),
  };
  const next = spendFeeRate(schedule, tip);
  // The increment: the coin's fee floor, at least its relay increment (BIP 125 rule 4), so a replacement is never refused as too cheap.
  const coin = d.coins.get(e.ticker);
  const increment =
    coin.walletMinFeeSatPerVb > coin.minRelayFeeSatPerVb ? coin.walletMinFeeSatPerVb : coin.minRelayFeeSatPerVb;
  if (!worthReplacing(current.feeRate, next, increment)) return undefined;
  try {
    return buildAt(d, live, e, next);
  } catch (err) {
    d.log.warn('no replacement at a higher fee', { swapId: live.id, rate: String(next), error: errorText(err) });
    return undefined;
  }
}

type Send = typeof broadcast;

/** Sends the spend unless the chain has it, or its replacement when its rate should rise; the txid out there. */
async function push(
  d: SpendsDeps,
  send: Send,
  live: Live,
  kind: SpendKind,
  p: PendingSpend,
): Promise<string | undefined> {
  const e = p.effect;
  const built = await buildOnce(d, live, kind, p);
  const seen = d.watcher(e.ticker).transaction(built.txid);
  if (seen && seen.confirmations > 0) return built.txid;
  if (seen?.inMempool) {
    const tip = await d.freshHeight(e.ticker);
    if (p.firstHeight === undefined) {
      p.firstHeight = tip;
      return built.txid;
    }
    const better = replacementOf(d, live, p, tip);
    if (!better) return built.txid;
    // The watcher's view may be a poll behind the tip just read: a fee is raised only for what the
    // daemon still holds unconfirmed now, never for a spend already in a block.
    if (!(await (d.inMempool ?? daemonHasInMempool)(d.wallets.rpc(e.ticker), built.txid))) return built.txid;
    if (!(await sendOne(d, send, e, live, kind, better))) {
      await childPays(d, live, p, built, better.feeRate);
      return built.txid;
    }
    d.log.info(`${kind} replaced at a higher fee`, {
      swapId: live.id,
      replaced: built.txid,
      txid: better.txid,
      rate: String(better.feeRate),
    });
    p.built = better;
    return better.txid;
  }
  const tip = await d.freshHeight(e.ticker);
  if (e.type === 'BroadcastClaim' && !claimMayGo(e, tip, p.sent === true || seen !== undefined)) {
    d.log.warn('claim not sent: our deadline to claim has passed, the swap refunds instead', {
      swapId: live.id,
      deadline: e.deadline,
    });
    return undefined;
  }
  if (!(await sendOne(d, send, e, live, kind, built))) return undefined;
  p.sent = true;
  p.firstHeight ??= tip;
  d.crashAt?.(`after-${kind}-send`);
  return built.txid;
}

/** Whether the daemon's mempool holds `txid` right now (asked after the tip was read). */
async function daemonHasInMempool(rpc: RpcClient, txid: string): Promise<boolean> {
  try {
    await rpc.call('getmempoolentry', [txid], { wallet: false, retry: false });
    return true;
  } catch {
    // Not in the mempool (mined, or gone), or the daemon unreachable: nothing to raise this round.
    return false;
  }
}

/** The daemon would not take the replacement: a child of the spend pays for it instead (once per rate). */
async function childPays(d: SpendsDeps, live: Live, p: PendingSpend, parent: BuiltTx, rate: bigint): Promise<void> {
  if (p.childRate !== undefined && p.childRate >= rate) return;
  const e = p.effect;
  const pkg = p.children ?? packageOf(parent);
  if (!pkg) return;
  const child = await (d.payForParent ?? payForParent)(d.wallets.rpc(e.ticker), d.coins.get(e.ticker), pkg, rate);
  if (!child) return;
  p.childRate = rate;
  p.children = child;
  d.noteChild(live, {
    type: 'FeeChildSent',
    spend: spendKindOf(e),
    ticker: e.ticker,
    parent: pkg.txid,
    txid: child.txid,
    fee: child.fee - pkg.fee,
  });
  d.log.info('a child pays for the spend the daemon would not replace', {
    swapId: live.id,
    parent: parent.txid,
    child: child.txid,
    rate: String(rate),
  });
}

/** One broadcast; true when the daemon has it. */
async function sendOne(
  d: SpendsDeps,
  send: Send,
  e: SpendEffect,
  live: Live,
  kind: SpendKind,
  tx: BuiltTx,
): Promise<boolean> {
  const outcome = await send(d.wallets.rpc(e.ticker), tx.hex);
  if (typeof outcome !== 'string') {
    d.log.info(`${kind} not accepted by the daemon yet`, {
      swapId: live.id,
      txid: tx.txid,
      reason: 'retry' in outcome ? outcome.retry : outcome.spent,
    });
    return false;
  }
  void d.watcher(e.ticker).poke();
  return true;
}

export function createSpends(d: SpendsDeps): Spends {
  const send = d.send ?? broadcast;
  const pending = new WeakMap<Live, Map<SpendKind, PendingSpend>>();
  const spendsOf = (live: Live): Map<SpendKind, PendingSpend> => {
    let m = pending.get(live);
    if (!m) pending.set(live, (m = new Map()));
    return m;
  };

  async function drive(live: Live, kind: SpendKind): Promise<void> {
    const spends = spendsOf(live);
    const p = spends.get(kind);
    if (!p || p.inFlight || !d.isRunning()) return;
    if (!spendWanted(live.state, kind)) {
      spends.delete(kind);
      return;
    }
    p.inFlight = true;
    try {
      const txid = await push(d, send, live, kind, p);
      if (txid) await d.report(live, { type: kind === 'claim' ? 'ClaimBroadcast' : 'RefundBroadcast', txid });
    } catch (err) {
      d.log.warn(`could not send the ${kind}`, { swapId: live.id, error: errorText(err) });
    } finally {
      p.inFlight = false;
    }
  }

  return {
    request(live, e) {
      const kind = spendKindOf(e);
      const spends = spendsOf(live);
      const existing = spends.get(kind);
      if (!existing || toJson(existing.effect) !== toJson(e)) spends.set(kind, { effect: e, inFlight: false });
      d.background(drive(live, kind), kind, live.id);
    },
    drive,
    prune(live) {
      const spends = pending.get(live);
      if (!spends) return;
      for (const kind of [...spends.keys()]) if (!spendWanted(live.state, kind)) spends.delete(kind);
    },
    onTip(live, ticker) {
      for (const [kind, p] of pending.get(live) ?? [])
        if (p.effect.ticker === ticker) d.background(drive(live, kind), kind, live.id);
    },
    retry(live) {
      for (const kind of pending.get(live)?.keys() ?? []) d.background(drive(live, kind), kind, live.id);
    },
  };
}
