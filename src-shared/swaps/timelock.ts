// Timelock policy and terms validation: how long each HTLC stays locked, the deadline of every
// step, and the checks both sides run on the terms before any coin moves (docs/swap.md §4).
// Heights are absolute per chain; durations are seconds derived from each chain's block time.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HTLC_CLAIM_MAX_VSIZE, LOCKTIME_THRESHOLD, isCompressedPubkeyHex, isSecretHashHex } from './script.ts';
import type { CoinParams } from '../coins/registry.ts';
import type {
  Chain,
  ChainParams,
  Heights,
  LegTerms,
  SwapProposal,
  SwapSetup,
  SwapTerms,
  TimelockPolicy,
} from './types.ts';

export const DEFAULT_TIMELOCK_POLICY: TimelockPolicy = {
  fundingSlackSec: 600,
  safetyMarginSec: 1800,
  minMarginBlocks: 6,
  maxLockSec: 172_800,
  acceptTimeoutMs: 60_000,
};
/** Regtest chains mine on demand; short margins keep devnet swaps (and refund tests) quick. */
export const REGTEST_TIMELOCK_POLICY: TimelockPolicy = {
  fundingSlackSec: 60,
  safetyMarginSec: 30,
  minMarginBlocks: 6,
  maxLockSec: 172_800,
  acceptTimeoutMs: 30_000,
};

export function timelockPolicyFor(network: 'mainnet' | 'testnet' | 'regtest'): TimelockPolicy {
  return network === 'regtest' ? REGTEST_TIMELOCK_POLICY : DEFAULT_TIMELOCK_POLICY;
}

type Chains = SwapSetup['chains'];

/** The part of a coin's registry entry the swap needs; stored in the swap so replays never depend on the registry. */
export function chainParamsOf(c: CoinParams): ChainParams {
  return {
    blockTimeSec: c.blockTimeSec,
    dustP2wpkh: c.dustP2wpkh,
    dustP2wsh: c.dustP2wsh,
    minRelayFeeSatPerVb: c.minRelayFeeSatPerVb,
    walletMinFeeSatPerVb: c.walletMinFeeSatPerVb,
  };
}

function blocksFor(sec: number, chain: ChainParams): number {
  return Math.ceil(sec / chain.blockTimeSec);
}

/** Blocks a claim on this chain gets to confirm before the lock it races. */
export function marginBlocks(chain: ChainParams, policy: TimelockPolicy): number {
  return Math.max(policy.minMarginBlocks, blocksFor(policy.safetyMarginSec, chain));
}

function confSec(chain: ChainParams, confirmations: number): number {
  return confirmations * chain.blockTimeSec;
}

/** Least time the taker's lock must still have when the maker funds: the rest of the swap up to the maker's claim. */
function takerLockMinSec(chains: Chains, conf: Heights, policy: TimelockPolicy): number {
  return (
    policy.fundingSlackSec +
    confSec(chains.makerChain, conf.makerChain) +
    confSec(chains.takerChain, conf.takerChain) +
    marginBlocks(chains.takerChain, policy) * chains.takerChain.blockTimeSec
  );
}

/** Least time the maker's lock must outlast the taker's: the taker reacts to the secret and its claim confirms. */
function lockGapMinSec(chains: Chains, policy: TimelockPolicy): number {
  return policy.fundingSlackSec + marginBlocks(chains.makerChain, policy) * chains.makerChain.blockTimeSec;
}

function remainingSec(locktime: number, height: number, chain: ChainParams): number {
  return (locktime - height) * chain.blockTimeSec;
}

export interface LockInputs {
  readonly chains: Chains;
  /** Agreed confirmations per chain (the users' risk settings). */
  readonly confirmations: Heights;
  readonly heights: Heights;
  readonly policy: TimelockPolicy;
}

/**
 * Absolute locktimes for a new proposal. The taker's lock covers the whole swap up to the maker's
 * claim with one extra slack; the maker's lock is about twice as long and never less than the
 * taker's plus two slacks and a margin (one slack more than checkTerms demands, so it survives delay).
 */
export function proposeLocktimes(i: LockInputs): Heights {
  const { chains, policy } = i;
  const takerBlocks = blocksFor(
    policy.fundingSlackSec + takerLockMinSec(chains, i.confirmations, policy),
    chains.takerChain,
  );
  const takerSec = takerBlocks * chains.takerChain.blockTimeSec;
  const makerSec = Math.max(2 * takerSec, takerSec + policy.fundingSlackSec + lockGapMinSec(chains, policy));
  return {
    makerChain: i.heights.makerChain + blocksFor(makerSec, chains.makerChain),
    takerChain: i.heights.takerChain + takerBlocks,
  };
}

export interface Deadline {
  readonly chain: Chain;
  readonly height: number;
}

export interface SwapDeadlines {
  /** Maker funds only while the taker chain is at or below this. */
  readonly makerFundBy: Deadline;
  /** Taker funds only while the taker chain is at or below this (plus the cross-chain check). */
  readonly takerFundBy: Deadline;
  /** Maker broadcasts its claim only while the taker chain is below this. */
  readonly makerClaimBy: Deadline;
  /** Taker refunds from here on (= L_T). */
  readonly takerRefundAt: Deadline;
  /** Taker's claim should be confirmed by here (it still tries later). */
  readonly takerClaimBy: Deadline;
  /** Maker refunds from here on (= L_M). */
  readonly makerRefundAt: Deadline;
}

export function swapDeadlines(setup: SwapSetup): SwapDeadlines {
  const { terms, chains, policy } = setup;
  const lT = terms.takerLeg.locktime;
  const lM = terms.makerLeg.locktime;
  const conf = { makerChain: terms.makerLeg.confirmations, takerChain: terms.takerLeg.confirmations };
  const marginT = marginBlocks(chains.takerChain, policy);
  const makerClaimBy = lT - marginT;
  return {
    makerFundBy: {
      chain: 'takerChain',
      height: lT - blocksFor(takerLockMinSec(chains, conf, policy), chains.takerChain),
    },
    takerFundBy: {
      chain: 'takerChain',
      height: makerClaimBy - conf.takerChain - blocksFor(policy.fundingSlackSec, chains.takerChain),
    },
    makerClaimBy: { chain: 'takerChain', height: makerClaimBy },
    takerRefundAt: { chain: 'takerChain', height: lT },
    takerClaimBy: { chain: 'makerChain', height: lM - marginBlocks(chains.makerChain, policy) },
    makerRefundAt: { chain: 'makerChain', height: lM },
  };
}

export type GuardResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'deadline-passed' | 'maker-lock-too-close'; readonly message: string };

/** May the taker still lock its coins? Both its own fund-by height and the maker's lock must leave room. */
export function takerMayFund(setup: SwapSetup, heights: Heights): GuardResult {
  const d = swapDeadlines(setup);
  if (heights.takerChain > d.takerFundBy.height) {
    return {
      ok: false,
      code: 'deadline-passed',
      message: `too late to lock: the maker would not have time to claim before block ${setup.terms.takerLeg.locktime}`,
    };
  }
  const { chains, policy, terms } = setup;
  const gap =
    remainingSec(terms.makerLeg.locktime, heights.makerChain, chains.makerChain) -
    remainingSec(terms.takerLeg.locktime, heights.takerChain, chains.takerChain);
  if (gap < lockGapMinSec(chains, policy)) {
    return {
      ok: false,
      code: 'maker-lock-too-close',
      message: "the maker's lock ends too soon after ours: we might not have time to claim",
    };
  }
  return { ok: true };
}

/** May the maker still reveal the secret by claiming? Only while the claim has its margin to confirm. */
export function makerMayClaim(setup: SwapSetup, heights: Heights): boolean {
  return heights.takerChain < swapDeadlines(setup).makerClaimBy.height;
}

/** Is the refund of this chain's HTLC valid now (tip at or above its locktime)? */
export function refundOpen(terms: SwapTerms, chain: Chain, heights: Heights): boolean {
  const leg = chain === 'makerChain' ? terms.makerLeg : terms.takerLeg;
  return heights[chain] >= leg.locktime;
}

// ---------------------------------------------------------------- terms validation

export type TermsProblemCode =
  | 'bad-swap-id'
  | 'bad-order-id'
  | 'bad-secret-hash'
  | 'bad-pubkey'
  | 'same-key'
  | 'same-chain'
  | 'bad-address'
  | 'bad-amount'
  | 'amount-below-dust'
  | 'bad-confirmations'
  | 'confirmations-below-risk-setting'
  | 'bad-locktime'
  | 'locks-inverted'
  | 'lock-too-short'
  | 'lock-too-long';

export interface TermsProblem {
  readonly code: TermsProblemCode;
  readonly message: string;
}
export type TermsCheck = { readonly ok: true } | { readonly ok: false; readonly problems: readonly TermsProblem[] };

export interface CheckContext {
  readonly chains: Chains;
  readonly policy: TimelockPolicy;
  /** The checking party's risk setting; terms asking for fewer confirmations are refused. */
  readonly minConfirmations?: Heights;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_AMOUNT = 2n ** 63n - 1n;

/** Smallest HTLC value that is relayable and still leaves a non-dust payout after a claim at the floor fee. */
export function minHtlcAmount(chain: ChainParams): bigint {
  const floor =
    chain.minRelayFeeSatPerVb > chain.walletMinFeeSatPerVb ? chain.minRelayFeeSatPerVb : chain.walletMinFeeSatPerVb;
  const claimable = chain.dustP2wpkh + HTLC_CLAIM_MAX_VSIZE * floor;
  return claimable > chain.dustP2wsh ? claimable : chain.dustP2wsh;
}

function validPubkey(hex: string): boolean {
  if (!isCompressedPubkeyHex(hex)) return false;
  try {
    secp256k1.Point.fromHex(hex);
    return true;
  } catch {
    return false;
  }
}

export function checkProposal(p: SwapProposal, heights: Heights, ctx: CheckContext): TermsCheck {
  return check(p, undefined, heights, ctx);
}

/** Everything both sides check before locking coins; every problem found is reported, each with its own code. */
export function checkTerms(terms: SwapTerms, heights: Heights, ctx: CheckContext): TermsCheck {
  return check(terms, { pubkeys: terms.takerPubkeys, addresses: terms.takerAddresses }, heights, ctx);
}

type Taker = { pubkeys: SwapTerms['takerPubkeys']; addresses: SwapTerms['takerAddresses'] };
type AddProblem = (code: TermsProblemCode, message: string) => void;

function check(p: SwapProposal, taker: Taker | undefined, heights: Heights, ctx: CheckContext): TermsCheck {
  const problems: TermsProblem[] = [];
  const add: AddProblem = (code, message) => problems.push({ code, message });
  checkParties(p, taker, add);
  const locksValid = checkLegs(p, heights, ctx, add);
  if (locksValid && !problems.some((x) => x.code === 'bad-confirmations')) checkLocks(p, heights, ctx, add);
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** Ids, the secret hash, keys and addresses, and two different coins. */
function checkParties(p: SwapProposal, taker: Taker | undefined, add: AddProblem): void {
  if (!ID.test(p.swapId)) add('bad-swap-id', 'the swap id must be 1-64 letters, digits, _ or -');
  if (!ID.test(p.orderId)) add('bad-order-id', 'the order id must be 1-64 letters, digits, _ or -');
  if (!isSecretHashHex(p.secretHash))
    add('bad-secret-hash', 'the secret hash must be 32 bytes written as 64 lowercase hex digits');

  const keys = [
    p.makerPubkeys.makerChain,
    p.makerPubkeys.takerChain,
    ...(taker ? [taker.pubkeys.makerChain, taker.pubkeys.takerChain] : []),
  ];
  if (keys.some((k) => !validPubkey(k))) add('bad-pubkey', 'a public key is not a valid compressed secp256k1 key');
  if (
    taker &&
    (taker.pubkeys.makerChain === p.makerPubkeys.makerChain || taker.pubkeys.takerChain === p.makerPubkeys.takerChain)
  ) {
    add('same-key', 'the claim key and the refund key of an HTLC must differ');
  }
  const addresses = [
    p.makerAddresses.refund,
    p.makerAddresses.payout,
    ...(taker ? [taker.addresses.refund, taker.addresses.payout] : []),
  ];
  if (addresses.some((a) => typeof a !== 'string' || !/^[A-Za-z0-9]{14,100}$/.test(a)))
    add('bad-address', 'an address is missing or malformed');
  if (p.makerLeg.ticker === p.takerLeg.ticker) add('same-chain', 'both sides of a swap are on the same coin');
}

/** Each leg's amount, confirmations and lock height; false when a lock is not a usable height. */
function checkLegs(p: SwapProposal, heights: Heights, ctx: CheckContext, add: AddProblem): boolean {
  const legs: Array<[Chain, LegTerms]> = [
    ['makerChain', p.makerLeg],
    ['takerChain', p.takerLeg],
  ];
  let locksValid = true;
  for (const [chain, leg] of legs) {
    const params = ctx.chains[chain];
    if (typeof leg.amount !== 'bigint' || leg.amount <= 0n || leg.amount > MAX_AMOUNT)
      add('bad-amount', `the ${leg.ticker} amount is not a positive number of base units`);
    else if (leg.amount < minHtlcAmount(params))
      add(
        'amount-below-dust',
        `the ${leg.ticker} amount is below ${minHtlcAmount(params)} base units, too small to lock and claim`,
      );
    if (!Number.isInteger(leg.confirmations) || leg.confirmations < 1 || leg.confirmations > 1000)
      add('bad-confirmations', `the ${leg.ticker} confirmations must be a whole number from 1 to 1000`);
    else if (ctx.minConfirmations && leg.confirmations < ctx.minConfirmations[chain]) {
      add(
        'confirmations-below-risk-setting',
        `${leg.confirmations} ${leg.ticker} confirmations is fewer than your setting of ${ctx.minConfirmations[chain]}`,
      );
    }
    if (!Number.isInteger(leg.locktime) || leg.locktime <= heights[chain] || leg.locktime >= LOCKTIME_THRESHOLD) {
      add('bad-locktime', `the ${leg.ticker} lock must be a block height above the current ${heights[chain]}`);
      locksValid = false;
    }
  }
  return locksValid;
}

/** The time each lock leaves: order, enough for every step, not too long. */
function checkLocks(p: SwapProposal, heights: Heights, ctx: CheckContext, add: AddProblem): void {
  const { chains, policy } = ctx;
  const remM = remainingSec(p.makerLeg.locktime, heights.makerChain, chains.makerChain);
  const remT = remainingSec(p.takerLeg.locktime, heights.takerChain, chains.takerChain);
  const conf = { makerChain: p.makerLeg.confirmations, takerChain: p.takerLeg.confirmations };
  if (remM <= remT) {
    add('locks-inverted', "the maker's lock must end well after the taker's, or the taker could lose its coins");
  } else {
    if (remT < takerLockMinSec(chains, conf, policy))
      add('lock-too-short', `the ${p.takerLeg.ticker} lock leaves too little time to finish the swap`);
    if (remM - remT < lockGapMinSec(chains, policy))
      add(
        'lock-too-short',
        `the ${p.makerLeg.ticker} lock does not leave the taker enough time to claim after the secret is revealed`,
      );
  }
  if (remM > policy.maxLockSec)
    add(
      'lock-too-long',
      `the ${p.makerLeg.ticker} lock would tie coins up for more than ${Math.round(policy.maxLockSec / 3600)} hours`,
    );
}
