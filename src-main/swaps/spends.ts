// Claims and refunds: each is built and signed once per process run (deterministic low-R
// signatures: the same inputs give the same txid), broadcast, and sent again on every new block of
// its chain and on the wall-clock retry while the machine still wants it and the chain does not
// show it. A broadcast becomes ClaimBroadcast/RefundBroadcast through the swap's queue.
import { hexToBytes } from '@noble/hashes/utils.js';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import {
  claimMayGo,
  FEE_TARGET_BLOCKS,
  spendKindOf,
  spendWanted,
  type SpendKind,
} from '../../src-shared/swaps/rules.ts';
import type { SwapEvent } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { BuiltTx } from '../chain/htlc.ts';
import type { ChainWatcher } from '../chain/watcher.ts';
import { toJson } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { broadcast, buildSpend, type SpendEffect } from './chain-effects.ts';
import type { Background, Live } from './durable.ts';

export interface SpendsDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'rpc' | 'feeEstimate'>;
  vault: Pick<Vault, 'swapPublicKey' | 'signSwapDigest'>;
  watcher(ticker: string): Pick<ChainWatcher, 'transaction' | 'poke'>;
  /** The chain's tip now, from its daemon (a claim with our own secret is judged against it). */
  freshHeight(ticker: string): Promise<number>;
  /** The maker's own secret for its claim (derived from the vault, never stored). */
  ownSecret(swapId: string): Uint8Array;
  /** Feeds an event to the swap through its queue. */
  report(live: Live, event: SwapEvent): Promise<unknown>;
  isRunning(): boolean;
  log: Logger;
  background: Background;
  crashAt?: (point: string) => void;
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
}

/** The spend's transaction, built and signed the first time it is needed in this process. */
async function buildOnce(d: SpendsDeps, live: Live, kind: SpendKind, p: PendingSpend): Promise<BuiltTx> {
  if (p.built) return p.built;
  const e = p.effect;
  const keyIndex = live.context.keys[e.chain];
  const feeRate = BigInt((await d.wallets.feeEstimate(e.ticker, FEE_TARGET_BLOCKS[kind])).satPerVb);
  const secret =
    e.type !== 'BroadcastClaim'
      ? undefined
      : e.preimage.kind === 'own'
        ? d.ownSecret(live.id)
        : hexToBytes(e.preimage.secret);
  p.built = (d.build ?? buildSpend)(e, {
    coin: d.coins.get(e.ticker),
    feeRate,
    ...(secret ? { secret } : {}),
    signer: {
      publicKey: d.vault.swapPublicKey(keyIndex),
      signDigest: (digest) => d.vault.signSwapDigest(keyIndex, digest),
    },
  });
  return p.built;
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
    const e = p.effect;
    try {
      const built = await buildOnce(d, live, kind, p);
      const seen = d.watcher(e.ticker).transaction(built.txid);
      if (!seen || (!seen.inMempool && seen.confirmations === 0)) {
        if (e.type === 'BroadcastClaim' && !claimMayGo(e, await d.freshHeight(e.ticker), p.sent === true || !!seen)) {
          d.log.warn('claim not sent: our deadline to claim has passed, the swap refunds instead', {
            swapId: live.id,
            deadline: e.deadline,
          });
          return;
        }
        const outcome = await send(d.wallets.rpc(e.ticker), built.hex);
        if (typeof outcome !== 'string') {
          d.log.info(`${kind} not accepted by the daemon yet`, {
            swapId: live.id,
            txid: built.txid,
            reason: 'retry' in outcome ? outcome.retry : outcome.spent,
          });
          return;
        }
        p.sent = true;
        d.crashAt?.(`after-${kind}-send`);
        void d.watcher(e.ticker).poke();
      }
      await d.report(live, { type: kind === 'claim' ? 'ClaimBroadcast' : 'RefundBroadcast', txid: built.txid });
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
