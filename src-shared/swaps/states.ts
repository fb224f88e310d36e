// The maker's and the taker's states (docs/swap.md §5): what each phase knows, the terminal
// outcomes, and what a transition returns.
import type {
  Role,
  Hex,
  Heights,
  SwapProposal,
  SwapSetup,
  Outpoint,
  HtlcSeen,
  TimelockPolicy,
  Effect,
} from './types.ts';

export type Outcome = 'completed' | 'refunded' | 'failedBeforeFunding' | 'lost';

/** Why a swap stopped going forward before a claim. */
export interface StopReason {
  readonly code: string;
  readonly message: string;
}

/** A transaction we asked for and what became of it. */
export interface OwnSpend {
  readonly requested: true;
  readonly txid?: Hex;
  readonly confirmed?: boolean;
}

/** A spend by the counterparty as last seen. */
export interface TheirSpend {
  readonly txid: Hex;
  readonly confirmations: number;
}

interface Base<R extends Role> {
  readonly role: R;
}

/** Fields every post-funding state carries: our HTLC and theirs as far as we know them. */
interface Funded {
  readonly setup: SwapSetup;
  readonly heights: Heights;
  readonly ownFunding: Outpoint & { readonly confirmations: number };
  readonly theirFunding?: HtlcSeen;
  readonly theirNotice?: Outpoint & { readonly witnessScript: Hex };
}

export type Terminal<R extends Role> =
  | (Base<R> & {
      readonly phase: 'completed';
      readonly setup: SwapSetup;
      readonly claimTxid: Hex;
      readonly refundTxid?: Hex;
    })
  | (Base<R> & {
      readonly phase: 'refunded';
      readonly setup: SwapSetup;
      readonly refundTxid: Hex;
      readonly reason: StopReason;
    })
  | (Base<R> & { readonly phase: 'failedBeforeFunding'; readonly reason: StopReason; readonly swapId: string })
  | (Base<R> & { readonly phase: 'lost'; readonly setup: SwapSetup; readonly reason: StopReason });

export type MakerState =
  | (Base<'maker'> & { readonly phase: 'new' })
  | (Base<'maker'> & {
      readonly phase: 'proposed';
      readonly proposal: SwapProposal;
      readonly chains: SwapSetup['chains'];
      readonly policy: TimelockPolicy;
      readonly heights: Heights;
      readonly acceptByMs: number;
    })
  | (Base<'maker'> & {
      readonly phase: 'funding';
      readonly setup: SwapSetup;
      readonly heights: Heights;
      readonly stop?: StopReason;
    })
  | (Base<'maker'> & Funded & { readonly phase: 'funded' })
  | (Base<'maker'> &
      Funded & {
        readonly phase: 'claiming';
        readonly theirFunding: HtlcSeen;
        readonly claim: OwnSpend;
        /** The taker's claim of our HTLC, once seen (expected: that is how the taker gets paid). */
        readonly theirClaim?: TheirSpend;
      })
  | (Base<'maker'> &
      Funded & {
        readonly phase: 'refunding';
        readonly reason: StopReason;
        /** True when our claim was (or may have been) broadcast and then given up: the secret may be public. */
        readonly claimLost: boolean;
        /** Our given-up claim, seen on the chain after all (it may still confirm). */
        readonly lateClaim?: Hex;
        readonly refund?: OwnSpend;
        readonly theirClaim?: TheirSpend;
      })
  | Terminal<'maker'>;

export type TakerState =
  | (Base<'taker'> & { readonly phase: 'new' })
  | (Base<'taker'> & {
      readonly phase: 'accepted';
      readonly setup: SwapSetup;
      readonly heights: Heights;
      readonly theirFunding?: HtlcSeen;
      readonly theirNotice?: Outpoint & { readonly witnessScript: Hex };
    })
  | (Base<'taker'> & {
      readonly phase: 'funding';
      readonly setup: SwapSetup;
      readonly heights: Heights;
      readonly theirFunding: HtlcSeen;
      readonly stop?: StopReason;
    })
  | (Base<'taker'> & Funded & { readonly phase: 'funded'; readonly theirFunding: HtlcSeen })
  | (Base<'taker'> &
      Funded & {
        readonly phase: 'claiming';
        readonly theirFunding: HtlcSeen;
        readonly secret: Hex;
        readonly claim: OwnSpend;
        /** The maker's claim of our HTLC that revealed the secret. */
        readonly theirClaim: TheirSpend;
        readonly refund?: OwnSpend;
      })
  | (Base<'taker'> &
      Funded & {
        readonly phase: 'refunding';
        readonly reason: StopReason;
        readonly refund?: OwnSpend;
        /** Set once their HTLC can no longer be claimed (refunded by them or conflicted away, at the agreed depth). */
        readonly theirGone?: { readonly how: 'refunded' | 'conflicted'; readonly txid: Hex };
        readonly theirClaim?: TheirSpend;
      })
  | Terminal<'taker'>;

export type SwapState = MakerState | TakerState;

export interface TransitionResult<S> {
  readonly state: S;
  readonly effects: readonly Effect[];
  /** Set when the event was refused: the state is returned unchanged and no effect runs. */
  readonly refused?: string;
}

export function isTerminal(s: SwapState): boolean {
  return s.phase === 'completed' || s.phase === 'refunded' || s.phase === 'failedBeforeFunding' || s.phase === 'lost';
}
