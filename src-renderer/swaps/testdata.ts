// Swap details as the node reports them (shape of src-main/swaps/view.ts), one per situation the
// UI has to explain: used by the unit tests of the swap helpers. DEVA/DEVB: 8 decimals, 5 s blocks,
// 1 confirmation unless a test says otherwise.
import type { SwapDetail } from '../../src-shared/api/schemas.ts';

export const PEER = '12D3KooWQpZ1Vm9rY3ZkVx8nT5uW2aBcDeFgHiJkLmNpQrStUvWxYz';
export const T0 = 1_763_730_000_000;
const tx = (c: string) => c.repeat(64);

type Step = SwapDetail['timeline'][number];
type Deadline = SwapDetail['deadlines'][number];

/**
 * The node's deadlines for these locks (docs/swap.md §4, regtest policy, 1 confirmation): the lock
 * and claim deadlines of the maker are on the taker chain (DEVB), the taker's claim on DEVA.
 */
export function deadlinesFor(role: SwapDetail['role'], tip = 210): Deadline[] {
  const rows: Array<[Deadline['step'], SwapDetail['role'], Deadline['action'], string, number]> = [
    ['makerFundBy', 'maker', 'lock', 'DEVB', 212],
    ['takerFundBy', 'taker', 'lock', 'DEVB', 213],
    ['makerClaimBy', 'maker', 'claim', 'DEVB', 226],
    ['takerRefundAt', 'taker', 'refund', 'DEVB', 232],
    ['takerClaimBy', 'taker', 'claim', 'DEVA', 258],
    ['makerRefundAt', 'maker', 'refund', 'DEVA', 264],
  ];
  return rows.map(([step, actor, action, ticker, height]) => {
    const blocksLeft = Math.max(0, height - tip);
    return {
      step,
      party: actor === role ? 'own' : 'counterparty',
      action,
      ticker,
      height,
      blocksLeft,
      secondsLeft: blocksLeft * 5,
    };
  });
}
const step = (i: number, event: string, state: SwapDetail['state'], extra: Partial<Step> = {}): Step => ({
  at: T0 + i * 1000,
  event,
  state,
  ...extra,
});

function base(role: SwapDetail['role'], state: SwapDetail['state']): SwapDetail {
  const maker = role === 'maker';
  return {
    swapId: `${role}-${state}`,
    role,
    state,
    terminal: ['completed', 'refunded', 'failedBeforeFunding', 'lost'].includes(state),
    outcome: null,
    counterparty: PEER,
    sell: maker ? { ticker: 'DEVA', amount: '1.5' } : { ticker: 'DEVB', amount: '0.75' },
    buy: maker ? { ticker: 'DEVB', amount: '0.75' } : { ticker: 'DEVA', amount: '1.5' },
    createdAt: T0,
    updatedAt: T0 + 60_000,
    reason: null,
    notice: null,
    secretHash: 'ab'.repeat(32),
    confirmations: maker
      ? [
          { side: 'own', ticker: 'DEVA', confirmations: 1 },
          { side: 'counterparty', ticker: 'DEVB', confirmations: 1 },
        ]
      : [
          { side: 'own', ticker: 'DEVB', confirmations: 1 },
          { side: 'counterparty', ticker: 'DEVA', confirmations: 1 },
        ],
    deadlines: deadlinesFor(role),
    // Maker lock (DEVA) 64 blocks, taker lock (DEVB) 32 blocks, both started at height 200.
    locks: maker
      ? [
          { side: 'own', ticker: 'DEVA', locktime: 264, height: 210, blocksLeft: 54, secondsLeft: 270 },
          { side: 'counterparty', ticker: 'DEVB', locktime: 232, height: 210, blocksLeft: 22, secondsLeft: 110 },
        ]
      : [
          { side: 'own', ticker: 'DEVB', locktime: 232, height: 210, blocksLeft: 22, secondsLeft: 110 },
          { side: 'counterparty', ticker: 'DEVA', locktime: 264, height: 210, blocksLeft: 54, secondsLeft: 270 },
        ],
    txs: [],
    timeline: [],
  };
}

function withOutcome(d: SwapDetail): SwapDetail {
  return d.terminal ? { ...d, outcome: d.state as NonNullable<SwapDetail['outcome']> } : d;
}

export const maker = {
  proposed: (): SwapDetail => ({
    ...base('maker', 'proposed'),
    deadlines: [],
    timeline: [step(0, 'MakerStarted', 'proposed')],
  }),
  funded: (theirConfirmations?: number): SwapDetail => ({
    ...base('maker', 'funded'),
    txs: [
      { kind: 'ownFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
      ...(theirConfirmations !== undefined
        ? [{ kind: 'theirFunding' as const, ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: theirConfirmations }]
        : []),
    ],
    timeline: [
      step(0, 'MakerStarted', 'proposed'),
      step(1, 'CounterpartyAccepted', 'funding'),
      step(2, 'OwnFundingBroadcast', 'funded', { txid: tx('a') }),
      step(3, 'OwnFundingConfirmed', 'funded', { confirmations: 1 }),
      ...(theirConfirmations !== undefined
        ? [step(4, 'CounterpartyFundingSeen', 'funded', { txid: tx('b'), confirmations: theirConfirmations })]
        : []),
    ],
  }),
  claiming: (): SwapDetail => ({
    ...base('maker', 'claiming'),
    txs: [
      { kind: 'ownFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
      { kind: 'theirFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 1 },
      { kind: 'claim', ticker: 'DEVB', txid: tx('c') },
    ],
    timeline: [
      step(0, 'MakerStarted', 'proposed'),
      step(1, 'CounterpartyAccepted', 'funding'),
      step(2, 'OwnFundingBroadcast', 'funded', { txid: tx('a') }),
      step(4, 'CounterpartyFundingSeen', 'claiming', { txid: tx('b'), confirmations: 1 }),
      step(5, 'ClaimBroadcast', 'claiming', { txid: tx('c') }),
    ],
  }),
  completed: (): SwapDetail =>
    withOutcome({
      ...base('maker', 'completed'),
      locks: base('maker', 'completed').locks.map((l) => ({
        ...l,
        height: 215,
        blocksLeft: l.locktime - 215,
        secondsLeft: (l.locktime - 215) * 5,
      })),
      txs: [
        { kind: 'ownFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
        { kind: 'theirFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 1 },
        { kind: 'claim', ticker: 'DEVB', txid: tx('c') },
      ],
      timeline: [
        step(0, 'MakerStarted', 'proposed'),
        step(1, 'CounterpartyAccepted', 'funding'),
        step(2, 'OwnFundingBroadcast', 'funded', { txid: tx('a') }),
        step(3, 'OwnFundingConfirmed', 'funded', { confirmations: 1 }),
        step(4, 'CounterpartyFundingSeen', 'claiming', { txid: tx('b'), confirmations: 1 }),
        step(5, 'ClaimBroadcast', 'claiming', { txid: tx('c') }),
        step(6, 'ClaimConfirmed', 'completed', { txid: tx('c') }),
      ],
    }),
  /** The taker never locked: the maker gave up at its claim deadline and took its coins back. */
  refunded: (): SwapDetail =>
    withOutcome({
      ...base('maker', 'refunded'),
      locks: base('maker', 'refunded').locks.map((l) => ({ ...l, height: 266, blocksLeft: 0, secondsLeft: 0 })),
      reason: { code: 'deadline-passed', message: 'the taker did not lock its coins in time' },
      txs: [
        { kind: 'ownFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
        { kind: 'refund', ticker: 'DEVA', txid: tx('d') },
      ],
      timeline: [
        step(0, 'MakerStarted', 'proposed'),
        step(1, 'CounterpartyAccepted', 'funding'),
        step(2, 'OwnFundingBroadcast', 'funded', { txid: tx('a') }),
        step(3, 'TimerTick', 'refunding'),
        step(8, 'RefundBroadcast', 'refunding', { txid: tx('d') }),
        step(9, 'RefundConfirmed', 'refunded', { txid: tx('d') }),
      ],
    }),
  failedNoAnswer: (): SwapDetail =>
    withOutcome({
      ...base('maker', 'failedBeforeFunding'),
      locks: [],
      deadlines: [],
      reason: { code: 'accept-timeout', message: 'the taker did not answer the proposal in time' },
      timeline: [step(0, 'MakerStarted', 'proposed'), step(30, 'TimerTick', 'failedBeforeFunding')],
    }),
  lost: (): SwapDetail =>
    withOutcome({
      ...base('maker', 'lost'),
      reason: { code: 'claim-lost', message: 'the taker refunded its coins before our claim confirmed' },
      txs: [
        { kind: 'ownFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
        { kind: 'theirFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 1 },
      ],
      timeline: [
        step(0, 'MakerStarted', 'proposed'),
        step(1, 'CounterpartyAccepted', 'funding'),
        step(2, 'OwnFundingBroadcast', 'funded', { txid: tx('a') }),
        step(4, 'CounterpartyFundingSeen', 'claiming', { txid: tx('b'), confirmations: 1 }),
        step(5, 'ClaimBroadcast', 'claiming', { txid: tx('c') }),
        step(40, 'CounterpartyRefundSeen', 'refunding', { txid: tx('e'), confirmations: 1 }),
        step(41, 'CounterpartyClaimSeen', 'lost', { txid: tx('f'), confirmations: 1 }),
      ],
    }),
};

export const taker = {
  accepted: (): SwapDetail => ({ ...base('taker', 'accepted'), timeline: [step(0, 'TakerStarted', 'accepted')] }),
  termsRejected: (): SwapDetail =>
    withOutcome({
      ...base('taker', 'failedBeforeFunding'),
      locks: [],
      deadlines: [],
      reason: { code: 'terms-rejected', message: 'the lock times are too short' },
      timeline: [step(0, 'TakerStarted', 'failedBeforeFunding')],
    }),
  funded: (): SwapDetail => ({
    ...base('taker', 'funded'),
    txs: [
      { kind: 'ownFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 0 },
      { kind: 'theirFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
    ],
    timeline: [
      step(0, 'TakerStarted', 'accepted'),
      step(1, 'CounterpartyFunded', 'accepted', { txid: tx('a') }),
      step(2, 'CounterpartyFundingSeen', 'funding', { txid: tx('a'), confirmations: 1 }),
      step(3, 'OwnFundingBroadcast', 'funded', { txid: tx('b') }),
    ],
  }),
  /** Stopped by the user after locking: waits for its lock to end. */
  refundingAfterAbort: (): SwapDetail => ({
    ...base('taker', 'refunding'),
    reason: { code: 'user-abort', message: 'stopped by the user' },
    txs: [
      { kind: 'ownFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 1 },
      { kind: 'theirFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
    ],
    timeline: [
      step(0, 'TakerStarted', 'accepted'),
      step(2, 'CounterpartyFundingSeen', 'funding', { txid: tx('a'), confirmations: 1 }),
      step(3, 'OwnFundingBroadcast', 'funded', { txid: tx('b') }),
      step(4, 'OwnFundingConfirmed', 'funded', { confirmations: 1 }),
      step(9, 'Abort', 'refunding'),
    ],
  }),
  completed: (): SwapDetail =>
    withOutcome({
      ...base('taker', 'completed'),
      txs: [
        { kind: 'ownFunding', ticker: 'DEVB', txid: tx('b'), vout: 1, confirmations: 1 },
        { kind: 'theirFunding', ticker: 'DEVA', txid: tx('a'), vout: 0, confirmations: 1 },
        { kind: 'claim', ticker: 'DEVA', txid: tx('d') },
        { kind: 'theirClaim', ticker: 'DEVB', txid: tx('c'), confirmations: 1 },
      ],
      timeline: [
        step(0, 'TakerStarted', 'accepted'),
        step(2, 'CounterpartyFundingSeen', 'funding', { txid: tx('a'), confirmations: 1 }),
        step(3, 'OwnFundingBroadcast', 'funded', { txid: tx('b') }),
        step(5, 'CounterpartyClaimSeen', 'claiming', { txid: tx('c'), confirmations: 0 }),
        step(6, 'ClaimBroadcast', 'claiming', { txid: tx('d') }),
        step(7, 'ClaimConfirmed', 'completed', { txid: tx('d') }),
      ],
    }),
};
