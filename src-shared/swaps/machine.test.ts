import { describe, expect, it } from 'vitest';
import {
  initialMakerState,
  initialTakerState,
  resumeEffects,
  transition,
  transitionMaker,
  transitionTaker,
} from './machine.ts';
import { swapDeadlines } from './timelock.ts';
import {
  MAKER_FUNDING_TXID,
  MAKER_PATH,
  SECRET,
  SECRET_HASH,
  START,
  TAKER_FUNDING_TXID,
  TAKER_KEYS,
  TAKER_PATH,
  driveMaker,
  driveTaker,
  makerStarted,
  proposal,
  seen,
  setup,
  takerAccepted,
  takerStarted,
  terms,
  tick,
  NOW,
  POLICY,
  pubkeyOf,
} from './testkit.ts';
import type {
  Effect,
  MakerEvent,
  MakerState,
  SwapEvent,
  SwapState,
  TakerEvent,
  TakerState,
  TransitionResult,
} from './types.ts';
import { isTerminal } from './types.ts';

const D = swapDeadlines(setup());
const L_M = terms().makerLeg.locktime;
const L_T = terms().takerLeg.locktime;
const WRONG_SECRET = '00'.repeat(32);
const CLAIM_TXID = 'c1'.repeat(32);
const REFUND_TXID = 'd1'.repeat(32);

function types(effects: readonly Effect[]): string[] {
  return effects.map((e) => (e.type === 'SendMessage' ? `SendMessage:${e.message.type}` : e.type));
}
function maker(path: MakerEvent[], ...more: MakerEvent[]): TransitionResult<MakerState> {
  return driveMaker([...path, ...more]);
}
function taker(path: TakerEvent[], ...more: TakerEvent[]): TransitionResult<TakerState> {
  return driveTaker([...path, ...more]);
}
function expectRefused<S extends SwapState>(state: S, event: SwapEvent, reason: RegExp) {
  const r = transition(state, event);
  expect(r.refused).toMatch(reason);
  expect(r.state).toBe(state);
  expect(r.effects).toEqual([]);
}
function effect<T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }> {
  const found = effects.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} effect in ${types(effects).join(', ')}`);
  return found as Extract<Effect, { type: T }>;
}

describe('test setup', () => {
  it('uses the locks and deadlines the policy gives for DEVA/DEVB at heights 200/300', () => {
    expect({ L_M, L_T }).toEqual({ L_M: 264, L_T: 332 });
    expect(D.makerFundBy.height).toBe(312);
    expect(D.takerFundBy.height).toBe(313);
    expect(D.makerClaimBy.height).toBe(326);
    expect(D.takerClaimBy.height).toBe(258);
  });
});

describe('maker: new', () => {
  it('a valid start sends the proposal and waits for an answer', () => {
    const r = transitionMaker(initialMakerState, makerStarted);
    expect(r.state.phase).toBe('proposed');
    expect(types(r.effects)).toEqual(['SendMessage:swap.propose']);
    expect(r.state.phase === 'proposed' && r.state.acceptByMs).toBe(NOW + POLICY.acceptTimeoutMs);
  });
  it('a start with a malformed secret hash fails before funding without contacting the taker', () => {
    const r = transitionMaker(initialMakerState, {
      ...makerStarted,
      proposal: proposal({ secretHash: 'abcd' }),
    } as MakerEvent);
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'terms-rejected' } });
    expect(types(r.effects)).toEqual(['Notify']);
  });
  it('refuses any other event before the start', () => expectRefused(initialMakerState, tick(1, 1), /not started/));
});

describe('maker: proposed', () => {
  it('an accept with valid taker keys locks the maker coins and watches both HTLCs', () => {
    const r = maker(MAKER_PATH.proposed, takerAccepted);
    expect(r.state.phase).toBe('funding');
    expect(types(r.effects)).toEqual(['FundHtlc', 'WatchHtlc', 'WatchHtlc']);
    const fund = effect(r.effects, 'FundHtlc');
    expect(fund).toMatchObject({ chain: 'makerChain', ticker: 'DEVA', amount: 1_000_000n, notAfter: D.makerFundBy });
  });
  it('an accept reusing the maker key as the taker key fails before funding and tells the taker', () => {
    const r = maker(MAKER_PATH.proposed, {
      ...takerAccepted,
      takerPubkeys: { ...TAKER_KEYS, makerChain: pubkeyOf(1) },
    } as MakerEvent);
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'terms-rejected' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('an accept arriving after the taker chain moved past makerFundBy fails: the locks got too short', () => {
    const r = maker(MAKER_PATH.proposed, tick(START.makerChain, D.makerFundBy.height + 1), takerAccepted);
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'terms-rejected' } });
  });
  it("an abort before the taker accepted is its refusal: failed before funding, with the peer's words", () => {
    const r = maker(MAKER_PATH.proposed, {
      type: 'CounterpartyAborted',
      reason: 'terms-rejected',
      message: 'this node has not agreed to that swap',
    });
    expect(r.state).toMatchObject({
      phase: 'failedBeforeFunding',
      reason: { code: 'refused', message: 'the peer refused the proposal: this node has not agreed to that swap' },
    });
    expect(types(r.effects)).toEqual(['Notify']);
  });
  it('a user abort ends the swap and tells the taker', () => {
    const r = maker(MAKER_PATH.proposed, { type: 'Abort', reason: 'changed my mind' });
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'user-abort' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a tick before the accept timeout only records heights', () => {
    const r = maker(MAKER_PATH.proposed, tick(201, 301, NOW + 1000));
    expect(r.state).toMatchObject({ phase: 'proposed', heights: { makerChain: 201, takerChain: 301 } });
    expect(r.effects).toEqual([]);
  });
  it('a tick at the accept timeout fails the swap and tells the taker', () => {
    const r = maker(MAKER_PATH.proposed, tick(200, 300, NOW + POLICY.acceptTimeoutMs));
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'accept-timeout' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('refuses a funding report before the accept', () => {
    expectRefused(
      maker(MAKER_PATH.proposed).state,
      { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 0 },
      /before the taker accepted/,
    );
  });
});

describe('maker: funding', () => {
  it('a broadcast funding moves to funded and sends the notice with the witness script', () => {
    const r = maker(MAKER_PATH.funding, { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 1 });
    expect(r.state).toMatchObject({
      phase: 'funded',
      ownFunding: { txid: MAKER_FUNDING_TXID, vout: 1, confirmations: 0 },
    });
    const msg = effect(r.effects, 'SendMessage').message;
    expect(msg).toMatchObject({
      type: 'swap.makerFunded',
      txid: MAKER_FUNDING_TXID,
      vout: 1,
      witnessScript: seen('makerChain').witnessScript,
    });
  });
  it('a wallet failure ends the swap before funding and tells the taker', () => {
    const r = maker(MAKER_PATH.funding, { type: 'OwnFundingFailed', reason: 'insufficient funds' });
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'funding-failed' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a user abort during the wallet call is held until the wallet answers, then refunds', () => {
    const held = maker(MAKER_PATH.funding, { type: 'Abort', reason: 'stop' });
    expect(held.state).toMatchObject({ phase: 'funding', stop: { code: 'user-abort' } });
    expect(held.effects).toEqual([]);
    const r = transitionMaker(held.state, { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 0 });
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'user-abort' }, claimLost: false });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a counterparty abort during the wallet call ends in failedBeforeFunding if the wallet then fails', () => {
    const r = maker(
      MAKER_PATH.funding,
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'bye' },
      { type: 'OwnFundingFailed', reason: 'locked' },
    );
    expect(r.state.phase).toBe('failedBeforeFunding');
  });
  it('a counterparty abort during the wallet call refunds without answering if the funding went out', () => {
    const r = maker(
      MAKER_PATH.funding,
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'bye' },
      { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 0 },
    );
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'counterparty-abort' } });
    expect(types(r.effects)).toEqual(['Notify']);
  });
  it('a second abort keeps the first reason', () => {
    const r = maker(
      MAKER_PATH.funding,
      { type: 'Abort', reason: 'first' },
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'second' },
    );
    expect(r.state).toMatchObject({ stop: { code: 'user-abort', message: 'first' } });
  });
  it('a tick records heights', () =>
    expect(maker(MAKER_PATH.funding, tick(201, 301)).state).toMatchObject({
      phase: 'funding',
      heights: { takerChain: 301 },
    }));
  it('refuses a counterparty HTLC before our own funding is out', () => {
    expectRefused(
      maker(MAKER_PATH.funding).state,
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') },
      /funding is in progress/,
    );
  });
});

describe('maker: funded', () => {
  it('a confirmed, valid taker HTLC makes the maker claim with its own secret', () => {
    const r = maker(MAKER_PATH.funded, { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') });
    expect(r.state.phase).toBe('claiming');
    const claim = effect(r.effects, 'BroadcastClaim');
    expect(claim).toMatchObject({
      chain: 'takerChain',
      ticker: 'DEVB',
      outpoint: { txid: TAKER_FUNDING_TXID, vout: 0 },
      amount: 4_000_000n,
      preimage: { kind: 'own' },
      payoutAddress: terms().makerAddresses.payout,
      deadline: D.makerClaimBy.height,
    });
  });
  it('an unconfirmed taker HTLC is kept and claimed once a confirmation update arrives', () => {
    const waiting = maker(MAKER_PATH.funded, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('takerChain', { confirmations: 0 }),
    });
    expect(waiting.state).toMatchObject({ phase: 'funded', theirFunding: { confirmations: 0 } });
    expect(waiting.effects).toEqual([]);
    const r = transitionMaker(waiting.state, { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') });
    expect(r.state.phase).toBe('claiming');
  });
  const wrong: Array<[string, Partial<ReturnType<typeof seen>>, string]> = [
    ['a wrong amount', { amount: 3_999_999n }, 'wrong-amount'],
    [
      'a different secret hash',
      { ...pick(seen('takerChain', {}, terms({ secretHash: 'ff'.repeat(32) }))) },
      'wrong-secret-hash',
    ],
    [
      'a shorter lock',
      { ...pick(seen('takerChain', {}, terms({ takerLeg: { ...terms().takerLeg, locktime: L_T - 1 } }))) },
      'lock-too-short',
    ],
    ['an output paying elsewhere', { outputScript: '0020' + '00'.repeat(32) }, 'output-script-mismatch'],
  ];
  it.each(wrong)(
    'a taker HTLC with %s is never claimed: the maker refunds and tells the taker',
    (_name, over, code) => {
      const r = maker(MAKER_PATH.funded, { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', over) });
      expect(r.state).toMatchObject({ phase: 'refunding', reason: { code }, claimLost: false });
      expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
    },
  );
  it('a taker HTLC seen after makerClaimBy is not claimed', () => {
    const r = maker(
      MAKER_PATH.funded,
      tick(210, D.makerClaimBy.height - 1),
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', { confirmations: 0 }) },
      tick(210, D.makerClaimBy.height),
    );
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'deadline-passed' } });
  });
  it('no taker HTLC by makerClaimBy: the maker gives up and will refund at its lock', () => {
    const before = maker(MAKER_PATH.funded, tick(210, D.makerClaimBy.height - 1));
    expect(before.state.phase).toBe('funded');
    const r = transitionMaker(before.state, tick(210, D.makerClaimBy.height));
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'deadline-passed' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a second output to the HTLC address after a valid pending one is ignored (anyone can pay to it)', () => {
    const r = maker(
      MAKER_PATH.funded,
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', { confirmations: 0 }) },
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', { txid: 'ee'.repeat(32), amount: 5000n }) },
    );
    expect(r.state).toMatchObject({ phase: 'funded', theirFunding: { txid: TAKER_FUNDING_TXID } });
  });
  it('a taker funding conflicted away is forgotten', () => {
    const r = maker(
      MAKER_PATH.funded,
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', { confirmations: 0 }) },
      { type: 'CounterpartyFundingGone', txid: TAKER_FUNDING_TXID },
    );
    expect(r.state.phase).toBe('funded');
    expect(r.state.phase === 'funded' && r.state.theirFunding).toBeUndefined();
  });
  it('a final taker refund moves the maker to refunding; an unconfirmed one changes nothing', () => {
    expect(
      maker(MAKER_PATH.funded, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 0 }).state.phase,
    ).toBe('funded');
    expect(
      maker(MAKER_PATH.funded, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 }).state,
    ).toMatchObject({ phase: 'refunding', reason: { code: 'counterparty-refunded' } });
  });
  it('a user abort after funding refunds at the lock and tells the taker', () => {
    const r = maker(MAKER_PATH.funded, { type: 'Abort', reason: 'stop' });
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'user-abort' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a counterparty abort after funding refunds at the lock', () => {
    expect(
      maker(MAKER_PATH.funded, { type: 'CounterpartyAborted', reason: 'user-abort', message: 'bye' }).state,
    ).toMatchObject({ phase: 'refunding' });
  });
  it('records its own funding depth and the taker notice', () => {
    const r = maker(
      MAKER_PATH.funded,
      { type: 'OwnFundingConfirmed', confirmations: 3 },
      {
        type: 'CounterpartyFunded',
        txid: TAKER_FUNDING_TXID,
        vout: 0,
        witnessScript: seen('takerChain').witnessScript,
      },
    );
    expect(r.state).toMatchObject({
      phase: 'funded',
      ownFunding: { confirmations: 3 },
      theirNotice: { txid: TAKER_FUNDING_TXID },
    });
  });
  it('refuses a claim of its HTLC: the secret has not been revealed', () => {
    expectRefused(
      maker(MAKER_PATH.funded).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
      /not been revealed/,
    );
  });
  it('refuses claim and refund reports it never asked for', () => {
    const s = maker(MAKER_PATH.funded).state;
    expectRefused(s, { type: 'ClaimConfirmed', txid: CLAIM_TXID }, /before we decided/);
    expectRefused(s, { type: 'RefundConfirmed', txid: REFUND_TXID }, /before we decided/);
  });
});

describe('maker: claiming', () => {
  it('the broadcast claim is announced to the taker once per txid', () => {
    const r = maker(MAKER_PATH.claiming, { type: 'ClaimBroadcast', txid: CLAIM_TXID });
    expect(r.state).toMatchObject({ phase: 'claiming', claim: { txid: CLAIM_TXID } });
    expect(effect(r.effects, 'SendMessage').message).toEqual({
      type: 'swap.makerClaimed',
      swapId: 'swap-1',
      txid: CLAIM_TXID,
    });
    const again = transitionMaker(r.state, { type: 'ClaimBroadcast', txid: CLAIM_TXID });
    expect(again.state).toBe(r.state);
    expect(again.effects).toEqual([]);
  });
  it('a confirmed claim completes the swap', () => {
    const r = maker(MAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: CLAIM_TXID });
    expect(r.state).toMatchObject({ phase: 'completed', claimTxid: CLAIM_TXID });
    expect(types(r.effects)).toEqual(['Notify']);
  });
  it('the taker claiming the maker HTLC is recorded; a wrong preimage is refused', () => {
    const r = maker(MAKER_PATH.claiming, {
      type: 'CounterpartyClaimSeen',
      txid: 'c2'.repeat(32),
      secret: SECRET,
      confirmations: 0,
    });
    expect(r.state).toMatchObject({ phase: 'claiming', theirClaim: { confirmations: 0 } });
    expectRefused(
      r.state,
      { type: 'CounterpartyClaimSeen', txid: 'c2'.repeat(32), secret: WRONG_SECRET, confirmations: 1 },
      /does not match/,
    );
  });
  it('claim lost to a final taker refund: the maker refunds its own HTLC (secret public)', () => {
    const r = maker(MAKER_PATH.claiming, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 });
    expect(r.state).toMatchObject({ phase: 'refunding', claimLost: true, reason: { code: 'claim-lost' } });
    expect(types(r.effects)).toEqual(['Notify']);
  });
  it('an unconfirmed taker refund does not count as a lost claim', () => {
    expect(
      maker(MAKER_PATH.claiming, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 0 }).state.phase,
    ).toBe('claiming');
  });
  it('claim lost after the taker already claimed the maker HTLC: lost', () => {
    const r = maker(
      MAKER_PATH.claiming,
      { type: 'CounterpartyClaimSeen', txid: 'c2'.repeat(32), secret: SECRET, confirmations: 1 },
      { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 },
    );
    expect(r.state).toMatchObject({ phase: 'lost', reason: { code: 'claim-lost' } });
    expect(r.effects).toEqual([expect.objectContaining({ type: 'Notify', level: 'error', code: 'swap-lost' })]);
  });
  it('the taker funding conflicted away under our claim: claim lost, refund at the lock', () => {
    const r = maker(MAKER_PATH.claiming, { type: 'CounterpartyFundingGone', txid: TAKER_FUNDING_TXID });
    expect(r.state).toMatchObject({ phase: 'refunding', claimLost: true });
    expect(maker(MAKER_PATH.claiming, { type: 'CounterpartyFundingGone', txid: 'ee'.repeat(32) }).state.phase).toBe(
      'claiming',
    );
  });
  it('claim lost after the maker lock opened requests the refund at once', () => {
    const r = maker(MAKER_PATH.claiming, { type: 'ClaimBroadcast', txid: CLAIM_TXID }, tick(L_M, L_T), {
      type: 'CounterpartyRefundSeen',
      txid: REFUND_TXID,
      confirmations: 1,
    });
    expect(r.state).toMatchObject({ phase: 'refunding', refund: { requested: true } });
    expect(effect(r.effects, 'BroadcastRefund')).toMatchObject({
      chain: 'makerChain',
      locktime: L_M,
      outpoint: { txid: MAKER_FUNDING_TXID },
    });
  });
  it('aborts are refused: the secret is public and the swap must finish', () => {
    const s = maker(MAKER_PATH.claiming).state;
    expectRefused(s, { type: 'Abort', reason: 'stop' }, /secret is public/);
    expectRefused(s, { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' }, /secret is public/);
  });
  it('refuses a refund report', () =>
    expectRefused(maker(MAKER_PATH.claiming).state, { type: 'RefundConfirmed', txid: REFUND_TXID }, /while claiming/));
  it('keeps confirmation updates and ticks without acting', () => {
    const r = maker(
      MAKER_PATH.claiming,
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain', { confirmations: 4 }) },
      { type: 'OwnFundingConfirmed', confirmations: 2 },
      tick(230, 320),
    );
    expect(r.state).toMatchObject({
      phase: 'claiming',
      theirFunding: { confirmations: 4 },
      ownFunding: { confirmations: 2 },
      heights: { takerChain: 320 },
    });
    expect(r.effects).toEqual([]);
  });
});

describe('maker: a late claim (issue 9 item 2)', () => {
  it('a claim not seen on the chain by makerClaimBy is given up for the refund (restart past the claim deadline)', () => {
    const r = maker(MAKER_PATH.claiming, tick(210, D.makerClaimBy.height));
    expect(r.state).toMatchObject({ phase: 'refunding', claimLost: true, reason: { code: 'claim-too-late' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
    expect(effect(r.effects, 'SendMessage').message).toMatchObject({ reason: 'deadline-passed' });
  });
  it('one block before makerClaimBy the claim still stands', () => {
    const r = maker(MAKER_PATH.claiming, tick(210, D.makerClaimBy.height - 1));
    expect(r.state.phase).toBe('claiming');
    expect(r.effects).toEqual([]);
  });
  it('a claim the chain shows is kept past makerClaimBy: the secret is out, only its confirmation helps', () => {
    const r = maker(
      MAKER_PATH.claiming,
      { type: 'ClaimBroadcast', txid: CLAIM_TXID },
      tick(210, D.makerClaimBy.height + 3),
    );
    expect(r.state.phase).toBe('claiming');
  });
  it('the given-up claim confirming after all completes the swap (a paid-for HTLC is never refunded)', () => {
    const r = maker(
      MAKER_PATH.claiming,
      tick(210, D.makerClaimBy.height),
      { type: 'ClaimBroadcast', txid: CLAIM_TXID },
      { type: 'ClaimConfirmed', txid: CLAIM_TXID },
    );
    expect(r.state).toMatchObject({ phase: 'completed', claimTxid: CLAIM_TXID });
  });
  it('the taker claiming our HTLC with the secret after a given-up claim is the loss it is', () => {
    const late = maker(MAKER_PATH.claiming, tick(210, D.makerClaimBy.height));
    const r = transitionMaker(late.state, {
      type: 'CounterpartyClaimSeen',
      txid: 'c2'.repeat(32),
      secret: SECRET,
      confirmations: 1,
    });
    expect(r.state.phase).toBe('lost');
  });
  it('a refund that never had a claim refuses our claim events', () => {
    const r = maker(MAKER_PATH.funded, tick(210, D.makerClaimBy.height));
    expect(r.state).toMatchObject({ phase: 'refunding', claimLost: false });
    expectRefused(r.state, { type: 'ClaimConfirmed', txid: CLAIM_TXID }, /we never claimed/);
  });
});

describe('maker: refunding', () => {
  it('waits for the maker lock, then asks for the refund exactly once', () => {
    const before = maker(MAKER_PATH.refunding, tick(L_M - 1, 340));
    expect(before.effects).toEqual([]);
    const at = transitionMaker(before.state, tick(L_M, 341));
    expect(effect(at.effects, 'BroadcastRefund')).toMatchObject({
      chain: 'makerChain',
      ticker: 'DEVA',
      amount: 1_000_000n,
      locktime: L_M,
      refundAddress: terms().makerAddresses.refund,
    });
    expect(transitionMaker(at.state, tick(L_M + 1, 342)).effects).toEqual([]);
  });
  it('a refund report before the refund was requested is refused', () => {
    const s = maker(MAKER_PATH.refunding).state;
    expectRefused(s, { type: 'RefundBroadcast', txid: REFUND_TXID }, /no refund was requested/);
    expectRefused(s, { type: 'RefundConfirmed', txid: REFUND_TXID }, /no refund was requested/);
  });
  it('a confirmed refund ends refunded', () => {
    const r = maker(
      MAKER_PATH.refunding,
      tick(L_M, 340),
      { type: 'RefundBroadcast', txid: REFUND_TXID },
      { type: 'RefundConfirmed', txid: REFUND_TXID },
    );
    expect(r.state).toMatchObject({ phase: 'refunded', refundTxid: REFUND_TXID, reason: { code: 'user-abort' } });
  });
  it('refuses a claim of its HTLC when the secret was never revealed', () => {
    expectRefused(
      maker(MAKER_PATH.refunding).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 1 },
      /never revealed/,
    );
  });
  it('after a lost claim, the taker claiming the maker HTLC ends lost once final', () => {
    const lostClaim = maker(MAKER_PATH.claiming, {
      type: 'CounterpartyRefundSeen',
      txid: REFUND_TXID,
      confirmations: 1,
    });
    const pending = transitionMaker(lostClaim.state, {
      type: 'CounterpartyClaimSeen',
      txid: 'c2'.repeat(32),
      secret: SECRET,
      confirmations: 0,
    });
    expect(pending.state).toMatchObject({ phase: 'refunding', theirClaim: { confirmations: 0 } });
    expect(
      transitionMaker(pending.state, {
        type: 'CounterpartyClaimSeen',
        txid: 'c2'.repeat(32),
        secret: SECRET,
        confirmations: 1,
      }).state.phase,
    ).toBe('lost');
    expectRefused(
      pending.state,
      { type: 'CounterpartyClaimSeen', txid: 'c2'.repeat(32), secret: WRONG_SECRET, confirmations: 1 },
      /does not match/,
    );
  });
  it('late notices, a late taker HTLC and repeated aborts change nothing', () => {
    const s = maker(MAKER_PATH.refunding).state;
    for (const e of [
      { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') },
      { type: 'CounterpartyFunded', txid: TAKER_FUNDING_TXID, vout: 0, witnessScript: '00' },
      { type: 'CounterpartyFundingGone', txid: TAKER_FUNDING_TXID },
      { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 },
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' },
      { type: 'Abort', reason: 'again' },
    ] as MakerEvent[]) {
      const r = transitionMaker(s, e);
      expect(r.refused).toBeUndefined();
      expect(r.state).toBe(s);
      expect(r.effects).toEqual([]);
    }
  });
  it('records its funding depth; refuses claim reports', () => {
    const s = maker(MAKER_PATH.refunding, { type: 'OwnFundingConfirmed', confirmations: 5 }).state;
    expect(s).toMatchObject({ ownFunding: { confirmations: 5 } });
    expectRefused(s, { type: 'ClaimConfirmed', txid: CLAIM_TXID }, /we never claimed/);
  });
});

describe('maker: terminal states refuse everything', () => {
  const terminals: Array<[string, MakerEvent[]]> = [
    ['completed', [...MAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: CLAIM_TXID }]],
    ['refunded', [...MAKER_PATH.refunding, tick(L_M, 340), { type: 'RefundConfirmed', txid: REFUND_TXID }]],
    ['failedBeforeFunding', [...MAKER_PATH.proposed, { type: 'Abort', reason: 'x' }]],
    [
      'lost',
      [
        ...MAKER_PATH.claiming,
        { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 1 },
        { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 },
      ],
    ],
  ];
  it.each(terminals)('%s', (phase, path) => {
    const s = driveMaker(path).state;
    expect(s.phase).toBe(phase);
    expect(isTerminal(s)).toBe(true);
    expectRefused(s, tick(500, 500), /finished/);
    expectRefused(s, { type: 'Abort', reason: 'x' }, /finished/);
    expect(resumeEffects(s)).toEqual([]);
  });
});

describe('taker: new', () => {
  it('acceptable terms are accepted and both HTLCs watched', () => {
    const r = transitionTaker(initialTakerState, takerStarted);
    expect(r.state.phase).toBe('accepted');
    expect(types(r.effects)).toEqual(['SendMessage:swap.accept', 'WatchHtlc', 'WatchHtlc']);
    expect(effect(r.effects, 'SendMessage').message).toEqual({
      type: 'swap.accept',
      swapId: 'swap-1',
      takerPubkeys: TAKER_KEYS,
      takerAddresses: terms().takerAddresses,
    });
  });
  it("terms asking fewer confirmations than the user's risk setting are refused and the maker told", () => {
    const r = transitionTaker(initialTakerState, {
      ...takerStarted,
      minConfirmations: { makerChain: 3, takerChain: 1 },
    } as TakerEvent);
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'terms-rejected' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a proposal with inverted locks is refused', () => {
    const p = proposal();
    const inverted = { ...p, makerLeg: { ...p.makerLeg, locktime: START.makerChain + 10 } };
    const r = transitionTaker(initialTakerState, { ...takerStarted, proposal: inverted } as TakerEvent);
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding' });
    expect(r.state.phase === 'failedBeforeFunding' && r.state.reason.message).toMatch(
      /maker's lock must end well after/,
    );
  });
  it('refuses any other event before the start', () => expectRefused(initialTakerState, tick(1, 1), /not started/));
});

describe('taker: accepted', () => {
  it('a confirmed, valid maker HTLC with time left makes the taker lock its coins', () => {
    const r = taker(TAKER_PATH.accepted, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain') });
    expect(r.state.phase).toBe('funding');
    expect(effect(r.effects, 'FundHtlc')).toMatchObject({
      chain: 'takerChain',
      ticker: 'DEVB',
      amount: 4_000_000n,
      notAfter: D.takerFundBy,
    });
  });
  it('an unconfirmed maker HTLC is kept until it has the agreed depth', () => {
    const r = taker(TAKER_PATH.accepted, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('makerChain', { confirmations: 0 }),
    });
    expect(r.state).toMatchObject({ phase: 'accepted', theirFunding: { confirmations: 0 } });
    expect(r.effects).toEqual([]);
    expect(transitionTaker(r.state, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain') }).state.phase).toBe(
      'funding',
    );
  });
  const wrong: Array<[string, Partial<ReturnType<typeof seen>>, string]> = [
    ['a wrong amount', { amount: 1_000_001n }, 'wrong-amount'],
    [
      'a different secret hash',
      pick(seen('makerChain', {}, terms({ secretHash: 'ff'.repeat(32) }))),
      'wrong-secret-hash',
    ],
    [
      'a lock shorter than agreed',
      pick(seen('makerChain', {}, terms({ makerLeg: { ...terms().makerLeg, locktime: L_M - 1 } }))),
      'lock-too-short',
    ],
    [
      'a claim key that is not ours',
      pick(seen('makerChain', {}, terms({ takerPubkeys: { ...TAKER_KEYS, makerChain: pubkeyOf(9) } }))),
      'wrong-claim-key',
    ],
    ['a script that is not an HTLC', { witnessScript: '51' }, 'script-not-htlc'],
  ];
  it.each(wrong)('a maker HTLC with %s is never answered with our coins', (_name, over, code) => {
    const r = taker(TAKER_PATH.accepted, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', over) });
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('a maker HTLC confirming after takerFundBy is too late: failed before funding', () => {
    const r = taker(
      TAKER_PATH.accepted,
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 0 }) },
      tick(205, D.takerFundBy.height + 1),
    );
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'deadline-passed' } });
  });
  it('a maker whose chain ran ahead (its lock now too close to ours) is not answered', () => {
    const r = taker(
      TAKER_PATH.accepted,
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 0 }) },
      tick(L_M - 10, 305),
    );
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'maker-lock-too-close' } });
  });
  it('a maker HTLC first seen after takerFundBy (we were away) fails saying the maker did lock', () => {
    const r = taker(TAKER_PATH.accepted, {
      type: 'CounterpartyFundingSeen',
      htlc: seen('makerChain'),
      heights: { makerChain: 230, takerChain: D.takerFundBy.height + 1 },
    });
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'deadline-passed' } });
    expect(r.state.phase === 'failedBeforeFunding' && r.state.reason.message).toMatch(
      /^the maker locked its coins, but too little time was left for us to lock ours safely/,
    );
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('judges a maker HTLC at the heights it was seen at, never at older ones', () => {
    // The state's heights are from before an outage: at those, the confirmed HTLC would be answered.
    expect(taker(TAKER_PATH.accepted, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain') }).state.phase).toBe(
      'funding',
    );
    const late = {
      type: 'CounterpartyFundingSeen' as const,
      htlc: seen('makerChain'),
      heights: { makerChain: L_M - 10, takerChain: 305 },
    };
    expect(taker(TAKER_PATH.accepted, late).state).toMatchObject({
      phase: 'failedBeforeFunding',
      reason: { code: 'maker-lock-too-close' },
    });
    const inTime = {
      type: 'CounterpartyFundingSeen' as const,
      htlc: seen('makerChain'),
      heights: { makerChain: 205, takerChain: D.takerFundBy.height },
    };
    expect(taker(TAKER_PATH.accepted, inTime).state).toMatchObject({ phase: 'funding', heights: inTime.heights });
  });
  it('no maker HTLC by takerFundBy: failed before funding, maker told', () => {
    expect(taker(TAKER_PATH.accepted, tick(205, D.takerFundBy.height)).state.phase).toBe('accepted');
    const r = taker(TAKER_PATH.accepted, tick(205, D.takerFundBy.height + 1));
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'deadline-passed' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  it('keeps the funding notice, forgets a conflicted maker funding, ignores other outputs', () => {
    const r = taker(
      TAKER_PATH.accepted,
      {
        type: 'CounterpartyFunded',
        txid: MAKER_FUNDING_TXID,
        vout: 0,
        witnessScript: seen('makerChain').witnessScript,
      },
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 0 }) },
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { txid: 'ee'.repeat(32), amount: 1n }) },
    );
    expect(r.state).toMatchObject({
      phase: 'accepted',
      theirNotice: { txid: MAKER_FUNDING_TXID },
      theirFunding: { txid: MAKER_FUNDING_TXID },
    });
    const gone = transitionTaker(r.state, { type: 'CounterpartyFundingGone', txid: MAKER_FUNDING_TXID });
    expect(gone.state.phase === 'accepted' && gone.state.theirFunding).toBeUndefined();
  });
  it('aborts end the swap before funding', () => {
    expect(types(taker(TAKER_PATH.accepted, { type: 'Abort', reason: 'x' }).effects)).toEqual([
      'SendMessage:swap.abort',
      'Notify',
    ]);
    expect(
      taker(TAKER_PATH.accepted, { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' }).state,
    ).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'counterparty-abort' } });
  });
  it('refuses a claim of an HTLC it has not funded', () => {
    expectRefused(
      taker(TAKER_PATH.accepted).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
      /before the maker's HTLC/,
    );
  });
});

describe('taker: funding', () => {
  it('a broadcast funding moves to funded and sends the notice', () => {
    const r = taker(TAKER_PATH.funding, { type: 'OwnFundingBroadcast', txid: TAKER_FUNDING_TXID, vout: 2 });
    expect(r.state).toMatchObject({ phase: 'funded', ownFunding: { txid: TAKER_FUNDING_TXID, vout: 2 } });
    expect(effect(r.effects, 'SendMessage').message).toMatchObject({
      type: 'swap.takerFunded',
      vout: 2,
      witnessScript: seen('takerChain').witnessScript,
    });
  });
  it('a wallet failure fails before funding and tells the maker', () => {
    const r = taker(TAKER_PATH.funding, { type: 'OwnFundingFailed', reason: 'insufficient funds' });
    expect(r.state).toMatchObject({ phase: 'failedBeforeFunding', reason: { code: 'funding-failed' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
  });
  const stops: Array<[string, TakerEvent, string, string[]]> = [
    ['a user abort', { type: 'Abort', reason: 'x' }, 'user-abort', ['SendMessage:swap.abort', 'Notify']],
    [
      'a counterparty abort',
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' },
      'counterparty-abort',
      ['Notify'],
    ],
    [
      'the maker funding vanishing',
      { type: 'CounterpartyFundingGone', txid: MAKER_FUNDING_TXID },
      'counterparty-funding-gone',
      ['SendMessage:swap.abort', 'Notify'],
    ],
  ];
  it.each(stops)('%s during the wallet call is held, then the taker refunds', (_n, e, code, effects) => {
    const held = taker(TAKER_PATH.funding, e);
    expect(held.state).toMatchObject({ phase: 'funding', stop: { code } });
    const r = transitionTaker(held.state, { type: 'OwnFundingBroadcast', txid: TAKER_FUNDING_TXID, vout: 0 });
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code } });
    expect(types(r.effects)).toEqual(effects);
  });
  it('keeps confirmation updates of the maker HTLC and ticks', () => {
    const r = taker(
      TAKER_PATH.funding,
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 3 }) },
      tick(202, 302),
      { type: 'CounterpartyFundingGone', txid: 'ee'.repeat(32) },
    );
    expect(r.state).toMatchObject({
      phase: 'funding',
      theirFunding: { confirmations: 3 },
      heights: { takerChain: 302 },
    });
    expect(r.state.phase === 'funding' && r.state.stop).toBeUndefined();
  });
  it('refuses a secret before its own HTLC exists', () => {
    expectRefused(
      taker(TAKER_PATH.funding).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
      /funding is in progress/,
    );
  });
});

describe('taker: funded', () => {
  it('the maker claim (even in the mempool) reveals the secret and the taker claims at once', () => {
    const r = taker(TAKER_PATH.funded, {
      type: 'CounterpartyClaimSeen',
      txid: CLAIM_TXID,
      secret: SECRET,
      confirmations: 0,
    });
    expect(r.state).toMatchObject({ phase: 'claiming', secret: SECRET, theirClaim: { txid: CLAIM_TXID } });
    expect(effect(r.effects, 'BroadcastClaim')).toMatchObject({
      chain: 'makerChain',
      ticker: 'DEVA',
      outpoint: { txid: MAKER_FUNDING_TXID, vout: 0 },
      amount: 1_000_000n,
      preimage: { kind: 'learned', secret: SECRET },
      payoutAddress: terms().takerAddresses.payout,
      deadline: D.takerClaimBy.height,
    });
  });
  it('a preimage that does not hash to the agreed hash is refused', () => {
    expectRefused(
      taker(TAKER_PATH.funded).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: WRONG_SECRET, confirmations: 0 },
      /does not match/,
    );
  });
  it('the maker claim notice alone changes nothing (the secret comes from the chain)', () => {
    const s = taker(TAKER_PATH.funded).state;
    const r = transitionTaker(s, { type: 'CounterpartyClaimed', txid: CLAIM_TXID });
    expect(r.state).toBe(s);
    expect(r.refused).toBeUndefined();
  });
  it('no secret by the taker lock: refund requested as soon as the lock allows', () => {
    expect(taker(TAKER_PATH.funded, tick(250, L_T - 1)).state.phase).toBe('funded');
    const r = taker(TAKER_PATH.funded, tick(250, L_T));
    expect(r.state).toMatchObject({
      phase: 'refunding',
      reason: { code: 'lock-expired' },
      refund: { requested: true },
    });
    expect(effect(r.effects, 'BroadcastRefund')).toMatchObject({
      chain: 'takerChain',
      locktime: L_T,
      outpoint: { txid: TAKER_FUNDING_TXID },
      refundAddress: terms().takerAddresses.refund,
    });
  });
  it('a final maker refund or a vanished maker funding sends the taker to refunding', () => {
    expect(
      taker(TAKER_PATH.funded, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 0 }).state.phase,
    ).toBe('funded');
    expect(
      taker(TAKER_PATH.funded, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 }).state,
    ).toMatchObject({ phase: 'refunding', theirGone: { how: 'refunded' } });
    expect(taker(TAKER_PATH.funded, { type: 'CounterpartyFundingGone', txid: MAKER_FUNDING_TXID }).state).toMatchObject(
      { phase: 'refunding', theirGone: { how: 'conflicted' } },
    );
    expect(taker(TAKER_PATH.funded, { type: 'CounterpartyFundingGone', txid: 'ee'.repeat(32) }).state.phase).toBe(
      'funded',
    );
  });
  it('aborts after funding wait for the lock (the secret may still come)', () => {
    const r = taker(TAKER_PATH.funded, { type: 'Abort', reason: 'stop' });
    expect(r.state).toMatchObject({ phase: 'refunding', reason: { code: 'user-abort' } });
    expect(types(r.effects)).toEqual(['SendMessage:swap.abort', 'Notify']);
    expect(
      taker(TAKER_PATH.funded, { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' }).state.phase,
    ).toBe('refunding');
  });
  it('records depths and notices', () => {
    const r = taker(
      TAKER_PATH.funded,
      { type: 'OwnFundingConfirmed', confirmations: 2 },
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 5 }) },
      { type: 'CounterpartyFunded', txid: MAKER_FUNDING_TXID, vout: 0, witnessScript: '00' },
    );
    expect(r.state).toMatchObject({
      phase: 'funded',
      ownFunding: { confirmations: 2 },
      theirFunding: { confirmations: 5 },
    });
  });
  it('refuses a claim report before it knows the secret', () => {
    expectRefused(taker(TAKER_PATH.funded).state, { type: 'ClaimBroadcast', txid: CLAIM_TXID }, /before the secret/);
  });
});

describe('taker: claiming', () => {
  it('a confirmed claim completes the swap', () => {
    const r = taker(
      TAKER_PATH.claiming,
      { type: 'ClaimBroadcast', txid: 'c3'.repeat(32) },
      { type: 'ClaimConfirmed', txid: 'c3'.repeat(32) },
    );
    expect(r.state).toMatchObject({ phase: 'completed', claimTxid: 'c3'.repeat(32) });
    expect(r.state.phase === 'completed' && r.state.refundTxid).toBeUndefined();
  });
  it('its own refund sent before the secret appeared is tracked and the claim still completes', () => {
    const refunding = taker(TAKER_PATH.funded, tick(250, L_T));
    const r = driveTaker(
      [
        { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
        { type: 'RefundBroadcast', txid: REFUND_TXID },
        { type: 'RefundConfirmed', txid: REFUND_TXID },
        { type: 'ClaimConfirmed', txid: 'c3'.repeat(32) },
      ],
      refunding.state,
    );
    expect(r.state).toMatchObject({ phase: 'completed', refundTxid: REFUND_TXID });
  });
  it('refund reports are refused when no refund was requested', () => {
    expectRefused(
      taker(TAKER_PATH.claiming).state,
      { type: 'RefundConfirmed', txid: REFUND_TXID },
      /no refund was requested/,
    );
    expectRefused(
      taker(TAKER_PATH.claiming).state,
      { type: 'RefundBroadcast', txid: REFUND_TXID },
      /no refund was requested/,
    );
  });
  it('confirmation updates of the maker claim are kept; a wrong preimage is refused', () => {
    const r = taker(TAKER_PATH.claiming, {
      type: 'CounterpartyClaimSeen',
      txid: CLAIM_TXID,
      secret: SECRET,
      confirmations: 2,
    });
    expect(r.state).toMatchObject({ theirClaim: { confirmations: 2 } });
    expectRefused(
      r.state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: WRONG_SECRET, confirmations: 2 },
      /does not match/,
    );
  });
  it('claim lost to the maker refund after the maker claim was final: lost', () => {
    const r = taker(
      TAKER_PATH.claiming,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 1 },
      { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 },
    );
    expect(r.state).toMatchObject({ phase: 'lost', reason: { code: 'claim-lost' } });
  });
  it('claim lost while the maker claim is still unconfirmed: refunding, racing it', () => {
    const r = taker(TAKER_PATH.claiming, tick(L_M + 1, L_T), {
      type: 'CounterpartyRefundSeen',
      txid: REFUND_TXID,
      confirmations: 1,
    });
    expect(r.state).toMatchObject({ phase: 'refunding', theirGone: { how: 'refunded' }, refund: { requested: true } });
    expect(types(r.effects)).toEqual(['Notify', 'BroadcastRefund']);
  });
  it('claim lost after its own refund had confirmed: refunded', () => {
    const refunding = taker(TAKER_PATH.funded, tick(250, L_T));
    const r = driveTaker(
      [
        { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
        { type: 'RefundConfirmed', txid: REFUND_TXID },
        { type: 'CounterpartyFundingGone', txid: MAKER_FUNDING_TXID },
      ],
      refunding.state,
    );
    expect(r.state).toMatchObject({ phase: 'refunded', refundTxid: REFUND_TXID });
  });
  it('an unconfirmed maker refund or an unrelated conflict changes nothing', () => {
    expect(
      taker(TAKER_PATH.claiming, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 0 }).state.phase,
    ).toBe('claiming');
    expect(taker(TAKER_PATH.claiming, { type: 'CounterpartyFundingGone', txid: 'ee'.repeat(32) }).state.phase).toBe(
      'claiming',
    );
  });
  it('aborts are refused while the claim is out', () => {
    expectRefused(taker(TAKER_PATH.claiming).state, { type: 'Abort', reason: 'x' }, /claim is broadcast/);
    expectRefused(
      taker(TAKER_PATH.claiming).state,
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' },
      /claim is broadcast/,
    );
  });
  it('ticks, depths and notices are kept without effects', () => {
    const r = taker(
      TAKER_PATH.claiming,
      tick(210, 310),
      { type: 'OwnFundingConfirmed', confirmations: 4 },
      { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 6 }) },
      { type: 'CounterpartyClaimed', txid: CLAIM_TXID },
      { type: 'CounterpartyFunded', txid: MAKER_FUNDING_TXID, vout: 0, witnessScript: '00' },
    );
    expect(r.state).toMatchObject({
      phase: 'claiming',
      heights: { makerChain: 210 },
      ownFunding: { confirmations: 4 },
      theirFunding: { confirmations: 6 },
    });
    expect(r.effects).toEqual([]);
  });
  it('refuses an unrequested funding report', () => {
    expectRefused(taker(TAKER_PATH.claiming).state, { type: 'OwnFundingFailed', reason: 'x' }, /while claiming/);
  });
});

describe('taker: refunding', () => {
  it('waits for the taker lock, then requests the refund once', () => {
    const before = taker(TAKER_PATH.refunding, tick(220, L_T - 1));
    expect(before.effects).toEqual([]);
    const at = transitionTaker(before.state, tick(221, L_T));
    expect(types(at.effects)).toEqual(['BroadcastRefund']);
    expect(transitionTaker(at.state, tick(222, L_T + 1)).effects).toEqual([]);
  });
  it('a confirmed refund ends refunded; unrequested reports are refused', () => {
    expectRefused(
      taker(TAKER_PATH.refunding).state,
      { type: 'RefundConfirmed', txid: REFUND_TXID },
      /no refund was requested/,
    );
    expectRefused(
      taker(TAKER_PATH.refunding).state,
      { type: 'RefundBroadcast', txid: REFUND_TXID },
      /no refund was requested/,
    );
    const r = taker(
      TAKER_PATH.refunding,
      tick(221, L_T),
      { type: 'RefundBroadcast', txid: REFUND_TXID },
      { type: 'RefundConfirmed', txid: REFUND_TXID },
    );
    expect(r.state).toMatchObject({ phase: 'refunded', refundTxid: REFUND_TXID });
  });
  it('the maker claiming late (our refund in flight) makes the taker claim instead', () => {
    const r = taker(TAKER_PATH.refunding, tick(221, L_T), {
      type: 'CounterpartyClaimSeen',
      txid: CLAIM_TXID,
      secret: SECRET,
      confirmations: 0,
    });
    expect(r.state).toMatchObject({ phase: 'claiming', refund: { requested: true } });
    expect(types(r.effects)).toEqual(['BroadcastClaim']);
  });
  it('after the maker refunded, its claim of our HTLC ends lost once final', () => {
    const gone = taker(TAKER_PATH.refunding, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 });
    expect(gone.state).toMatchObject({ theirGone: { how: 'refunded' } });
    const pending = transitionTaker(gone.state, {
      type: 'CounterpartyClaimSeen',
      txid: CLAIM_TXID,
      secret: SECRET,
      confirmations: 0,
    });
    expect(pending.state).toMatchObject({ phase: 'refunding', theirClaim: { confirmations: 0 } });
    expect(
      transitionTaker(pending.state, {
        type: 'CounterpartyClaimSeen',
        txid: CLAIM_TXID,
        secret: SECRET,
        confirmations: 1,
      }).state.phase,
    ).toBe('lost');
  });
  it('a conflicted maker funding is recorded once', () => {
    const r = taker(TAKER_PATH.refunding, { type: 'CounterpartyFundingGone', txid: MAKER_FUNDING_TXID });
    expect(r.state).toMatchObject({ theirGone: { how: 'conflicted' } });
    const again = transitionTaker(r.state, { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 });
    expect(again.state).toBe(r.state);
  });
  it('a wrong preimage is refused', () => {
    expectRefused(
      taker(TAKER_PATH.refunding).state,
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: WRONG_SECRET, confirmations: 0 },
      /does not match/,
    );
  });
  it('late notices and aborts change nothing; claim reports are refused', () => {
    const s = taker(TAKER_PATH.refunding).state;
    for (const e of [
      { type: 'CounterpartyFunded', txid: MAKER_FUNDING_TXID, vout: 0, witnessScript: '00' },
      { type: 'CounterpartyClaimed', txid: CLAIM_TXID },
      { type: 'CounterpartyAborted', reason: 'user-abort', message: 'x' },
      { type: 'Abort', reason: 'again' },
      { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 0 },
    ] as TakerEvent[]) {
      const r = transitionTaker(s, e);
      expect(r.refused).toBeUndefined();
      expect(r.state).toBe(s);
    }
    expect(transitionTaker(s, { type: 'OwnFundingConfirmed', confirmations: 3 }).state).toMatchObject({
      ownFunding: { confirmations: 3 },
    });
    expect(
      transitionTaker(s, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain', { confirmations: 7 }) }).state,
    ).toMatchObject({ theirFunding: { confirmations: 7 } });
    expectRefused(s, { type: 'ClaimConfirmed', txid: CLAIM_TXID }, /while refunding/);
  });
});

describe('taker: terminal states refuse everything', () => {
  const terminals: Array<[string, TakerEvent[]]> = [
    ['completed', [...TAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: CLAIM_TXID }]],
    ['refunded', [...TAKER_PATH.refunding, tick(221, L_T), { type: 'RefundConfirmed', txid: REFUND_TXID }]],
    ['failedBeforeFunding', [...TAKER_PATH.accepted, { type: 'Abort', reason: 'x' }]],
    [
      'lost',
      [
        ...TAKER_PATH.claiming,
        { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 1 },
        { type: 'CounterpartyRefundSeen', txid: REFUND_TXID, confirmations: 1 },
      ],
    ],
  ];
  it.each(terminals)('%s', (phase, path) => {
    const s = driveTaker(path).state;
    expect(s.phase).toBe(phase);
    expectRefused(s, tick(500, 500), /finished/);
    expect(resumeEffects(s)).toEqual([]);
  });
});

describe('transition (role dispatch)', () => {
  it('refuses an event of the other role', () => {
    expectRefused(initialMakerState, takerStarted, /taker event/);
    expectRefused(initialTakerState, makerStarted, /maker event/);
    expectRefused(
      driveMaker(MAKER_PATH.funded).state,
      { type: 'CounterpartyClaimed', txid: CLAIM_TXID },
      /taker event/,
    );
    expectRefused(driveTaker(TAKER_PATH.accepted).state, takerAccepted, /maker event/);
  });
  it('replaying the same events gives the same state (the log is the truth)', () => {
    const path = [...MAKER_PATH.claiming, { type: 'ClaimBroadcast', txid: CLAIM_TXID } as MakerEvent];
    expect(driveMaker(path).state).toEqual(driveMaker(path).state);
  });
});

describe('resumeEffects', () => {
  const makerCases: Array<[keyof typeof MAKER_PATH, string[]]> = [
    ['proposed', ['SendMessage:swap.propose']],
    ['funding', ['FundHtlc', 'WatchHtlc', 'WatchHtlc']],
    ['funded', ['WatchHtlc', 'WatchHtlc', 'SendMessage:swap.makerFunded']],
    ['claiming', ['WatchHtlc', 'WatchHtlc', 'BroadcastClaim']],
    ['refunding', ['WatchHtlc', 'WatchHtlc']],
  ];
  it.each(makerCases)('maker %s', (phase, expected) =>
    expect(types(resumeEffects(driveMaker(MAKER_PATH[phase]).state))).toEqual(expected),
  );
  it('maker claiming with a known claim txid re-announces it; refunding re-requests a requested refund', () => {
    expect(
      types(resumeEffects(driveMaker([...MAKER_PATH.claiming, { type: 'ClaimBroadcast', txid: CLAIM_TXID }]).state)),
    ).toContain('SendMessage:swap.makerClaimed');
    expect(types(resumeEffects(driveMaker([...MAKER_PATH.refunding, tick(L_M, 340)]).state))).toContain(
      'BroadcastRefund',
    );
  });
  const takerCases: Array<[keyof typeof TAKER_PATH, string[]]> = [
    ['accepted', ['SendMessage:swap.accept', 'WatchHtlc', 'WatchHtlc']],
    ['funding', ['FundHtlc', 'WatchHtlc', 'WatchHtlc']],
    ['funded', ['WatchHtlc', 'WatchHtlc', 'SendMessage:swap.takerFunded']],
    ['claiming', ['WatchHtlc', 'WatchHtlc', 'BroadcastClaim']],
    ['refunding', ['WatchHtlc', 'WatchHtlc']],
  ];
  it.each(takerCases)('taker %s', (phase, expected) =>
    expect(types(resumeEffects(driveTaker(TAKER_PATH[phase]).state))).toEqual(expected),
  );
  it('a claiming taker does not push its own refund any more after a restart', () => {
    const s = driveTaker([
      ...TAKER_PATH.funded,
      tick(250, L_T),
      { type: 'CounterpartyClaimSeen', txid: CLAIM_TXID, secret: SECRET, confirmations: 0 },
    ]).state;
    expect(s.phase).toBe('claiming');
    expect(types(resumeEffects(s))).not.toContain('BroadcastRefund');
  });
  it('watch effects name each side and chain', () => {
    const w = resumeEffects(driveTaker(TAKER_PATH.funded).state).filter((e) => e.type === 'WatchHtlc');
    expect(w).toEqual([
      expect.objectContaining({
        chain: 'takerChain',
        side: 'own',
        ticker: 'DEVB',
        outputScript: seen('takerChain').outputScript,
      }),
      expect.objectContaining({
        chain: 'makerChain',
        side: 'counterparty',
        ticker: 'DEVA',
        witnessScript: seen('makerChain').witnessScript,
      }),
    ]);
  });
});

describe('whole swaps', () => {
  it("happy path: both machines fed each other's messages and the chain end completed", () => {
    const m1 = transitionMaker(initialMakerState, makerStarted);
    const t1 = transitionTaker(initialTakerState, takerStarted);
    const m2 = transitionMaker(m1.state, takerAccepted);
    const m3 = transitionMaker(m2.state, { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 0 });
    const t2 = transitionTaker(t1.state, { type: 'CounterpartyFundingSeen', htlc: seen('makerChain') });
    const t3 = transitionTaker(t2.state, { type: 'OwnFundingBroadcast', txid: TAKER_FUNDING_TXID, vout: 0 });
    const m4 = transitionMaker(m3.state, { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') });
    const m5 = transitionMaker(m4.state, { type: 'ClaimConfirmed', txid: CLAIM_TXID });
    const t4 = transitionTaker(t3.state, {
      type: 'CounterpartyClaimSeen',
      txid: CLAIM_TXID,
      secret: SECRET,
      confirmations: 1,
    });
    const t5 = transitionTaker(t4.state, { type: 'ClaimConfirmed', txid: 'c4'.repeat(32) });
    expect([m5.state.phase, t5.state.phase]).toEqual(['completed', 'completed']);
    // The HTLC each funds is the one the other expects.
    expect(effect(m2.effects, 'FundHtlc').outputScript).toBe(seen('makerChain').outputScript);
    expect(effect(t2.effects, 'FundHtlc').outputScript).toBe(seen('takerChain').outputScript);
  });
  it('the secret hash in the test setup is SHA256 of the secret', () => expect(SECRET_HASH).toHaveLength(64));
});

function pick(h: ReturnType<typeof seen>): Partial<ReturnType<typeof seen>> {
  return { witnessScript: h.witnessScript, outputScript: h.outputScript };
}
