// What the API shows of a swap: a summary for lists and pushes, and the detail with locks (blocks
// and time left before each refund), the agreed confirmations, every step's deadline (from the
// pure swapDeadlines), transactions and a timeline rebuilt from the event log.
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { initialMakerState, initialTakerState, transition } from '../../src-shared/swaps/machine.ts';
import { swapDeadlines, type SwapDeadlines } from '../../src-shared/swaps/timelock.ts';
import type {
  Chain,
  FeeChildSent,
  Heights,
  Role,
  SwapEvent,
  SwapProposal,
  SwapSetup,
  SwapState,
} from '../../src-shared/swaps/types.ts';
import { isTerminal } from '../../src-shared/swaps/types.ts';
import { otherChain, ownChain } from '../../src-shared/swaps/rules.ts';
import type { StoredSwapEvent } from './repo.ts';

export type Notice = NonNullable<SwapSummary['notice']>;

/** Engine facts kept next to the machine state in the swap's snapshot (never the secret). */
export interface SwapMeta {
  readonly role: Role;
  /** The counterparty, authenticated by libp2p (Noise); the only peer whose messages count. */
  readonly peerId: string;
  /** Where the counterparty was reached (multiaddrs without /p2p), for redialing after a restart. */
  readonly peerAddrs?: readonly string[];
  /** Vault swap-key indices of our keys on each chain. */
  readonly keys: Readonly<Record<Chain, number>>;
  readonly tickers: Readonly<Record<Chain, string>>;
  readonly amounts: Readonly<Record<Chain, bigint>>;
  /** Tips when the swap started: where the watchers begin searching after a restart. */
  readonly startHeights: Heights;
  readonly notice?: Notice;
}

export interface SwapRecord {
  readonly state: SwapState;
  readonly meta: SwapMeta;
}

export { ownChain, otherChain };

export function initialState(role: Role): SwapState {
  return role === 'maker' ? initialMakerState : initialTakerState;
}

export interface ViewContext {
  decimalsOf(ticker: string): number;
  /** Current tips by ticker, when known. */
  heightOf(ticker: string): number | undefined;
  blockTimeOf(ticker: string): number;
}

function reasonOf(s: SwapState): SwapSummary['reason'] {
  if ('reason' in s && s.reason) return { code: s.reason.code, message: s.reason.message };
  if (s.phase === 'funding' && s.stop) return { code: s.stop.code, message: s.stop.message };
  return null;
}

export function summaryOf(
  id: string,
  r: SwapRecord,
  times: { createdAt: number; updatedAt: number },
  ctx: ViewContext,
): SwapSummary {
  const { meta, state } = r;
  const own = ownChain(meta.role);
  const other = otherChain(meta.role);
  const leg = (chain: Chain) => ({
    ticker: meta.tickers[chain],
    amount: formatAmount(meta.amounts[chain], ctx.decimalsOf(meta.tickers[chain])),
  });
  return {
    swapId: id,
    role: meta.role,
    state: state.phase,
    terminal: isTerminal(state),
    outcome: isTerminal(state) ? (state.phase as NonNullable<SwapSummary['outcome']>) : null,
    counterparty: meta.peerId,
    sell: leg(own),
    buy: leg(other),
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
    reason: reasonOf(state),
    notice: meta.notice ?? null,
  };
}

function proposalOf(s: SwapState): SwapProposal | undefined {
  if ('setup' in s && s.setup) return s.setup.terms;
  if (s.phase === 'proposed') return s.proposal;
  return undefined;
}

/** The terms as first recorded: a swap that failed before funding keeps none in its state. */
function loggedProposal(events: readonly StoredSwapEvent[]): SwapProposal | undefined {
  const first = events[0]?.payload as SwapEvent | undefined;
  return first?.type === 'MakerStarted' || first?.type === 'TakerStarted' ? first.proposal : undefined;
}

/** Who acts at each deadline, what they do, in swap order (docs/swap.md §4). */
const DEADLINE_ROLES: ReadonlyArray<[keyof SwapDeadlines, Role, SwapDetail['deadlines'][number]['action']]> = [
  ['makerFundBy', 'maker', 'lock'],
  ['takerFundBy', 'taker', 'lock'],
  ['makerClaimBy', 'maker', 'claim'],
  ['takerRefundAt', 'taker', 'refund'],
  ['takerClaimBy', 'taker', 'claim'],
  ['makerRefundAt', 'maker', 'refund'],
];

export function deadlinesOf(setup: SwapSetup, role: Role, ctx: ViewContext): SwapDetail['deadlines'] {
  const all = swapDeadlines(setup);
  return DEADLINE_ROLES.map(([step, actor, action]) => {
    const d = all[step];
    const ticker = d.chain === 'makerChain' ? setup.terms.makerLeg.ticker : setup.terms.takerLeg.ticker;
    const tip = ctx.heightOf(ticker);
    const blocksLeft = tip === undefined ? null : Math.max(0, d.height - tip);
    return {
      step,
      party: actor === role ? ('own' as const) : ('counterparty' as const),
      action,
      ticker,
      height: d.height,
      blocksLeft,
      secondsLeft: blocksLeft === null ? null : blocksLeft * ctx.blockTimeOf(ticker),
    };
  });
}

const TX_EVENTS = new Set<SwapEvent['type']>([
  'OwnFundingBroadcast',
  'OwnFundingConfirmed',
  'CounterpartyFunded',
  'CounterpartyFundingSeen',
  'CounterpartyFundingGone',
  'CounterpartyClaimed',
  'CounterpartyClaimSeen',
  'CounterpartyRefundSeen',
  'ClaimBroadcast',
  'ClaimConfirmed',
  'RefundBroadcast',
  'RefundConfirmed',
]);

function txidOf(e: SwapEvent): string | undefined {
  if ('txid' in e) return e.txid;
  if (e.type === 'CounterpartyFundingSeen') return e.htlc.txid;
  return undefined;
}

function confirmationsOf(e: SwapEvent): number | undefined {
  if ('confirmations' in e) return e.confirmations;
  if (e.type === 'CounterpartyFundingSeen') return e.htlc.confirmations;
  return undefined;
}

type Tx = SwapDetail['txs'][number];

/** The agreed confirmations per side, from the terms (or, once they are gone from the state, the first event). */
function confirmationsAgreed(agreed: SwapProposal | undefined, own: Chain, other: Chain): SwapDetail['confirmations'] {
  if (!agreed) return [];
  return (
    [
      ['own', own],
      ['counterparty', other],
    ] as const
  ).map(([side, chain]) => {
    const leg = chain === 'makerChain' ? agreed.makerLeg : agreed.takerLeg;
    return { side, ticker: leg.ticker, confirmations: leg.confirmations };
  });
}

/** Each side's lock with the blocks and time left at the tips known now. */
function locksOf(proposal: SwapProposal | undefined, own: Chain, other: Chain, ctx: ViewContext): SwapDetail['locks'] {
  if (!proposal) return [];
  return (
    [
      ['own', own],
      ['counterparty', other],
    ] as const
  ).map(([side, chain]) => {
    const leg = chain === 'makerChain' ? proposal.makerLeg : proposal.takerLeg;
    const height = ctx.heightOf(leg.ticker) ?? null;
    const blocksLeft = height === null ? null : Math.max(0, leg.locktime - height);
    return {
      side,
      ticker: leg.ticker,
      locktime: leg.locktime,
      height,
      blocksLeft,
      secondsLeft: blocksLeft === null ? null : blocksLeft * ctx.blockTimeOf(leg.ticker),
    };
  });
}

/** Transactions from the log: terminal states keep little, the log keeps every step. */
function txsOf(
  events: readonly StoredSwapEvent[],
  state: SwapState,
  tickers: { own: string; other: string },
  decimalsOf: ViewContext['decimalsOf'],
): Tx[] {
  const byKind = new Map<Tx['kind'], Tx>();
  // Every child the wallet sent, in the order sent (a later rate adds a child to the last one).
  const children = new Map<string, Tx>();
  const put = (
    kind: Tx['kind'],
    ticker: string,
    txid: string,
    extra: { vout?: number; confirmations?: number } = {},
  ) => {
    const prev = byKind.get(kind);
    byKind.set(kind, { ...(prev?.txid === txid ? prev : {}), kind, ticker, txid, ...extra });
  };
  for (const stored of events) {
    const note = feeChildOf(stored);
    if (note) {
      children.set(note.txid, {
        kind: note.spend === 'claim' ? 'claimFeeChild' : 'refundFeeChild',
        ticker: note.ticker,
        txid: note.txid,
        fee: formatAmount(note.fee, decimalsOf(note.ticker)),
      });
      continue;
    }
    const e = stored.payload as SwapEvent;
    switch (e.type) {
      case 'OwnFundingBroadcast':
        put('ownFunding', tickers.own, e.txid, { vout: e.vout, confirmations: 0 });
        break;
      case 'OwnFundingConfirmed': {
        const f = byKind.get('ownFunding');
        if (f) byKind.set('ownFunding', { ...f, confirmations: e.confirmations });
        break;
      }
      case 'CounterpartyFundingSeen':
        put('theirFunding', tickers.other, e.htlc.txid, { vout: e.htlc.vout, confirmations: e.htlc.confirmations });
        break;
      case 'ClaimBroadcast':
      case 'ClaimConfirmed':
        put('claim', tickers.other, e.txid);
        break;
      case 'RefundBroadcast':
      case 'RefundConfirmed':
        put('refund', tickers.own, e.txid);
        break;
      case 'CounterpartyClaimSeen':
        put('theirClaim', tickers.own, e.txid, { confirmations: e.confirmations });
        break;
      case 'CounterpartyRefundSeen':
        put('theirRefund', tickers.other, e.txid, { confirmations: e.confirmations });
        break;
      default:
        break;
    }
  }
  // The final claim and refund are the ones the state settled on.
  if (state.phase === 'completed') put('claim', tickers.other, state.claimTxid);
  if (state.phase === 'refunded') put('refund', tickers.own, state.refundTxid);
  return [...byKind.values(), ...children.values()];
}

/** The swap log's fee-child notes (written beside the machine's events, never fed to it). */
export function feeChildOf(stored: Pick<StoredSwapEvent, 'type' | 'payload'>): FeeChildSent | undefined {
  return stored.type === 'FeeChildSent' ? (stored.payload as FeeChildSent) : undefined;
}

/** Every recorded step, with the state it led to (ticks only when they moved the phase). */
function timelineOf(events: readonly StoredSwapEvent[], role: Role): SwapDetail['timeline'] {
  const timeline: SwapDetail['timeline'] = [];
  let s = initialState(role);
  for (const stored of events) {
    const note = feeChildOf(stored);
    if (note) {
      timeline.push({ at: stored.createdAt, event: note.type, state: s.phase, txid: note.txid });
      continue;
    }
    const e = stored.payload as SwapEvent;
    const before = s.phase;
    s = transition(s, e).state;
    if (e.type === 'TimerTick' && s.phase === before) continue;
    const txid = TX_EVENTS.has(e.type) ? txidOf(e) : undefined;
    const confirmations = confirmationsOf(e);
    timeline.push({
      at: stored.createdAt,
      event: e.type,
      state: s.phase,
      ...(txid ? { txid } : {}),
      ...(confirmations !== undefined ? { confirmations } : {}),
    });
  }
  return timeline;
}

export function detailOf(
  id: string,
  r: SwapRecord,
  times: { createdAt: number; updatedAt: number },
  events: readonly StoredSwapEvent[],
  ctx: ViewContext,
): SwapDetail {
  const { meta, state } = r;
  const own = ownChain(meta.role);
  const other = otherChain(meta.role);
  const proposal = proposalOf(state);
  return {
    ...summaryOf(id, r, times, ctx),
    secretHash: proposal?.secretHash ?? null,
    locks: locksOf(proposal, own, other, ctx),
    confirmations: confirmationsAgreed(proposal ?? loggedProposal(events), own, other),
    deadlines: 'setup' in state && state.setup ? deadlinesOf(state.setup, meta.role, ctx) : [],
    txs: txsOf(events, state, { own: meta.tickers[own], other: meta.tickers[other] }, ctx.decimalsOf),
    timeline: timelineOf(events, meta.role),
  };
}
