// Test-only: one valid DEVA→DEVB swap (fixed keys, secret and heights) and helpers that drive the
// machines through events, so each test starts from a state reached the way the engine reaches it.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { getCoin } from '../coins/registry.ts';
import { initialMakerState, initialTakerState, transitionMaker, transitionTaker } from './machine.ts';
import { REGTEST_TIMELOCK_POLICY, chainParamsOf, proposeLocktimes } from './timelock.ts';
import type {
  Chain,
  Heights,
  HtlcSeen,
  MakerEvent,
  MakerState,
  SwapProposal,
  SwapSetup,
  SwapTerms,
  TakerEvent,
  TakerState,
  TransitionResult,
} from './types.ts';
import { expectedScripts } from './verify.ts';

export const SECRET = '5e'.repeat(32);
export const SECRET_HASH = bytesToHex(sha256(hexToBytes(SECRET)));

export function pubkeyOf(n: number): string {
  const sk = new Uint8Array(32);
  sk[31] = n;
  return bytesToHex(secp256k1.getPublicKey(sk, true));
}

export const MAKER_KEYS = { makerChain: pubkeyOf(1), takerChain: pubkeyOf(2) };
export const TAKER_KEYS = { makerChain: pubkeyOf(3), takerChain: pubkeyOf(4) };
export const MAKER_ADDRESSES = { refund: 'rltc1qmakerrefund0000000000000', payout: 'rltc1qmakerpayout0000000000000' };
export const TAKER_ADDRESSES = { refund: 'rltc1qtakerrefund0000000000000', payout: 'rltc1qtakerpayout0000000000000' };
export const START: Heights = { makerChain: 200, takerChain: 300 };
export const CHAINS = { makerChain: chainParamsOf(getCoin('DEVA')), takerChain: chainParamsOf(getCoin('DEVB')) };
export const POLICY = REGTEST_TIMELOCK_POLICY;
export const NOW = 1_700_000_000_000;

export function proposal(over: Partial<SwapProposal> = {}): SwapProposal {
  const locks = proposeLocktimes({
    chains: CHAINS,
    confirmations: { makerChain: 1, takerChain: 1 },
    heights: START,
    policy: POLICY,
  });
  return {
    swapId: 'swap-1',
    orderId: 'order-1',
    secretHash: SECRET_HASH,
    makerLeg: { ticker: 'DEVA', amount: 1_000_000n, locktime: locks.makerChain, confirmations: 1 },
    takerLeg: { ticker: 'DEVB', amount: 4_000_000n, locktime: locks.takerChain, confirmations: 1 },
    makerPubkeys: MAKER_KEYS,
    makerAddresses: MAKER_ADDRESSES,
    ...over,
  };
}

export function terms(over: Partial<SwapTerms> = {}): SwapTerms {
  return { ...proposal(), takerPubkeys: TAKER_KEYS, takerAddresses: TAKER_ADDRESSES, ...over };
}

export function setup(t: SwapTerms = terms()): SwapSetup {
  return { terms: t, chains: CHAINS, policy: POLICY };
}

/** The HTLC output the terms call for on `chain`, as a watcher would report it. */
export function seen(chain: Chain, over: Partial<HtlcSeen> = {}, t: SwapTerms = terms()): HtlcSeen {
  const leg = chain === 'makerChain' ? t.makerLeg : t.takerLeg;
  return {
    txid: (chain === 'makerChain' ? 'a1' : 'b1').repeat(32),
    vout: 0,
    amount: leg.amount,
    ...expectedScripts(t, chain),
    confirmations: 1,
    ...over,
  };
}

export const MAKER_FUNDING_TXID = 'a1'.repeat(32);
export const TAKER_FUNDING_TXID = 'b1'.repeat(32);

export function tick(
  makerChain: number,
  takerChain: number,
  nowMs = NOW,
): { type: 'TimerTick'; heights: Heights; nowMs: number } {
  return { type: 'TimerTick', heights: { makerChain, takerChain }, nowMs };
}

/** Apply events in order; throws if any is refused, so a test states its path explicitly. */
export function driveMaker(events: MakerEvent[], from: MakerState = initialMakerState): TransitionResult<MakerState> {
  let r: TransitionResult<MakerState> = { state: from, effects: [] };
  for (const e of events) {
    r = transitionMaker(r.state, e);
    if (r.refused) throw new Error(`maker refused ${e.type} in ${r.state.phase}: ${r.refused}`);
  }
  return r;
}

export function driveTaker(events: TakerEvent[], from: TakerState = initialTakerState): TransitionResult<TakerState> {
  let r: TransitionResult<TakerState> = { state: from, effects: [] };
  for (const e of events) {
    r = transitionTaker(r.state, e);
    if (r.refused) throw new Error(`taker refused ${e.type} in ${r.state.phase}: ${r.refused}`);
  }
  return r;
}

// Event paths that reach each maker and taker state the way a real swap does.
export const makerStarted: MakerEvent = {
  type: 'MakerStarted',
  proposal: proposal(),
  chains: CHAINS,
  policy: POLICY,
  heights: START,
  nowMs: NOW,
};
export const takerAccepted: MakerEvent = {
  type: 'CounterpartyAccepted',
  takerPubkeys: TAKER_KEYS,
  takerAddresses: TAKER_ADDRESSES,
};
export const makerFundingBroadcast: MakerEvent = { type: 'OwnFundingBroadcast', txid: MAKER_FUNDING_TXID, vout: 0 };
export const takerHtlcConfirmed: MakerEvent = { type: 'CounterpartyFundingSeen', htlc: seen('takerChain') };

export const MAKER_PATH = {
  proposed: [makerStarted],
  funding: [makerStarted, takerAccepted],
  funded: [makerStarted, takerAccepted, makerFundingBroadcast],
  claiming: [makerStarted, takerAccepted, makerFundingBroadcast, takerHtlcConfirmed],
  refunding: [makerStarted, takerAccepted, makerFundingBroadcast, { type: 'Abort', reason: 'user pressed stop' }],
} satisfies Record<string, MakerEvent[]>;

export const takerStarted: TakerEvent = {
  type: 'TakerStarted',
  proposal: proposal(),
  takerPubkeys: TAKER_KEYS,
  takerAddresses: TAKER_ADDRESSES,
  minConfirmations: { makerChain: 1, takerChain: 1 },
  chains: CHAINS,
  policy: POLICY,
  heights: START,
  nowMs: NOW,
};
export const makerHtlcConfirmed: TakerEvent = { type: 'CounterpartyFundingSeen', htlc: seen('makerChain') };
export const takerFundingBroadcast: TakerEvent = { type: 'OwnFundingBroadcast', txid: TAKER_FUNDING_TXID, vout: 0 };
export const makerClaimSeen: TakerEvent = {
  type: 'CounterpartyClaimSeen',
  txid: 'c1'.repeat(32),
  secret: SECRET,
  confirmations: 0,
};

export const TAKER_PATH = {
  accepted: [takerStarted],
  funding: [takerStarted, makerHtlcConfirmed],
  funded: [takerStarted, makerHtlcConfirmed, takerFundingBroadcast],
  claiming: [takerStarted, makerHtlcConfirmed, takerFundingBroadcast, makerClaimSeen],
  refunding: [takerStarted, makerHtlcConfirmed, takerFundingBroadcast, { type: 'Abort', reason: 'user pressed stop' }],
} satisfies Record<string, TakerEvent[]>;
