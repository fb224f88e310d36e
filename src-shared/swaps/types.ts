// Types of one atomic swap: the agreed terms, the events that drive the pure state machines,
// the effects they ask the engine to run, and (from states.ts) the maker and taker states. docs/swap.md is the
// specification; names here follow it (maker chain = where the maker locks, taker chain = where the taker locks).

/** Which of the two chains of a swap. The maker's HTLC is on makerChain, the taker's on takerChain. */
export type Chain = 'makerChain' | 'takerChain';
export type Role = 'maker' | 'taker';

/** Lowercase hex. */
export type Hex = string;

export interface Heights {
  readonly makerChain: number;
  readonly takerChain: number;
}

/** One HTLC: who locks what, until which height, and how deep its transactions must be. */
export interface LegTerms {
  readonly ticker: string;
  /** Exact HTLC output value, base units. */
  readonly amount: bigint;
  /** Absolute block height on this leg's chain after which the funder may refund. */
  readonly locktime: number;
  /** Depth at which a transaction on this chain is acted on and counted final. */
  readonly confirmations: number;
}

/** A party's compressed pubkey (hex) on each chain. */
export interface ChainKeys {
  readonly makerChain: Hex;
  readonly takerChain: Hex;
}

/** refund: on the chain this party funds; payout: on the chain it claims. */
export interface PartyAddresses {
  readonly refund: string;
  readonly payout: string;
}

/** What the maker proposes: everything but the taker's keys and addresses. */
export interface SwapProposal {
  readonly swapId: string;
  readonly orderId: string;
  readonly secretHash: Hex;
  /** Locked by the maker on the maker chain, claimed by the taker. */
  readonly makerLeg: LegTerms;
  /** Locked by the taker on the taker chain, claimed by the maker. */
  readonly takerLeg: LegTerms;
  readonly makerPubkeys: ChainKeys;
  readonly makerAddresses: PartyAddresses;
}

export interface SwapTerms extends SwapProposal {
  readonly takerPubkeys: ChainKeys;
  readonly takerAddresses: PartyAddresses;
}

/** The per-chain facts the policy and checks need (a subset of CoinParams). */
export interface ChainParams {
  readonly blockTimeSec: number;
  readonly dustP2wpkh: bigint;
  readonly dustP2wsh: bigint;
  readonly minRelayFeeSatPerVb: bigint;
  readonly walletMinFeeSatPerVb: bigint;
}

export interface TimelockPolicy {
  /** Time a party gets to react and broadcast. */
  readonly fundingSlackSec: number;
  /** Time a claim gets to confirm before the lock it races. */
  readonly safetyMarginSec: number;
  /** The margin never falls below this many blocks. */
  readonly minMarginBlocks: number;
  /** Locks longer than this are refused. */
  readonly maxLockSec: number;
  /** How long the maker waits for swap.accept. */
  readonly acceptTimeoutMs: number;
}

/** Everything fixed about a swap once both sides agreed; kept in every state so replays are deterministic. */
export interface SwapSetup {
  readonly terms: SwapTerms;
  readonly chains: { readonly makerChain: ChainParams; readonly takerChain: ChainParams };
  readonly policy: TimelockPolicy;
}

export interface Outpoint {
  readonly txid: Hex;
  readonly vout: number;
}

/** A counterparty HTLC output as the watcher saw it on chain. */
export interface HtlcSeen extends Outpoint {
  readonly amount: bigint;
  /** scriptPubKey of the output. */
  readonly outputScript: Hex;
  /** Witness script the funder declared (its notice), or our expected one when found at our expected address. */
  readonly witnessScript: Hex;
  /** 0 = in the mempool. */
  readonly confirmations: number;
}

// ---------------------------------------------------------------- messages (internal form)

export type AbortReason =
  | 'user-abort'
  | 'terms-rejected'
  | 'accept-timeout'
  | 'funding-failed'
  | 'counterparty-htlc-invalid'
  | 'deadline-passed'
  | 'counterparty-vanished';

export type SwapMessage =
  | ({ readonly type: 'swap.propose' } & SwapProposal)
  | {
      readonly type: 'swap.accept';
      readonly swapId: string;
      readonly takerPubkeys: ChainKeys;
      readonly takerAddresses: PartyAddresses;
    }
  | {
      readonly type: 'swap.makerFunded';
      readonly swapId: string;
      readonly txid: Hex;
      readonly vout: number;
      readonly witnessScript: Hex;
    }
  | {
      readonly type: 'swap.takerFunded';
      readonly swapId: string;
      readonly txid: Hex;
      readonly vout: number;
      readonly witnessScript: Hex;
    }
  | { readonly type: 'swap.makerClaimed'; readonly swapId: string; readonly txid: Hex }
  | { readonly type: 'swap.abort'; readonly swapId: string; readonly reason: AbortReason; readonly message: string };

// ---------------------------------------------------------------- events

export interface TimerTick {
  readonly type: 'TimerTick';
  readonly heights: Heights;
  readonly nowMs: number;
}
export interface Abort {
  readonly type: 'Abort';
  readonly reason: string;
}

export interface MakerStarted {
  readonly type: 'MakerStarted';
  readonly proposal: SwapProposal;
  readonly chains: SwapSetup['chains'];
  readonly policy: TimelockPolicy;
  readonly heights: Heights;
  readonly nowMs: number;
}

export interface TakerStarted {
  readonly type: 'TakerStarted';
  readonly proposal: SwapProposal;
  readonly takerPubkeys: ChainKeys;
  readonly takerAddresses: PartyAddresses;
  /** The user's risk setting: the least depth the taker accepts on each chain. */
  readonly minConfirmations: Heights;
  readonly chains: SwapSetup['chains'];
  readonly policy: TimelockPolicy;
  readonly heights: Heights;
  readonly nowMs: number;
}

export interface CounterpartyAccepted {
  readonly type: 'CounterpartyAccepted';
  readonly takerPubkeys: ChainKeys;
  readonly takerAddresses: PartyAddresses;
}
export interface CounterpartyAborted {
  readonly type: 'CounterpartyAborted';
  readonly reason: AbortReason;
  readonly message: string;
}
/** The counterparty's funding notice (a hint; the chain decides). */
export interface CounterpartyFunded {
  readonly type: 'CounterpartyFunded';
  readonly txid: Hex;
  readonly vout: number;
  readonly witnessScript: Hex;
}
/** The maker's claim notice (a hint; the taker reads the secret from the chain). */
export interface CounterpartyClaimed {
  readonly type: 'CounterpartyClaimed';
  readonly txid: Hex;
}

export interface OwnFundingBroadcast {
  readonly type: 'OwnFundingBroadcast';
  readonly txid: Hex;
  readonly vout: number;
}
export interface OwnFundingFailed {
  readonly type: 'OwnFundingFailed';
  readonly reason: string;
}
export interface OwnFundingConfirmed {
  readonly type: 'OwnFundingConfirmed';
  readonly confirmations: number;
}

export interface CounterpartyFundingSeen {
  readonly type: 'CounterpartyFundingSeen';
  readonly htlc: HtlcSeen;
  /**
   * Both tips when the engine looked. The taker judges the maker's HTLC against these (waiting to
   * lock): a funding found after an outage is judged at today's heights, so it is neither taken for
   * missing nor trusted at yesterday's.
   */
  readonly heights?: Heights;
}
/** The counterparty's funding was conflicted (reorg + double spend) at the agreed depth. */
export interface CounterpartyFundingGone {
  readonly type: 'CounterpartyFundingGone';
  readonly txid: Hex;
}
/** Our HTLC was spent by the claim path; the secret is in the witness. */
export interface CounterpartyClaimSeen {
  readonly type: 'CounterpartyClaimSeen';
  readonly txid: Hex;
  readonly secret: Hex;
  readonly confirmations: number;
}
/** Their HTLC was spent by their refund. */
export interface CounterpartyRefundSeen {
  readonly type: 'CounterpartyRefundSeen';
  readonly txid: Hex;
  readonly confirmations: number;
}

export interface ClaimBroadcast {
  readonly type: 'ClaimBroadcast';
  readonly txid: Hex;
}
/** Our claim reached the chain's agreed confirmations. */
export interface ClaimConfirmed {
  readonly type: 'ClaimConfirmed';
  readonly txid: Hex;
}
export interface RefundBroadcast {
  readonly type: 'RefundBroadcast';
  readonly txid: Hex;
}
/** Our refund reached the chain's agreed confirmations. */
export interface RefundConfirmed {
  readonly type: 'RefundConfirmed';
  readonly txid: Hex;
}

/**
 * A child transaction our wallet sent to raise the fee of our claim or refund (CPFP, docs/swap.md
 * §8.8). Kept in the swap's log beside the machine's events, never fed to the machine: it changes
 * nothing in the swap, but the wallet paid for it, so the swap's page lists it with its fee.
 */
export interface FeeChildSent {
  readonly type: 'FeeChildSent';
  readonly spend: 'claim' | 'refund';
  readonly ticker: string;
  /** The transaction it pays for: the claim or refund, or the child before it in a chain of children. */
  readonly parent: Hex;
  readonly txid: Hex;
  /** What this child paid in fees, base units. */
  readonly fee: bigint;
}

type CommonEvent =
  | TimerTick
  | Abort
  | CounterpartyAborted
  | CounterpartyFunded
  | OwnFundingBroadcast
  | OwnFundingFailed
  | OwnFundingConfirmed
  | CounterpartyFundingSeen
  | CounterpartyFundingGone
  | CounterpartyClaimSeen
  | CounterpartyRefundSeen
  | ClaimBroadcast
  | ClaimConfirmed
  | RefundBroadcast
  | RefundConfirmed;

export type MakerEvent = CommonEvent | MakerStarted | CounterpartyAccepted;
export type TakerEvent = CommonEvent | TakerStarted | CounterpartyClaimed;
export type SwapEvent = MakerEvent | TakerEvent;

// ---------------------------------------------------------------- effects

export type Preimage = { readonly kind: 'own' } | { readonly kind: 'learned'; readonly secret: Hex };

export type Effect =
  | { readonly type: 'SendMessage'; readonly message: SwapMessage }
  | {
      readonly type: 'FundHtlc';
      readonly chain: Chain;
      readonly ticker: string;
      readonly amount: bigint;
      readonly witnessScript: Hex;
      readonly outputScript: Hex;
      /** Do not broadcast once this chain's tip is above this height; report OwnFundingFailed instead. */
      readonly notAfter: { readonly chain: Chain; readonly height: number };
    }
  | {
      readonly type: 'WatchHtlc';
      readonly chain: Chain;
      readonly ticker: string;
      readonly side: 'own' | 'counterparty';
      readonly witnessScript: Hex;
      readonly outputScript: Hex;
    }
  | {
      readonly type: 'BroadcastClaim';
      readonly chain: Chain;
      readonly ticker: string;
      readonly outpoint: Outpoint;
      readonly amount: bigint;
      readonly witnessScript: Hex;
      readonly preimage: Preimage;
      readonly payoutAddress: string;
      /** Height on `chain` before which a claim revealing our own secret must first go out (makerClaimBy). */
      readonly deadline: number;
      /** Height on `chain` it must be mined by: the lock it races; its fee reaches the cap there (§8.8). */
      readonly raceBy: number;
    }
  | {
      readonly type: 'BroadcastRefund';
      readonly chain: Chain;
      readonly ticker: string;
      readonly outpoint: Outpoint;
      readonly amount: bigint;
      readonly witnessScript: Hex;
      readonly locktime: number;
      readonly refundAddress: string;
    }
  | {
      readonly type: 'Notify';
      readonly level: 'info' | 'warning' | 'error';
      readonly code: string;
      readonly message: string;
    };

export * from './states.ts';
