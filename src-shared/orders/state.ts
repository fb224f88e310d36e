// The order lifecycle as a pure transition function: (state, event) → next state or a refusal.
// The same states describe a maker's order and a taker's fill (a hold starts a fill at 'hold');
// the allowed-transition table is data so the UI, docs and tests read one source.
import { ORDER_STATES, type OrderState } from './types.ts';

export { ORDER_STATES, type OrderState };

/** Every state an order may move to from each state. Terminal states have none. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  new: ['open', 'invalid', 'canceled', 'expired'],
  open: ['accepting', 'hold', 'canceled', 'expired', 'offline', 'invalid'],
  accepting: ['open', 'hold', 'canceled', 'expired', 'offline', 'invalid'],
  // Offline is only this node's view (keepalives missed); the service node's hold still counts.
  offline: ['open', 'hold', 'canceled', 'expired', 'invalid'],
  hold: ['initialized', 'canceled'],
  initialized: ['created', 'canceled'],
  created: ['committed', 'rolledback', 'rollbackFailed'],
  committed: ['finished', 'rolledback', 'rollbackFailed'],
  finished: [],
  canceled: [],
  expired: [],
  invalid: [],
  rolledback: [],
  rollbackFailed: [],
};

export const TERMINAL_ORDER_STATES: readonly OrderState[] = ORDER_STATES.filter(
  (s) => ORDER_TRANSITIONS[s].length === 0,
);
/** States in which an order is listed in books and can be taken. */
export const LISTED_ORDER_STATES: readonly OrderState[] = ['open', 'accepting'];

export function isTerminal(s: OrderState): boolean {
  return ORDER_TRANSITIONS[s].length === 0;
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export type OrderEvent =
  | { type: 'service-node-signed' }
  | { type: 'service-node-refused' }
  | { type: 'accept-sent' }
  | { type: 'accept-failed' }
  /** The service node's hold. A partial hold leaving a remainder keeps the order open (it shrinks). */
  | { type: 'held'; remainingBase: bigint }
  | { type: 'swap-initialized' }
  | { type: 'maker-locked' }
  | { type: 'taker-locked' }
  | { type: 'swap-completed' }
  | { type: 'swap-refunded' }
  /** The swap ended lost: our claim revealed the secret and the counterparty took our coins (docs/swap.md §7). */
  | { type: 'swap-lost' }
  /** The swap stopped before any coins were locked. */
  | { type: 'swap-aborted' }
  | { type: 'canceled' }
  | { type: 'expired' }
  | { type: 'maker-silent' }
  | { type: 'maker-back' }
  /** The maker's coins were spent or a service node withdrew its signature. */
  | { type: 'invalidated' };

export type OrderTransition = { ok: true; state: OrderState } | { ok: false; reason: string };

function target(e: OrderEvent): OrderState {
  switch (e.type) {
    case 'service-node-signed':
      return 'open';
    case 'service-node-refused':
      return 'invalid';
    case 'accept-sent':
      return 'accepting';
    case 'accept-failed':
      return 'open';
    case 'held':
      return e.remainingBase > 0n ? 'open' : 'hold';
    case 'swap-initialized':
      return 'initialized';
    case 'maker-locked':
      return 'created';
    case 'taker-locked':
      return 'committed';
    case 'swap-completed':
      return 'finished';
    case 'swap-refunded':
      return 'rolledback';
    case 'swap-lost':
      return 'rollbackFailed';
    case 'swap-aborted':
      return 'canceled';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
    case 'maker-silent':
      return 'offline';
    case 'maker-back':
      return 'open';
    case 'invalidated':
      return 'invalid';
  }
}

// Events that reach a state only from some of the states the table allows: a maker cancels only
// an order nobody holds yet; a swap aborts only before coins are locked.
const EVENT_SOURCES: Partial<Record<OrderEvent['type'], readonly OrderState[]>> = {
  canceled: ['new', 'open', 'accepting', 'offline'],
  'swap-aborted': ['hold', 'initialized'],
  'maker-back': ['offline'],
  'accept-failed': ['accepting'],
};

/** The state after `event`, or why the event cannot happen in `state`. Never throws. */
export function transitionOrder(state: OrderState, event: OrderEvent): OrderTransition {
  if (event.type === 'held' && event.remainingBase < 0n)
    return { ok: false, reason: 'a hold cannot leave a negative remainder' };
  const next = target(event);
  // A partial hold keeps a listed order listed: same state, smaller remainder.
  if (event.type === 'held' && next === 'open' && (state === 'open' || state === 'accepting' || state === 'offline'))
    return { ok: true, state: 'open' };
  const sources = EVENT_SOURCES[event.type];
  if (!canTransition(state, next) || (sources && !sources.includes(state)))
    return { ok: false, reason: `an order that is ${state} cannot become ${next} (${event.type})` };
  return { ok: true, state: next };
}
