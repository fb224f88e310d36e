// The maker's machine (docs/swap.md §5.1): proposes, locks first once the taker accepted, claims
// the taker's HTLC (revealing the secret) while it still may, and otherwise refunds at its lock.
import { secretMatches } from './script.ts';
import { checkProposal, checkTerms, makerMayClaim, refundOpen } from './timelock.ts';
import { verifyTakerHtlc } from './verify.ts';
import {
  abortMessage,
  claimEffect,
  final,
  fundEffect,
  fundedNotice,
  notify,
  ok,
  refundEffect,
  refuse,
  sameOutpoint,
  stop,
  watchEffects,
  type Result,
} from './step.ts';
import type {
  Effect,
  MakerEvent,
  MakerState,
  OwnSpend,
  StopReason,
  SwapSetup,
  SwapTerms,
  TheirSpend,
} from './types.ts';

type MS<P extends MakerState['phase']> = Extract<MakerState, { phase: P }>;

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

/**
 * A claim the chain has not shown by `makerClaimBy` is given up for the refund (a late claim: we
 * decided to claim, then crashed or could not broadcast). Revealing the secret later could cost us
 * both coins. A claim sent before a crash is never recorded, so the secret counts as possibly public.
 */
function makerClaimInTime(s: MS<'claiming'>): Result<MakerState> {
  if (s.claim.txid !== undefined || makerMayClaim(s.setup, s.heights)) return ok(s);
  const message = 'our claim did not go out before our deadline to claim';
  return startMakerRefund(s, stop('claim-too-late', message), true, s.theirClaim, [
    abortMessage(s.setup.terms.swapId, 'deadline-passed', message),
  ]);
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
      return makerClaimInTime({ ...s, heights: e.heights });
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
    // A claim given up late may still be out there: if it confirms we were paid, and an HTLC paid
    // for is never refunded.
    case 'ClaimBroadcast':
      if (!s.claimLost) return refuse(s, 'we never claimed');
      return ok(s.lateClaim === e.txid ? s : { ...s, lateClaim: e.txid });
    case 'ClaimConfirmed':
      if (!s.claimLost) return refuse(s, 'we never claimed');
      return ok({ role: 'maker', phase: 'completed', setup: s.setup, claimTxid: e.txid }, [
        notify('info', 'swap-completed', 'our claim confirmed after all: the swap is complete'),
      ]);
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
