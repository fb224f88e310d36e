// The taker's machine (docs/swap.md §5.2): checks the terms, locks once the maker's HTLC is
// confirmed in time, claims with the secret the maker's claim reveals, and otherwise refunds at its lock.
import { secretMatches } from './script.ts';
import { checkTerms, refundOpen, takerMayFund } from './timelock.ts';
import { verifyMakerHtlc } from './verify.ts';
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
  HtlcSeen,
  OwnSpend,
  StopReason,
  SwapSetup,
  SwapTerms,
  TakerEvent,
  TakerState,
  TheirSpend,
} from './types.ts';

type TS<P extends TakerState['phase']> = Extract<TakerState, { phase: P }>;

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
