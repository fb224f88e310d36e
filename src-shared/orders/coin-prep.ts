// Coin preparation (docs/orders.md §10): a split of free wallet coins into order-sized outputs,
// planned here from plain numbers (no I/O), and what locks each coin of a wallet. Amounts are
// base units; sizes are virtual bytes; a plan's fee is exactly inputs minus outputs.

/** The script kinds a wallet coin may have, by what spending one costs. */
export type ScriptKind = 'p2wpkh' | 'p2sh-p2wpkh' | 'p2tr' | 'other';

export interface PrepCoin {
  readonly outpoint: string;
  readonly amount: bigint;
  readonly confirmations: number;
  readonly script: ScriptKind;
}

/** vbytes one input of each kind adds (signed), at most. */
export const INPUT_VBYTES: Readonly<Record<ScriptKind, bigint>> = {
  p2wpkh: 68n,
  'p2sh-p2wpkh': 91n,
  p2tr: 58n,
  other: 148n,
};
/** A P2WPKH output (every split output and change go to fresh bech32 addresses). */
export const OUTPUT_VBYTES = 31n;
/** Version, locktime, counts and the segwit marker, rounded up. */
export const TX_OVERHEAD_VBYTES = 11n;
/** Most outputs of one split: the most coins one order may name. */
export const MAX_SPLIT_OUTPUTS = 50;
/** Most inputs one split spends. */
export const MAX_SPLIT_INPUTS = 100;

/** The script kind of a scriptPubKey (hex), as listunspent gives it. */
export function scriptKind(scriptPubKeyHex: string): ScriptKind {
  const s = scriptPubKeyHex.toLowerCase();
  if (s.length === 44 && s.startsWith('0014')) return 'p2wpkh';
  if (s.length === 46 && s.startsWith('a914') && s.endsWith('87')) return 'p2sh-p2wpkh';
  if (s.length === 68 && s.startsWith('5120')) return 'p2tr';
  return 'other';
}

export function splitVsize(inputs: readonly ScriptKind[], outputs: number): bigint {
  return TX_OVERHEAD_VBYTES + inputs.reduce((a, k) => a + INPUT_VBYTES[k], 0n) + OUTPUT_VBYTES * BigInt(outputs);
}

export interface SplitRequest {
  /** Each output's amount. */
  amount: bigint;
  count: number;
  /** Base units per vbyte. */
  feeRate: bigint;
  /** The least an output may carry: the swap minimum of the coin (minLegAmount). */
  minOutput: bigint;
  /** Change below this goes to the fee. */
  dust: bigint;
}

export interface SplitPlan {
  readonly inputs: readonly PrepCoin[];
  readonly outputs: readonly bigint[];
  /** 0n when there is no change output. */
  readonly change: bigint;
  /** What the fee holds beyond rate × vsize: change too small to keep. */
  readonly changeToFee: bigint;
  readonly fee: bigint;
  readonly feeRate: bigint;
  readonly vsize: bigint;
}

export type SplitProblem = { reason: 'dust' | 'too-many' | 'insufficient'; message: string };
export type SplitResult = { ok: true; plan: SplitPlan } | ({ ok: false } & SplitProblem);

const byAmountDesc = (a: { amount: bigint }, b: { amount: bigint }) =>
  a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1;

/**
 * A split of `free` coins (confirmed ones only, largest first) into `count` outputs of `amount`
 * plus change, at `feeRate`. Refused when an output is below the swap minimum, when there are too
 * many outputs, or when the confirmed free coins cannot pay outputs and fee.
 */
export function planSplit(free: readonly PrepCoin[], r: SplitRequest): SplitResult {
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_SPLIT_OUTPUTS)
    return { ok: false, reason: 'too-many', message: `a split makes 1 to ${MAX_SPLIT_OUTPUTS} outputs` };
  if (r.amount < r.minOutput)
    return {
      ok: false,
      reason: 'dust',
      message: `each output must hold at least ${r.minOutput} base units, the least a swap can lock`,
    };
  const need = r.amount * BigInt(r.count);
  const usable = free.filter((c) => c.confirmations >= 1).sort(byAmountDesc);
  const inputs: PrepCoin[] = [];
  let total = 0n;
  for (const c of usable) {
    if (inputs.length >= MAX_SPLIT_INPUTS) break;
    inputs.push(c);
    total += c.amount;
    const kinds = inputs.map((i) => i.script);
    const withChange = r.feeRate * splitVsize(kinds, r.count + 1);
    const noChange = r.feeRate * splitVsize(kinds, r.count);
    const outputs = Array.from({ length: r.count }, () => r.amount);
    if (total >= need + withChange && total - need - withChange >= r.dust) {
      const change = total - need - withChange;
      return {
        ok: true,
        plan: plan(inputs, outputs, change, 0n, withChange, r.feeRate, splitVsize(kinds, r.count + 1)),
      };
    }
    if (total >= need + noChange) {
      const fee = total - need;
      return { ok: true, plan: plan(inputs, outputs, 0n, fee - noChange, fee, r.feeRate, splitVsize(kinds, r.count)) };
    }
  }
  return {
    ok: false,
    reason: 'insufficient',
    message: `the free confirmed coins hold ${usable.reduce((a, c) => a + c.amount, 0n)} base units; ${r.count} × ${r.amount} and the network fee need more`,
  };
}

function plan(
  inputs: PrepCoin[],
  outputs: bigint[],
  change: bigint,
  changeToFee: bigint,
  fee: bigint,
  feeRate: bigint,
  vsize: bigint,
): SplitPlan {
  return { inputs: [...inputs], outputs, change, changeToFee, fee, feeRate, vsize };
}

/**
 * A free coin of exactly `amount`, confirmed ones first: after a split (or a crash between a
 * split and the order it was for) the split's own output backs the order, and no second split is made.
 */
export function exactCoin(free: readonly PrepCoin[], amount: bigint): PrepCoin | null {
  const exact = free.filter((c) => c.amount === amount);
  return exact.find((c) => c.confirmations >= 1) ?? exact[0] ?? null;
}

/** What holds a coin back from new orders and sends. */
export type CoinLock =
  { kind: 'order'; orderId: string } | { kind: 'swap'; swapId: string; orderId: string } | { kind: 'outside' };

export interface CoinRow {
  readonly outpoint: string;
  readonly amount: bigint;
  readonly confirmations: number;
  readonly lock: CoinLock | null;
}

/**
 * Every coin of a wallet with its lock: `unlocked` are listunspent's coins (the wallet leaves
 * locked ones out), `walletLocked` the coins listlockunspent names (with their values), `held`
 * what this node's orders hold (backing an open order, or about to fund a swap). A coin locked
 * in the wallet that no order of ours holds is locked outside Hashlock's orders.
 */
export function coinRows(
  unlocked: ReadonlyArray<Omit<CoinRow, 'lock'>>,
  walletLocked: ReadonlyArray<Omit<CoinRow, 'lock'>>,
  held: ReadonlyMap<string, CoinLock>,
): CoinRow[] {
  const rows = new Map<string, CoinRow>();
  for (const c of unlocked) rows.set(c.outpoint, { ...c, lock: held.get(c.outpoint) ?? null });
  for (const c of walletLocked) rows.set(c.outpoint, { ...c, lock: held.get(c.outpoint) ?? { kind: 'outside' } });
  return [...rows.values()].sort((a, b) =>
    a.lock === null && b.lock !== null ? -1 : b.lock === null && a.lock !== null ? 1 : byAmountDesc(a, b),
  );
}
