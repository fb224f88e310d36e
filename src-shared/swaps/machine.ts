// The maker and taker swap state machines: pure `(state, event) → { state, effects }` functions
// (docs/swap.md §5). No clock, no I/O: heights and time arrive as events, effects are commands
// the engine runs after it has stored the event. An event a state cannot take is refused: the
// same state object comes back with no effects and `refused` set; nothing throws.
import { secretMatches } from './script.ts';
import { checkProposal, checkTerms, makerMayClaim, refundOpen, swapDeadlines, takerMayFund } from './timelock.ts';
import { expectedScripts, verifyMakerHtlc, verifyTakerHtlc } from './verify.ts';
import type {
  AbortReason,
  Chain,
  Effect,
  HtlcSeen,
  MakerEvent,
  MakerState,
  OwnSpend,
  StopReason,
  SwapEvent,
  SwapSetup,
  SwapState,
  SwapTerms,
  TakerEvent,
  TakerState,
  TheirSpend,
  TransitionResult,
} from './types.ts';

type MS<P extends MakerState['phase']> = Extract<MakerState, { phase: P }>;
type TS<P extends TakerState['phase']> = Extract<TakerState, { phase: P }>;
type Result<S> = TransitionResult<S>;

export const initialMakerState: MakerState = { role: 'maker', phase: 'new' };
export const initialTakerState: TakerState = { role: 'taker', phase: 'new' };

const TAKER_ONLY = new Set<SwapEvent['type']>(['TakerStarted', 'CounterpartyClaimed']);
const MAKER_ONLY = new Set<SwapEvent['type']>(['MakerStarted', 'CounterpartyAccepted']);

/** Dispatch on the state's role; an event of the other role is refused. */
export function transition(state: SwapState, event: SwapEvent): Result<SwapState> {
  if (state.role === 'maker') {
    if (TAKER_ONLY.has(event.type)) return refuse(state, `${event.type} is a taker event`);
    return transitionMaker(state, event as MakerEvent);
  }
  if (MAKER_ONLY.has(event.type)) return refuse(state, `${event.type} is a maker event`);
  return transitionTaker(state, event as TakerEvent);
}

// ---------------------------------------------------------------- helpers

function refuse<S>(state: S, reason: string): Result<S> {
  return { state, effects: [], refused: reason };
}
function ok<S>(state: S, effects: readonly Effect[] = []): Result<S> {
  return { state, effects };
}
function notify(level: 'info' | 'warning' | 'error', code: string, message: string): Effect {
  return { type: 'Notify', level, code, message };
}
function abortMessage(swapId: string, reason: AbortReason, message: string): Effect {
  return { type: 'SendMessage', message: { type: 'swap.abort', swapId, reason, message } };
}
function stop(code: string, message: string): StopReason {
  return { code, message };
}
function legOf(terms: SwapTerms, chain: Chain) {
  return chain === 'makerChain' ? terms.makerLeg : terms.takerLeg;
}
function final(terms: SwapTerms, chain: Chain, confirmations: number): boolean {
  return confirmations >= legOf(terms, chain).confirmations;
}
function sameOutpoint(a: { txid: string; vout: number } | undefined, b: { txid: string; vout: number }): boolean {
  return a !== undefined && a.txid === b.txid && a.vout === b.vout;
}

function fundEffect(setup: SwapSetup, chain: Chain): Effect {
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
function watchEffects(setup: SwapSetup, own: Chain): Effect[] {
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
function claimEffect(setup: SwapSetup, role: 'maker' | 'taker', theirs: HtlcSeen, secret?: string): Effect {
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
  };
}
function refundEffect(setup: SwapSetup, role: 'maker' | 'taker', own: { txid: string; vout: number }): Effect {
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
function fundedNotice(setup: SwapSetup, role: 'maker' | 'taker', txid: string, vout: number): Effect {
  const chain: Chain = role === 'maker' ? 'makerChain' : 'takerChain';
  const { witnessScript } = expectedScripts(setup.terms, chain);
  const type = role === 'maker' ? ('swap.makerFunded' as const) : ('swap.takerFunded' as const);
  return { type: 'SendMessage', message: { type, swapId: setup.terms.swapId, txid, vout, witnessScript } };
}

// ---------------------------------------------------------------- maker

export function transitionMaker(s: MakerState, e: MakerEvent): Result<MakerState> {
  switch (s.phase) {
    case 'new':
      return makerNew(s, e);
    case 'proposed':
      return makerProposed(s, e);
    case 'funding':
      return makerFunding(s, e);
    case 'funded':
      return makerFunded(s, e);
    case 'claiming':
      return makerClaiming(s, e);
    case 'refunding':
      return makerRefunding(s, e);
    default:
      return refuse(s, `the swap has finished (${s.phase})`);
  }
}

function makerFailed(swapId: string, reason: StopReason, effects: Effect[]): Result<MakerState> {
  return ok({ role: 'maker', phase: 'failedBeforeFunding', swapId, reason }, [
    ...effects,
    notify('warning', 'swap-failed', reason.message),
  ]);
}

function makerNew(s: MS<'new'>, e: MakerEvent): Result<MakerState> {
  if (e.type !== 'MakerStarted') return refuse(s, 'the swap has not started');
  const check = checkProposal(e.proposal, e.heights, { chains: e.chains, policy: e.policy });
  if (!check.ok)
    return makerFailed(e.proposal.swapId, stop('terms-rejected', check.problems.map((p) => p.message).join('; ')), []);
  return ok(
    {
      role: 'maker',
      phase: 'proposed',
      proposal: e.proposal,
      chains: e.chains,
      policy: e.policy,
      heights: e.heights,
      acceptByMs: e.nowMs + e.policy.acceptTimeoutMs,
    },
    [{ type: 'SendMessage', message: { type: 'swap.propose', ...e.proposal } }],
  );
}

function makerProposed(s: MS<'proposed'>, e: MakerEvent): Result<MakerState> {
  const swapId = s.proposal.swapId;
  switch (e.type) {
    case 'CounterpartyAccepted': {
      const terms: SwapTerms = { ...s.proposal, takerPubkeys: e.takerPubkeys, takerAddresses: e.takerAddresses };
      const check = checkTerms(terms, s.heights, { chains: s.chains, policy: s.policy });
      if (!check.ok) {
        const message = check.problems.map((p) => p.message).join('; ');
        return makerFailed(swapId, stop('terms-rejected', message), [abortMessage(swapId, 'terms-rejected', message)]);
      }
      const setup: SwapSetup = { terms, chains: s.chains, policy: s.policy };
      return ok({ role: 'maker', phase: 'funding', setup, heights: s.heights }, [
        fundEffect(setup, 'makerChain'),
        ...watchEffects(setup, 'makerChain'),
      ]);
    }
    // Before it accepted, an abort from the taker is its answer to the proposal: a refusal.
    case 'CounterpartyAborted':
      return makerFailed(swapId, stop('refused', `the peer refused the proposal: ${e.message}`), []);
    case 'Abort':
      return makerFailed(swapId, stop('user-abort', e.reason), [abortMessage(swapId, 'user-abort', e.reason)]);
    case 'TimerTick':
      if (e.nowMs >= s.acceptByMs) {
        const message = 'the taker did not answer the proposal in time';
        return makerFailed(swapId, stop('accept-timeout', message), [abortMessage(swapId, 'accept-timeout', message)]);
      }
      return ok({ ...s, heights: e.heights });
    default:
      return refuse(s, `${e.type} before the taker accepted`);
  }
}

function makerFunding(s: MS<'funding'>, e: MakerEvent): Result<MakerState> {
  const swapId = s.setup.terms.swapId;
  switch (e.type) {
    case 'OwnFundingBroadcast': {
      const ownFunding = { txid: e.txid, vout: e.vout, confirmations: 0 };
      if (s.stop) {
        return startMakerRefund(
          { setup: s.setup, heights: s.heights, ownFunding },
          s.stop,
          false,
          undefined,
          s.stop.code === 'user-abort' ? [abortMessage(swapId, 'user-abort', s.stop.message)] : [],
        );
      }
      return ok({ role: 'maker', phase: 'funded', setup: s.setup, heights: s.heights, ownFunding }, [
        fundedNotice(s.setup, 'maker', e.txid, e.vout),
      ]);
    }
    case 'OwnFundingFailed':
      return makerFailed(swapId, stop('funding-failed', e.reason), [
        abortMessage(swapId, 'funding-failed', 'the maker could not lock its coins'),
      ]);
    case 'Abort':
      return ok(s.stop ? s : { ...s, stop: stop('user-abort', e.reason) });
    case 'CounterpartyAborted':
      return ok(s.stop ? s : { ...s, stop: stop('counterparty-abort', e.message) });
    case 'TimerTick':
      return ok({ ...s, heights: e.heights });
    default:
      return refuse(s, `${e.type} while our funding is in progress`);
  }
}

type MakerFundedFields = Pick<MS<'funded'>, 'setup' | 'heights' | 'ownFunding' | 'theirFunding' | 'theirNotice'>;

function fundedFields(s: MakerFundedFields): MakerFundedFields {
  return {
    setup: s.setup,
    heights: s.heights,
    ownFunding: s.ownFunding,
    theirFunding: s.theirFunding,
    theirNotice: s.theirNotice,
  };
}

function startMakerRefund(
  f: MakerFundedFields,
  reason: StopReason,
  claimLost: boolean,
  theirClaim: TheirSpend | undefined,
  effects: Effect[],
): Result<MakerState> {
  const open = refundOpen(f.setup.terms, 'makerChain', f.heights);
  const refund: OwnSpend | undefined = open ? { requested: true } : undefined;
  return ok({ role: 'maker', phase: 'refunding', ...fundedFields(f), reason, claimLost, refund, theirClaim }, [
    ...effects,
    notify(
      claimLost ? 'error' : 'warning',
      'swap-refunding',
      `${reason.message}; our coins come back when our lock ends`,
    ),
    ...(open ? [refundEffect(f.setup, 'maker', f.ownFunding)] : []),
  ]);
}

/** Decide on the taker's HTLC with what we know now: claim, wait, or give up. */
function makerEvaluate(s: MS<'funded'>): Result<MakerState> {
  const swapId = s.setup.terms.swapId;
  if (s.theirFunding) {
    const v = verifyTakerHtlc(s.setup, s.theirFunding, s.heights);
    if (v.status === 'valid') {
      return ok(
        {
          role: 'maker',
          phase: 'claiming',
          ...fundedFields(s),
          theirFunding: s.theirFunding,
          claim: { requested: true },
        },
        [claimEffect(s.setup, 'maker', s.theirFunding)],
      );
    }
    if (v.status === 'invalid')
      return startMakerRefund(s, stop(v.code, v.message), false, undefined, [
        abortMessage(swapId, 'counterparty-htlc-invalid', v.message),
      ]);
    if (v.status === 'expired')
      return startMakerRefund(s, stop(v.code, v.message), false, undefined, [
        abortMessage(swapId, 'deadline-passed', v.message),
      ]);
    return ok(s);
  }
  if (!makerMayClaim(s.setup, s.heights)) {
    const message = 'the taker did not lock its coins in time';
    return startMakerRefund(s, stop('deadline-passed', message), false, undefined, [
      abortMessage(swapId, 'deadline-passed', message),
    ]);
  }
  return ok(s);
}

function makerFunded(s: MS<'funded'>, e: MakerEvent): Result<MakerState> {
  const swapId = s.setup.terms.swapId;
  switch (e.type) {
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFunded':
      return ok({ ...s, theirNotice: { txid: e.txid, vout: e.vout, witnessScript: e.witnessScript } });
    case 'CounterpartyFundingSeen':
      // The first valid output wins; later outputs to the same address (anyone can pay to it) are ignored.
      if (s.theirFunding && !sameOutpoint(s.theirFunding, e.htlc)) return ok(s);
      return makerEvaluate({ ...s, theirFunding: e.htlc });
    case 'CounterpartyFundingGone':
      return ok(s.theirFunding?.txid === e.txid ? { ...s, theirFunding: undefined } : s);
    case 'TimerTick':
      return makerEvaluate({ ...s, heights: e.heights });
    case 'CounterpartyRefundSeen':
      if (!final(s.setup.terms, 'takerChain', e.confirmations)) return ok(s);
      return startMakerRefund(s, stop('counterparty-refunded', 'the taker took its coins back'), false, undefined, []);
    case 'Abort':
      return startMakerRefund(s, stop('user-abort', e.reason), false, undefined, [
        abortMessage(swapId, 'user-abort', e.reason),
      ]);
    case 'CounterpartyAborted':
      return startMakerRefund(s, stop('counterparty-abort', e.message), false, undefined, []);
    case 'CounterpartyClaimSeen':
      return refuse(s, 'our HTLC cannot be claimed: the secret has not been revealed');
    default:
      return refuse(s, `${e.type} before we decided to claim`);
  }
}

function makerClaimLost(s: MS<'claiming'>, reason: StopReason): Result<MakerState> {
  if (s.theirClaim && final(s.setup.terms, 'makerChain', s.theirClaim.confirmations)) {
    return ok({ role: 'maker', phase: 'lost', setup: s.setup, reason }, [
      notify(
        'error',
        'swap-lost',
        `${reason.message} after our claim revealed the secret, and the taker claimed our coins`,
      ),
    ]);
  }
  return startMakerRefund(s, reason, true, s.theirClaim, []);
}

function makerClaiming(s: MS<'claiming'>, e: MakerEvent): Result<MakerState> {
  const terms = s.setup.terms;
  switch (e.type) {
    case 'ClaimBroadcast':
      if (s.claim.txid === e.txid) return ok(s);
      return ok({ ...s, claim: { requested: true, txid: e.txid } }, [
        { type: 'SendMessage', message: { type: 'swap.makerClaimed', swapId: terms.swapId, txid: e.txid } },
      ]);
    case 'ClaimConfirmed':
      return ok({ role: 'maker', phase: 'completed', setup: s.setup, claimTxid: e.txid }, [
        notify('info', 'swap-completed', 'the swap is complete'),
      ]);
    case 'CounterpartyClaimSeen':
      if (!secretMatches(e.secret, terms.secretHash))
        return refuse(s, 'the claimed preimage does not match the secret hash');
      return ok({ ...s, theirClaim: { txid: e.txid, confirmations: e.confirmations } });
    case 'CounterpartyRefundSeen':
      if (!final(terms, 'takerChain', e.confirmations)) return ok(s);
      return makerClaimLost(s, stop('claim-lost', 'the taker refunded its coins before our claim confirmed'));
    case 'CounterpartyFundingGone':
      if (s.theirFunding.txid !== e.txid) return ok(s);
      return makerClaimLost(
        s,
        stop('claim-lost', "the taker's funding vanished from the chain before our claim confirmed"),
      );
    case 'CounterpartyFundingSeen':
      return ok(sameOutpoint(s.theirFunding, e.htlc) ? { ...s, theirFunding: e.htlc } : s);
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFunded':
      return ok(s);
    case 'TimerTick':
      return ok({ ...s, heights: e.heights });
    case 'Abort':
    case 'CounterpartyAborted':
      return refuse(s, 'our claim is broadcast and the secret is public: the swap must finish');
    default:
      return refuse(s, `${e.type} while claiming`);
  }
}

function makerRefunding(s: MS<'refunding'>, e: MakerEvent): Result<MakerState> {
  const terms = s.setup.terms;
  switch (e.type) {
    case 'TimerTick': {
      const next = { ...s, heights: e.heights };
      if (s.refund || !refundOpen(terms, 'makerChain', e.heights)) return ok(next);
      return ok({ ...next, refund: { requested: true } }, [refundEffect(s.setup, 'maker', s.ownFunding)]);
    }
    case 'RefundBroadcast':
      if (!s.refund) return refuse(s, 'no refund was requested yet');
      return ok({ ...s, refund: { requested: true, txid: e.txid } });
    case 'RefundConfirmed':
      if (!s.refund) return refuse(s, 'no refund was requested yet');
      return ok({ role: 'maker', phase: 'refunded', setup: s.setup, refundTxid: e.txid, reason: s.reason }, [
        notify('info', 'swap-refunded', 'our coins are back in the wallet'),
      ]);
    case 'CounterpartyClaimSeen':
      if (!s.claimLost) return refuse(s, 'our HTLC cannot be claimed: the secret was never revealed');
      if (!secretMatches(e.secret, terms.secretHash))
        return refuse(s, 'the claimed preimage does not match the secret hash');
      if (final(terms, 'makerChain', e.confirmations)) {
        return ok({ role: 'maker', phase: 'lost', setup: s.setup, reason: s.reason }, [
          notify('error', 'swap-lost', `${s.reason.message}, and the taker claimed our coins`),
        ]);
      }
      return ok({ ...s, theirClaim: { txid: e.txid, confirmations: e.confirmations } });
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFunded':
    case 'CounterpartyFundingSeen':
    case 'CounterpartyFundingGone':
    case 'CounterpartyRefundSeen':
    case 'CounterpartyAborted':
    case 'Abort':
      return ok(s);
    default:
      return refuse(s, `${e.type} while refunding`);
  }
}

// ---------------------------------------------------------------- taker

export function transitionTaker(s: TakerState, e: TakerEvent): Result<TakerState> {
  switch (s.phase) {
    case 'new':
      return takerNew(s, e);
    case 'accepted':
      return takerAccepted(s, e);
    case 'funding':
      return takerFunding(s, e);
    case 'funded':
      return takerFunded(s, e);
    case 'claiming':
      return takerClaiming(s, e);
    case 'refunding':
      return takerRefunding(s, e);
    default:
      return refuse(s, `the swap has finished (${s.phase})`);
  }
}

function takerFailed(swapId: string, reason: StopReason, effects: Effect[]): Result<TakerState> {
  return ok({ role: 'taker', phase: 'failedBeforeFunding', swapId, reason }, [
    ...effects,
    notify('warning', 'swap-failed', reason.message),
  ]);
}

function takerNew(s: TS<'new'>, e: TakerEvent): Result<TakerState> {
  if (e.type !== 'TakerStarted') return refuse(s, 'the swap has not started');
  const terms: SwapTerms = { ...e.proposal, takerPubkeys: e.takerPubkeys, takerAddresses: e.takerAddresses };
  const swapId = e.proposal.swapId;
  const check = checkTerms(terms, e.heights, {
    chains: e.chains,
    policy: e.policy,
    minConfirmations: e.minConfirmations,
  });
  if (!check.ok) {
    const message = check.problems.map((p) => p.message).join('; ');
    return takerFailed(swapId, stop('terms-rejected', message), [abortMessage(swapId, 'terms-rejected', message)]);
  }
  const setup: SwapSetup = { terms, chains: e.chains, policy: e.policy };
  return ok({ role: 'taker', phase: 'accepted', setup, heights: e.heights }, [
    {
      type: 'SendMessage',
      message: { type: 'swap.accept', swapId, takerPubkeys: e.takerPubkeys, takerAddresses: e.takerAddresses },
    },
    ...watchEffects(setup, 'takerChain'),
  ]);
}

function takerEvaluate(s: TS<'accepted'>): Result<TakerState> {
  const swapId = s.setup.terms.swapId;
  if (s.theirFunding) {
    const v = verifyMakerHtlc(s.setup, s.theirFunding, s.heights);
    if (v.status === 'valid') {
      return ok({ role: 'taker', phase: 'funding', setup: s.setup, heights: s.heights, theirFunding: s.theirFunding }, [
        fundEffect(s.setup, 'takerChain'),
      ]);
    }
    if (v.status === 'invalid')
      return takerFailed(swapId, stop(v.code, v.message), [
        abortMessage(swapId, 'counterparty-htlc-invalid', v.message),
      ]);
    if (v.status === 'expired') {
      // The maker did lock: say so, so a late lock (or our own absence) is not told as a missing one.
      const message = `the maker locked its coins, but too little time was left for us to lock ours safely when we saw it (${v.message})`;
      return takerFailed(swapId, stop(v.code, message), [abortMessage(swapId, 'deadline-passed', message)]);
    }
    return ok(s);
  }
  const may = takerMayFund(s.setup, s.heights);
  if (!may.ok) {
    const message = `the maker did not lock its coins in time (${may.message})`;
    return takerFailed(swapId, stop(may.code, message), [abortMessage(swapId, 'deadline-passed', message)]);
  }
  return ok(s);
}

function takerAccepted(s: TS<'accepted'>, e: TakerEvent): Result<TakerState> {
  const swapId = s.setup.terms.swapId;
  switch (e.type) {
    case 'CounterpartyFunded':
      return ok({ ...s, theirNotice: { txid: e.txid, vout: e.vout, witnessScript: e.witnessScript } });
    case 'CounterpartyFundingSeen':
      if (s.theirFunding && !sameOutpoint(s.theirFunding, e.htlc))
        return e.heights ? takerEvaluate({ ...s, heights: e.heights }) : ok(s);
      return takerEvaluate({ ...s, theirFunding: e.htlc, heights: e.heights ?? s.heights });
    case 'CounterpartyFundingGone':
      return ok(s.theirFunding?.txid === e.txid ? { ...s, theirFunding: undefined } : s);
    case 'TimerTick':
      return takerEvaluate({ ...s, heights: e.heights });
    case 'Abort':
      return takerFailed(swapId, stop('user-abort', e.reason), [abortMessage(swapId, 'user-abort', e.reason)]);
    case 'CounterpartyAborted':
      return takerFailed(swapId, stop('counterparty-abort', e.message), []);
    default:
      return refuse(s, `${e.type} before the maker's HTLC was accepted`);
  }
}

type TakerFundedFields = Pick<TS<'funded'>, 'setup' | 'heights' | 'ownFunding' | 'theirFunding' | 'theirNotice'>;

function takerFundedFields(s: TakerFundedFields): TakerFundedFields {
  return {
    setup: s.setup,
    heights: s.heights,
    ownFunding: s.ownFunding,
    theirFunding: s.theirFunding,
    theirNotice: s.theirNotice,
  };
}

function startTakerRefund(
  f: TakerFundedFields,
  reason: StopReason,
  extra: Pick<TS<'refunding'>, 'refund' | 'theirGone' | 'theirClaim'>,
  effects: Effect[],
): Result<TakerState> {
  const open = !extra.refund && refundOpen(f.setup.terms, 'takerChain', f.heights);
  return ok(
    {
      role: 'taker',
      phase: 'refunding',
      ...takerFundedFields(f),
      reason,
      ...extra,
      refund: open ? { requested: true } : extra.refund,
    },
    [
      ...effects,
      notify('warning', 'swap-refunding', `${reason.message}; our coins come back when our lock ends`),
      ...(open ? [refundEffect(f.setup, 'taker', f.ownFunding)] : []),
    ],
  );
}

function takerStartClaim(
  f: TakerFundedFields & { theirFunding: HtlcSeen },
  secret: string,
  theirClaim: TheirSpend,
  refund: OwnSpend | undefined,
): Result<TakerState> {
  return ok(
    {
      role: 'taker',
      phase: 'claiming',
      ...takerFundedFields(f),
      theirFunding: f.theirFunding,
      secret,
      theirClaim,
      claim: { requested: true },
      refund,
    },
    [claimEffect(f.setup, 'taker', f.theirFunding, secret)],
  );
}

function takerFunding(s: TS<'funding'>, e: TakerEvent): Result<TakerState> {
  const swapId = s.setup.terms.swapId;
  switch (e.type) {
    case 'OwnFundingBroadcast': {
      const f = {
        setup: s.setup,
        heights: s.heights,
        ownFunding: { txid: e.txid, vout: e.vout, confirmations: 0 },
        theirFunding: s.theirFunding,
      };
      if (s.stop) {
        return startTakerRefund(
          f,
          s.stop,
          {},
          s.stop.code === 'counterparty-abort'
            ? []
            : [
                abortMessage(
                  swapId,
                  s.stop.code === 'user-abort' ? 'user-abort' : 'counterparty-vanished',
                  s.stop.message,
                ),
              ],
        );
      }
      return ok({ role: 'taker', phase: 'funded', ...f }, [fundedNotice(s.setup, 'taker', e.txid, e.vout)]);
    }
    case 'OwnFundingFailed':
      return takerFailed(swapId, stop('funding-failed', e.reason), [
        abortMessage(swapId, 'funding-failed', 'the taker could not lock its coins'),
      ]);
    case 'Abort':
      return ok(s.stop ? s : { ...s, stop: stop('user-abort', e.reason) });
    case 'CounterpartyAborted':
      return ok(s.stop ? s : { ...s, stop: stop('counterparty-abort', e.message) });
    case 'CounterpartyFundingGone':
      if (s.theirFunding.txid !== e.txid || s.stop) return ok(s);
      return ok({ ...s, stop: stop('counterparty-funding-gone', "the maker's funding vanished from the chain") });
    case 'CounterpartyFundingSeen':
      return ok(sameOutpoint(s.theirFunding, e.htlc) ? { ...s, theirFunding: e.htlc } : s);
    case 'TimerTick':
      return ok({ ...s, heights: e.heights });
    default:
      return refuse(s, `${e.type} while our funding is in progress`);
  }
}

function takerFunded(s: TS<'funded'>, e: TakerEvent): Result<TakerState> {
  const swapId = s.setup.terms.swapId;
  switch (e.type) {
    case 'CounterpartyClaimSeen':
      if (!secretMatches(e.secret, s.setup.terms.secretHash))
        return refuse(s, 'the claimed preimage does not match the secret hash');
      return takerStartClaim(s, e.secret, { txid: e.txid, confirmations: e.confirmations }, undefined);
    case 'CounterpartyClaimed':
      return ok(s);
    case 'TimerTick': {
      const next = { ...s, heights: e.heights };
      if (!refundOpen(s.setup.terms, 'takerChain', e.heights)) return ok(next);
      return startTakerRefund(next, stop('lock-expired', 'the maker did not claim before our lock ended'), {}, []);
    }
    case 'CounterpartyRefundSeen':
      if (!final(s.setup.terms, 'makerChain', e.confirmations)) return ok(s);
      return startTakerRefund(
        s,
        stop('counterparty-refunded', 'the maker took its coins back'),
        { theirGone: { how: 'refunded', txid: e.txid } },
        [],
      );
    case 'CounterpartyFundingGone':
      if (s.theirFunding.txid !== e.txid) return ok(s);
      return startTakerRefund(
        s,
        stop('counterparty-funding-gone', "the maker's funding vanished from the chain"),
        { theirGone: { how: 'conflicted', txid: e.txid } },
        [],
      );
    case 'Abort':
      return startTakerRefund(s, stop('user-abort', e.reason), {}, [abortMessage(swapId, 'user-abort', e.reason)]);
    case 'CounterpartyAborted':
      return startTakerRefund(s, stop('counterparty-abort', e.message), {}, []);
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFundingSeen':
      return ok(sameOutpoint(s.theirFunding, e.htlc) ? { ...s, theirFunding: e.htlc } : s);
    case 'CounterpartyFunded':
      return ok(s);
    default:
      return refuse(s, `${e.type} before the secret was revealed`);
  }
}

function takerClaimLost(
  s: TS<'claiming'>,
  reason: StopReason,
  theirGone: NonNullable<TS<'refunding'>['theirGone']>,
): Result<TakerState> {
  if (s.refund?.confirmed && s.refund.txid) {
    return ok({ role: 'taker', phase: 'refunded', setup: s.setup, refundTxid: s.refund.txid, reason }, [
      notify('warning', 'swap-refunded', `${reason.message}; our own refund had already confirmed`),
    ]);
  }
  if (final(s.setup.terms, 'takerChain', s.theirClaim.confirmations)) {
    return ok({ role: 'taker', phase: 'lost', setup: s.setup, reason }, [
      notify('error', 'swap-lost', `${reason.message} after the maker claimed our coins`),
    ]);
  }
  return startTakerRefund(s, reason, { refund: s.refund, theirGone, theirClaim: s.theirClaim }, []);
}

function takerClaiming(s: TS<'claiming'>, e: TakerEvent): Result<TakerState> {
  const terms = s.setup.terms;
  switch (e.type) {
    case 'ClaimBroadcast':
      return ok(s.claim.txid === e.txid ? s : { ...s, claim: { requested: true, txid: e.txid } });
    case 'ClaimConfirmed': {
      const refundTxid = s.refund?.confirmed ? s.refund.txid : undefined;
      return ok(
        { role: 'taker', phase: 'completed', setup: s.setup, claimTxid: e.txid, ...(refundTxid ? { refundTxid } : {}) },
        [notify('info', 'swap-completed', 'the swap is complete')],
      );
    }
    case 'RefundBroadcast':
      if (!s.refund) return refuse(s, 'no refund was requested');
      return ok({ ...s, refund: { requested: true, txid: e.txid } });
    case 'RefundConfirmed':
      if (!s.refund) return refuse(s, 'no refund was requested');
      return ok({ ...s, refund: { requested: true, txid: e.txid, confirmed: true } });
    case 'CounterpartyClaimSeen':
      if (!secretMatches(e.secret, terms.secretHash))
        return refuse(s, 'the claimed preimage does not match the secret hash');
      return ok({ ...s, theirClaim: { txid: e.txid, confirmations: e.confirmations } });
    case 'CounterpartyRefundSeen':
      if (!final(terms, 'makerChain', e.confirmations)) return ok(s);
      return takerClaimLost(s, stop('claim-lost', 'the maker refunded its coins before our claim confirmed'), {
        how: 'refunded',
        txid: e.txid,
      });
    case 'CounterpartyFundingGone':
      if (s.theirFunding.txid !== e.txid) return ok(s);
      return takerClaimLost(
        s,
        stop('claim-lost', "the maker's funding vanished from the chain before our claim confirmed"),
        { how: 'conflicted', txid: e.txid },
      );
    case 'TimerTick':
      return ok({ ...s, heights: e.heights });
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFundingSeen':
      return ok(sameOutpoint(s.theirFunding, e.htlc) ? { ...s, theirFunding: e.htlc } : s);
    case 'CounterpartyClaimed':
    case 'CounterpartyFunded':
      return ok(s);
    case 'Abort':
    case 'CounterpartyAborted':
      return refuse(s, 'our claim is broadcast: the swap must finish');
    default:
      return refuse(s, `${e.type} while claiming`);
  }
}

function takerRefunding(s: TS<'refunding'>, e: TakerEvent): Result<TakerState> {
  const terms = s.setup.terms;
  switch (e.type) {
    case 'TimerTick': {
      const next = { ...s, heights: e.heights };
      if (s.refund || !refundOpen(terms, 'takerChain', e.heights)) return ok(next);
      return ok({ ...next, refund: { requested: true } }, [refundEffect(s.setup, 'taker', s.ownFunding)]);
    }
    case 'RefundBroadcast':
      if (!s.refund) return refuse(s, 'no refund was requested yet');
      return ok({ ...s, refund: { requested: true, txid: e.txid } });
    case 'RefundConfirmed':
      if (!s.refund) return refuse(s, 'no refund was requested yet');
      return ok({ role: 'taker', phase: 'refunded', setup: s.setup, refundTxid: e.txid, reason: s.reason }, [
        notify('info', 'swap-refunded', 'our coins are back in the wallet'),
      ]);
    case 'CounterpartyClaimSeen': {
      if (!secretMatches(e.secret, terms.secretHash))
        return refuse(s, 'the claimed preimage does not match the secret hash');
      const theirClaim = { txid: e.txid, confirmations: e.confirmations };
      if (!s.theirGone && s.theirFunding)
        return takerStartClaim({ ...s, theirFunding: s.theirFunding }, e.secret, theirClaim, s.refund);
      if (final(terms, 'takerChain', e.confirmations)) {
        return ok({ role: 'taker', phase: 'lost', setup: s.setup, reason: s.reason }, [
          notify('error', 'swap-lost', `${s.reason.message}, and the maker claimed our coins`),
        ]);
      }
      return ok({ ...s, theirClaim });
    }
    case 'CounterpartyRefundSeen':
      if (s.theirGone || !final(terms, 'makerChain', e.confirmations)) return ok(s);
      return ok({ ...s, theirGone: { how: 'refunded', txid: e.txid } });
    case 'CounterpartyFundingGone':
      if (s.theirGone || s.theirFunding?.txid !== e.txid) return ok(s);
      return ok({ ...s, theirGone: { how: 'conflicted', txid: e.txid } });
    case 'OwnFundingConfirmed':
      return ok({ ...s, ownFunding: { ...s.ownFunding, confirmations: e.confirmations } });
    case 'CounterpartyFundingSeen':
      return ok(sameOutpoint(s.theirFunding, e.htlc) ? { ...s, theirFunding: e.htlc } : s);
    case 'CounterpartyFunded':
    case 'CounterpartyClaimed':
    case 'CounterpartyAborted':
    case 'Abort':
      return ok(s);
    default:
      return refuse(s, `${e.type} while refunding`);
  }
}

// ---------------------------------------------------------------- resume

/**
 * The effects that must be running for a state after a restart (all idempotent): watches, the
 * pending message, funding, a claim in progress, a refund once requested. A taker that is claiming
 * does not push its own refund any more: once it has seen the maker's claim, racing it would only
 * take the maker's coins.
 */
export function resumeEffects(state: SwapState): Effect[] {
  if (state.role === 'maker') {
    switch (state.phase) {
      case 'proposed':
        return [{ type: 'SendMessage', message: { type: 'swap.propose', ...state.proposal } }];
      case 'funding':
        return [fundEffect(state.setup, 'makerChain'), ...watchEffects(state.setup, 'makerChain')];
      case 'funded':
        return [
          ...watchEffects(state.setup, 'makerChain'),
          fundedNotice(state.setup, 'maker', state.ownFunding.txid, state.ownFunding.vout),
        ];
      case 'claiming':
        return [
          ...watchEffects(state.setup, 'makerChain'),
          claimEffect(state.setup, 'maker', state.theirFunding),
          ...(state.claim.txid
            ? [
                {
                  type: 'SendMessage' as const,
                  message: {
                    type: 'swap.makerClaimed' as const,
                    swapId: state.setup.terms.swapId,
                    txid: state.claim.txid,
                  },
                },
              ]
            : []),
        ];
      case 'refunding':
        return [
          ...watchEffects(state.setup, 'makerChain'),
          ...(state.refund ? [refundEffect(state.setup, 'maker', state.ownFunding)] : []),
        ];
      default:
        return [];
    }
  }
  switch (state.phase) {
    case 'accepted':
      return [
        {
          type: 'SendMessage',
          message: {
            type: 'swap.accept',
            swapId: state.setup.terms.swapId,
            takerPubkeys: state.setup.terms.takerPubkeys,
            takerAddresses: state.setup.terms.takerAddresses,
          },
        },
        ...watchEffects(state.setup, 'takerChain'),
      ];
    case 'funding':
      return [fundEffect(state.setup, 'takerChain'), ...watchEffects(state.setup, 'takerChain')];
    case 'funded':
      return [
        ...watchEffects(state.setup, 'takerChain'),
        fundedNotice(state.setup, 'taker', state.ownFunding.txid, state.ownFunding.vout),
      ];
    case 'claiming':
      return [
        ...watchEffects(state.setup, 'takerChain'),
        claimEffect(state.setup, 'taker', state.theirFunding, state.secret),
      ];
    case 'refunding':
      return [
        ...watchEffects(state.setup, 'takerChain'),
        ...(state.refund ? [refundEffect(state.setup, 'taker', state.ownFunding)] : []),
      ];
    default:
      return [];
  }
}
