// Checks of the counterparty's HTLC as the chain shows it, before we act on it: the taker checks
// the maker's before locking its own coins, the maker checks the taker's before revealing the
// secret. Pure; every way it can be wrong has its own code so logs and the UI can say which.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { decodeHtlcScript, isHtlcScriptError, encodeHtlcScript, p2wshOutputScript } from './script.ts';
import type { HtlcFields } from './script.ts';
import { makerMayClaim, takerMayFund } from './timelock.ts';
import type { Chain, Heights, HtlcSeen, SwapSetup, SwapTerms } from './types.ts';

export type HtlcProblemCode =
  | 'script-not-htlc'
  | 'wrong-secret-hash'
  | 'wrong-claim-key'
  | 'wrong-refund-key'
  | 'lock-too-short'
  | 'wrong-locktime'
  | 'output-script-mismatch'
  | 'wrong-amount';

export type HtlcVerdict =
  | { readonly status: 'valid' }
  | { readonly status: 'pending'; readonly confirmations: number; readonly required: number }
  | { readonly status: 'invalid'; readonly code: HtlcProblemCode; readonly message: string }
  | { readonly status: 'expired'; readonly code: 'deadline-passed' | 'maker-lock-too-close'; readonly message: string };

export interface ExpectedHtlc extends HtlcFields {
  readonly chain: Chain;
  readonly ticker: string;
  readonly amount: bigint;
  readonly confirmations: number;
}

/** The HTLC the terms call for on a chain: the maker's on makerChain, the taker's on takerChain. */
export function expectedHtlc(terms: SwapTerms, chain: Chain): ExpectedHtlc {
  const leg = chain === 'makerChain' ? terms.makerLeg : terms.takerLeg;
  const claimPubkey = chain === 'makerChain' ? terms.takerPubkeys.makerChain : terms.makerPubkeys.takerChain;
  const refundPubkey = chain === 'makerChain' ? terms.makerPubkeys.makerChain : terms.takerPubkeys.takerChain;
  return {
    chain,
    ticker: leg.ticker,
    amount: leg.amount,
    confirmations: leg.confirmations,
    secretHash: terms.secretHash,
    claimPubkey,
    refundPubkey,
    locktime: leg.locktime,
  };
}

export function expectedScripts(terms: SwapTerms, chain: Chain): { witnessScript: string; outputScript: string } {
  const script = encodeHtlcScript(expectedHtlc(terms, chain));
  return { witnessScript: bytesToHex(script), outputScript: bytesToHex(p2wshOutputScript(script)) };
}

/** Script, output and amount: the parts that make an HTLC wrong whatever the time. Null when right. */
export function htlcMismatch(
  expected: ExpectedHtlc,
  seen: HtlcSeen,
): Extract<HtlcVerdict, { status: 'invalid' }> | null {
  const invalid = (code: HtlcProblemCode, message: string) => ({ status: 'invalid' as const, code, message });
  if (!/^([0-9a-f]{2})+$/.test(seen.witnessScript)) return invalid('script-not-htlc', 'the declared script is not hex');
  const script = hexToBytes(seen.witnessScript);
  let fields: HtlcFields;
  try {
    fields = decodeHtlcScript(script);
  } catch (e) {
    if (isHtlcScriptError(e)) return invalid('script-not-htlc', e.message);
    throw e;
  }
  if (fields.secretHash !== expected.secretHash)
    return invalid('wrong-secret-hash', 'the HTLC locks to a different secret hash than agreed');
  if (fields.claimPubkey !== expected.claimPubkey)
    return invalid('wrong-claim-key', 'the HTLC cannot be claimed with our key');
  if (fields.refundPubkey !== expected.refundPubkey)
    return invalid('wrong-refund-key', 'the HTLC refunds to a different key than agreed');
  if (fields.locktime < expected.locktime)
    return invalid(
      'lock-too-short',
      `the HTLC unlocks at block ${fields.locktime}, before the agreed ${expected.locktime}`,
    );
  if (fields.locktime !== expected.locktime)
    return invalid(
      'wrong-locktime',
      `the HTLC unlocks at block ${fields.locktime}, not the agreed ${expected.locktime}`,
    );
  if (seen.outputScript !== bytesToHex(p2wshOutputScript(script)))
    return invalid('output-script-mismatch', 'the output does not pay to the declared HTLC script');
  if (seen.amount !== expected.amount)
    return invalid('wrong-amount', `the HTLC holds ${seen.amount} base units, not the agreed ${expected.amount}`);
  return null;
}

function confirmationVerdict(expected: ExpectedHtlc, seen: HtlcSeen): HtlcVerdict {
  return seen.confirmations >= expected.confirmations
    ? { status: 'valid' }
    : { status: 'pending', confirmations: seen.confirmations, required: expected.confirmations };
}

/** Taker side: may we lock our coins against this maker HTLC now? */
export function verifyMakerHtlc(setup: SwapSetup, seen: HtlcSeen, heights: Heights): HtlcVerdict {
  const expected = expectedHtlc(setup.terms, 'makerChain');
  const wrong = htlcMismatch(expected, seen);
  if (wrong) return wrong;
  const time = takerMayFund(setup, heights);
  if (!time.ok) return { status: 'expired', code: time.code, message: time.message };
  return confirmationVerdict(expected, seen);
}

/** Maker side: may we claim this taker HTLC (and so reveal the secret) now? */
export function verifyTakerHtlc(setup: SwapSetup, seen: HtlcSeen, heights: Heights): HtlcVerdict {
  const expected = expectedHtlc(setup.terms, 'takerChain');
  const wrong = htlcMismatch(expected, seen);
  if (wrong) return wrong;
  if (!makerMayClaim(setup, heights)) {
    return {
      status: 'expired',
      code: 'deadline-passed',
      message: "too late to claim safely before the taker's lock ends",
    };
  }
  return confirmationVerdict(expected, seen);
}
