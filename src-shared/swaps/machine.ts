// The maker and taker swap state machines: pure `(state, event) → { state, effects }` functions
// (docs/swap.md §5). No clock, no I/O: heights and time arrive as events, effects are commands
// the engine runs after it has stored the event. An event a state cannot take is refused: the
// same state object comes back with no effects and `refused` set; nothing throws.
// The two machines live in maker.ts and taker.ts; step.ts holds what they share.
import { transitionMaker } from './maker.ts';
import { fundEffect, fundedNotice, claimEffect, refundEffect, refuse, watchEffects, type Result } from './step.ts';
import { transitionTaker } from './taker.ts';
import type { MakerEvent, MakerState, SwapEvent, SwapState, TakerEvent, TakerState, Effect } from './types.ts';

export { transitionMaker } from './maker.ts';
export { transitionTaker } from './taker.ts';

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
