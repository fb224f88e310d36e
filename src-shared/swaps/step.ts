// The building blocks of a machine step, shared by the maker and the taker machines: results
// (a step, a refusal), stop reasons, notices, and the effects each side asks for (fund, watch,
// claim, refund, the notices sent to the counterparty).
import { swapDeadlines } from './timelock.ts';
import { expectedScripts } from './verify.ts';
import type {
  AbortReason,
  Chain,
  Effect,
  HtlcSeen,
  StopReason,
  SwapSetup,
  SwapTerms,
  TransitionResult,
} from './types.ts';

export type Result<S> = TransitionResult<S>;

export function refuse<S>(state: S, reason: string): Result<S> {
  return { state, effects: [], refused: reason };
}
export function ok<S>(state: S, effects: readonly Effect[] = []): Result<S> {
  return { state, effects };
}
export function notify(level: 'info' | 'warning' | 'error', code: string, message: string): Effect {
  return { type: 'Notify', level, code, message };
}
export function abortMessage(swapId: string, reason: AbortReason, message: string): Effect {
  return { type: 'SendMessage', message: { type: 'swap.abort', swapId, reason, message } };
}
export function stop(code: string, message: string): StopReason {
  return { code, message };
}
export function legOf(terms: SwapTerms, chain: Chain) {
  return chain === 'makerChain' ? terms.makerLeg : terms.takerLeg;
}
export function final(terms: SwapTerms, chain: Chain, confirmations: number): boolean {
  return confirmations >= legOf(terms, chain).confirmations;
}
export function sameOutpoint(
  a: { txid: string; vout: number } | undefined,
  b: { txid: string; vout: number },
): boolean {
  return a !== undefined && a.txid === b.txid && a.vout === b.vout;
}

export function fundEffect(setup: SwapSetup, chain: Chain): Effect {
  const leg = legOf(setup.terms, chain);
  const d = swapDeadlines(setup);
  return {
    type: 'FundHtlc',
    chain,
    ticker: leg.ticker,
    amount: leg.amount,
    ...expectedScripts(setup.terms, chain),
    notAfter: chain === 'makerChain' ? d.makerFundBy : d.takerFundBy,
  };
}
export function watchEffects(setup: SwapSetup, own: Chain): Effect[] {
  const other: Chain = own === 'makerChain' ? 'takerChain' : 'makerChain';
  return [
    {
      type: 'WatchHtlc',
      chain: own,
      ticker: legOf(setup.terms, own).ticker,
      side: 'own',
      ...expectedScripts(setup.terms, own),
    },
    {
      type: 'WatchHtlc',
      chain: other,
      ticker: legOf(setup.terms, other).ticker,
      side: 'counterparty',
      ...expectedScripts(setup.terms, other),
    },
  ];
}
/** Maker claims the taker's HTLC (taker chain); taker claims the maker's (maker chain). */
export function claimEffect(setup: SwapSetup, role: 'maker' | 'taker', theirs: HtlcSeen, secret?: string): Effect {
  const chain: Chain = role === 'maker' ? 'takerChain' : 'makerChain';
  const d = swapDeadlines(setup);
  return {
    type: 'BroadcastClaim',
    chain,
    ticker: legOf(setup.terms, chain).ticker,
    outpoint: { txid: theirs.txid, vout: theirs.vout },
    amount: theirs.amount,
    witnessScript: expectedScripts(setup.terms, chain).witnessScript,
    preimage: secret === undefined ? { kind: 'own' } : { kind: 'learned', secret },
    payoutAddress: role === 'maker' ? setup.terms.makerAddresses.payout : setup.terms.takerAddresses.payout,
    deadline: role === 'maker' ? d.makerClaimBy.height : d.takerClaimBy.height,
    raceBy: role === 'maker' ? d.takerRefundAt.height : d.makerRefundAt.height,
  };
}
export function refundEffect(setup: SwapSetup, role: 'maker' | 'taker', own: { txid: string; vout: number }): Effect {
  const chain: Chain = role === 'maker' ? 'makerChain' : 'takerChain';
  const leg = legOf(setup.terms, chain);
  return {
    type: 'BroadcastRefund',
    chain,
    ticker: leg.ticker,
    outpoint: { txid: own.txid, vout: own.vout },
    amount: leg.amount,
    witnessScript: expectedScripts(setup.terms, chain).witnessScript,
    locktime: leg.locktime,
    refundAddress: role === 'maker' ? setup.terms.makerAddresses.refund : setup.terms.takerAddresses.refund,
  };
}
export function fundedNotice(setup: SwapSetup, role: 'maker' | 'taker', txid: string, vout: number): Effect {
  const chain: Chain = role === 'maker' ? 'makerChain' : 'takerChain';
  const { witnessScript } = expectedScripts(setup.terms, chain);
  const type = role === 'maker' ? ('swap.makerFunded' as const) : ('swap.takerFunded' as const);
  return { type: 'SendMessage', message: { type, swapId: setup.terms.swapId, txid, vout, witnessScript } };
}
