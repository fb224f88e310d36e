// The sorted item set that range-based set reconciliation works on: one item per stored record,
// (iat, 32-byte record id), ordered by iat then id. Prefix sums of the ids (mod 2^256) give any
// range's fingerprint in O(1), so a 100,000-record registry answers every round without rescanning.
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';

export interface ReconcileItem {
  readonly ts: number;
  readonly id: Uint8Array;
}

/** A range edge: items below it have a lower ts, or the same ts and an id below `prefix` (zero-padded). */
export interface Bound {
  readonly ts: number;
  readonly prefix: Uint8Array;
}

export const MIN_BOUND: Bound = { ts: 0, prefix: new Uint8Array(0) };
const LIMBS = 8;

function compareBytes(a: Uint8Array, b: Uint8Array, len: number): number {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function compareItems(a: ReconcileItem, b: ReconcileItem): number {
  return a.ts !== b.ts ? a.ts - b.ts : compareBytes(a.id, b.id, 32);
}

/** Whether `item` lies below `bound` (null = the end, above everything). */
export function isBelow(item: ReconcileItem, bound: Bound | null): boolean {
  if (bound === null) return true;
  if (item.ts !== bound.ts) return item.ts < bound.ts;
  return compareBytes(item.id, bound.prefix, bound.prefix.length) < 0;
}

/** The shortest bound that `next` reaches and `prev` does not. */
export function boundBetween(prev: ReconcileItem, next: ReconcileItem): Bound {
  if (prev.ts !== next.ts) return { ts: next.ts, prefix: new Uint8Array(0) };
  let k = 0;
  while (k < 32 && prev.id[k] === next.id[k]) k++;
  return { ts: next.ts, prefix: next.id.slice(0, k + 1) };
}

export interface ReconcileSet {
  readonly size: number;
  item(i: number): ReconcileItem;
  /** The item's id as base64url (43 characters), encoded once. */
  idB64(i: number): string;
  /** Index of the first item not below `bound` (size for null). */
  indexOf(bound: Bound | null): number;
  /** 16 bytes: SHA-256(Σ ids mod 2^256 ‖ count, 8 bytes LE) over items [lo, hi). */
  fingerprint(lo: number, hi: number): Uint8Array;
}

export function buildReconcileSet(items: Iterable<ReconcileItem>): ReconcileSet {
  const sorted = [...items].sort(compareItems);
  for (const it of sorted) {
    if (it.id.length !== 32 || !Number.isSafeInteger(it.ts) || it.ts < 0) {
      throw new RangeError('reconcile items have a 32-byte id and a safe integer ts ≥ 0');
    }
  }
  const n = sorted.length;
  const prefix = new Uint32Array(LIMBS * (n + 1));
  for (let i = 0; i < n; i++) {
    const id = sorted[i]!.id;
    let carry = 0;
    for (let l = 0; l < LIMBS; l++) {
      const word = (id[4 * l]! | (id[4 * l + 1]! << 8) | (id[4 * l + 2]! << 16) | (id[4 * l + 3]! << 24)) >>> 0;
      const sum = prefix[LIMBS * i + l]! + word + carry;
      prefix[LIMBS * (i + 1) + l] = sum >>> 0;
      carry = sum > 0xffffffff ? 1 : 0;
    }
  }
  const b64: Array<string | undefined> = new Array<string | undefined>(n);
  return {
    size: n,
    item: (i) => sorted[i]!,
    idB64: (i) => (b64[i] ??= base64urlnopad.encode(sorted[i]!.id)),
    indexOf(bound) {
      if (bound === null) return n;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (isBelow(sorted[mid]!, bound)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    fingerprint(lo, hi) {
      const input = new Uint8Array(40);
      const view = new DataView(input.buffer);
      let borrow = 0;
      for (let l = 0; l < LIMBS; l++) {
        const diff = prefix[LIMBS * hi + l]! - prefix[LIMBS * lo + l]! - borrow;
        borrow = diff < 0 ? 1 : 0;
        view.setUint32(4 * l, diff >>> 0, true);
      }
      view.setBigUint64(32, BigInt(hi - lo), true);
      return sha256(input).subarray(0, 16);
    },
  };
}
