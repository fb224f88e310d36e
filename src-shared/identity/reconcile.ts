// Range-based set reconciliation (after negentropy/RBSR), pure: two registries find which records
// one has and the other lacks by exchanging fingerprints of ranges, splitting only ranges that
// differ, and listing ids only where few remain. The responder is stateless; the initiator learns
// `need` (ids to fetch) and `have` (ids the peer lacks). docs/identity.md §5.2.
import { z } from 'zod';
import { fail } from './errors.ts';
import { b64urlFromBytes, b64urlToBytes } from './jws.ts';
import { MIN_BOUND, boundBetween, type Bound, type ReconcileSet } from './reconcile-set.ts';

/** Ranges this small (on our side) are answered with ids instead of being split. */
export const IDLIST_THRESHOLD = 32;
export const BRANCHES = 16;
export const MAX_RECONCILE_ROUNDS = 64;
export const INITIATOR_MAX_BYTES = 60 * 1024;
export const RESPONDER_MAX_BYTES = 960 * 1024;
const MAX_RANGES = 8192;
const MAX_IDS = 30_000;

// 32 bytes in base64url: 43 characters, the last carrying 2 zero bits.
const B64_ID = z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/);
const WireBound = z.union([
  z.null(),
  z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().max(43)]),
]);
const WireRange = z.union([
  z.tuple([WireBound, z.literal(0)]),
  z.tuple([WireBound, z.literal(1), z.string().length(22), z.number().int().min(0)]),
  z.tuple([WireBound, z.literal(2), z.array(B64_ID).max(MAX_IDS)]),
]);
export const ReconcileMessage = z.object({ v: z.literal(1), r: z.array(WireRange).max(MAX_RANGES) }).strict();
export type ReconcileMessage = z.infer<typeof ReconcileMessage>;
type WireRange = z.infer<typeof WireRange>;
type WireBound = z.infer<typeof WireBound>;

export interface ReconcileOptions {
  readonly maxBytes?: number;
}

export interface ReconcileWithOptions extends ReconcileOptions {
  /** Each round's findings as soon as they are known (a caller can start fetching before the end). */
  readonly onRound?: (round: RoundResult) => void;
}

function boundToWire(b: Bound | null): WireBound {
  return b === null ? null : [b.ts, b64urlFromBytes(b.prefix)];
}

/** Builds one outgoing message within a byte budget; what does not fit becomes one fingerprint of the rest. */
class Writer {
  readonly ranges: WireRange[] = [];
  private bytes = '{"v":1,"r":[]}'.length;
  private full = false;
  private readonly set: ReconcileSet;
  private readonly maxBytes: number;
  constructor(set: ReconcileSet, maxBytes: number) {
    this.set = set;
    this.maxBytes = maxBytes;
  }
  get isFull(): boolean {
    return this.full;
  }
  private push(range: WireRange): void {
    this.ranges.push(range);
    this.bytes += JSON.stringify(range).length + 1;
  }
  /** Room for a range of `size` bytes plus the closing fingerprint a cut needs. */
  private fits(size: number): boolean {
    return this.bytes + size + 120 <= this.maxBytes;
  }
  skip(upper: Bound | null): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === 0) this.ranges.pop();
    this.push([boundToWire(upper), 0]);
  }
  fingerprint(lo: number, hi: number, upper: Bound | null): boolean {
    const range: WireRange = [boundToWire(upper), 1, b64urlFromBytes(this.set.fingerprint(lo, hi)), hi - lo];
    if (!this.fits(JSON.stringify(range).length)) return (this.cut(lo), false);
    this.push(range);
    return true;
  }
  /** Our ids in [lo, hi); when they do not all fit, as many as fit and then the cut. */
  idList(lo: number, hi: number, upper: Bound | null): boolean {
    const room = Math.floor((this.maxBytes - this.bytes - 200) / 46);
    if (hi - lo <= room) {
      this.push([boundToWire(upper), 2, this.ids(lo, hi)]);
      return true;
    }
    if (room < 1) return (this.cut(lo), false);
    const end = lo + room;
    const edge = boundBetween(this.set.item(end - 1), this.set.item(end));
    this.push([boundToWire(edge), 2, this.ids(lo, end)]);
    this.cut(end);
    return false;
  }
  private ids(lo: number, hi: number): string[] {
    const out: string[] = [];
    for (let i = lo; i < hi; i++) out.push(this.set.idB64(i));
    return out;
  }
  /** Ends the message: everything from `from` on is one fingerprint the peer takes up next round. */
  private cut(lo: number): void {
    this.push([null, 1, b64urlFromBytes(this.set.fingerprint(lo, this.set.size)), this.set.size - lo]);
    this.full = true;
  }
  message(): ReconcileMessage {
    const r = this.ranges.slice();
    while (r.length > 0 && r[r.length - 1]![1] === 0) r.pop();
    return { v: 1, r };
  }
}

/** The initiator's first message: one fingerprint of everything (or the ids, when we hold few). */
export function initiateReconcile(set: ReconcileSet, opts: ReconcileOptions = {}): ReconcileMessage {
  const w = new Writer(set, opts.maxBytes ?? INITIATOR_MAX_BYTES);
  if (set.size <= IDLIST_THRESHOLD) w.idList(0, set.size, null);
  else w.fingerprint(0, set.size, null);
  return w.message();
}

interface Parsed {
  readonly upper: Bound | null;
  readonly range: WireRange;
}

/** Schema, order and decoding checks on a peer's message; RECONCILE_INVALID names what is wrong. */
export function parseReconcileMessage(raw: unknown): Parsed[] {
  const parsed = ReconcileMessage.safeParse(raw);
  if (!parsed.success) fail('RECONCILE_INVALID', `not a reconcile message: ${parsed.error.issues[0]?.message ?? ''}`);
  let idCount = 0;
  let prev: Bound = MIN_BOUND;
  let ended = false;
  return parsed.data.r.map((range) => {
    if (ended) fail('RECONCILE_INVALID', 'ranges continue after the end');
    const wire = range[0];
    let upper: Bound | null = null;
    if (wire === null) ended = true;
    else {
      const prefix = b64urlToBytes(wire[1]);
      if (!prefix || prefix.length > 32) fail('RECONCILE_INVALID', 'a bound prefix is not base64url of ≤ 32 bytes');
      upper = { ts: wire[0], prefix };
      if (!after(upper, prev)) fail('RECONCILE_INVALID', 'range bounds are not strictly increasing');
      prev = upper;
    }
    if (range[1] === 2) {
      idCount += range[2].length;
      if (idCount > MAX_IDS) fail('RECONCILE_INVALID', `more than ${MAX_IDS} ids in one message`);
    }
    return { upper, range };
  });
}

function after(a: Bound, b: Bound): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts;
  const len = Math.max(a.prefix.length, b.prefix.length);
  for (let i = 0; i < len; i++) {
    const x = a.prefix[i] ?? 0;
    const y = b.prefix[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

export interface RoundResult {
  /** The next message to send; null when the initiator is done. */
  readonly message: ReconcileMessage | null;
  /** Ids (base64url) the peer has and we lack. */
  readonly need: string[];
  /** Ids (base64url) we have and the peer lacks. */
  readonly have: string[];
}

function diffIds(set: ReconcileSet, lo: number, hi: number, theirs: readonly string[], out: RoundResult): void {
  const mine = new Set<string>();
  for (let i = lo; i < hi; i++) mine.add(set.idB64(i));
  const their = new Set(theirs);
  for (const id of their) if (!mine.has(id)) out.need.push(id);
  for (const id of mine) if (!their.has(id)) out.have.push(id);
}

function step(set: ReconcileSet, raw: unknown, initiator: boolean, maxBytes: number): RoundResult {
  const ranges = parseReconcileMessage(raw);
  const w = new Writer(set, maxBytes);
  const result: RoundResult = { message: null, need: [], have: [] };
  let lo = 0;
  for (const { upper, range } of ranges) {
    const hi = set.indexOf(upper);
    if (w.isFull) break;
    if (range[1] === 0) w.skip(upper);
    else if (range[1] === 1) {
      const same = range[3] === hi - lo && range[2] === b64urlFromBytes(set.fingerprint(lo, hi));
      if (same) w.skip(upper);
      else if (hi - lo <= IDLIST_THRESHOLD || range[3] === 0) w.idList(lo, hi, upper);
      else split(set, w, lo, hi, upper);
    } else if (initiator) {
      diffIds(set, lo, hi, range[2], result);
      w.skip(upper);
    } else {
      w.idList(lo, hi, upper);
    }
    if (upper === null) break;
    lo = hi;
  }
  const message = w.message();
  return { ...result, message: initiator && message.r.length === 0 ? null : message };
}

/** Our items of a differing range as BRANCHES fingerprints. */
function split(set: ReconcileSet, w: Writer, lo: number, hi: number, upper: Bound | null): void {
  const count = hi - lo;
  let start = lo;
  for (let b = 1; b <= BRANCHES; b++) {
    const end = b === BRANCHES ? hi : lo + Math.floor((b * count) / BRANCHES);
    if (end === start) continue;
    const edge = end === hi ? upper : boundBetween(set.item(end - 1), set.item(end));
    if (!w.fingerprint(start, end, edge)) return;
    start = end;
  }
}

/** The responder's answer to any message: stateless. Throws RECONCILE_INVALID for a bad message. */
export function respondReconcile(set: ReconcileSet, message: unknown, opts: ReconcileOptions = {}): ReconcileMessage {
  return step(set, message, false, opts.maxBytes ?? RESPONDER_MAX_BYTES).message!;
}

/** The initiator's next step on the responder's answer. */
export function continueReconcile(set: ReconcileSet, answer: unknown, opts: ReconcileOptions = {}): RoundResult {
  return step(set, answer, true, opts.maxBytes ?? INITIATOR_MAX_BYTES);
}

export interface ReconcileOutcome {
  readonly need: string[];
  readonly have: string[];
  readonly rounds: number;
  /** JSON bytes sent and received. */
  readonly bytesOut: number;
  readonly bytesIn: number;
}

/**
 * Runs a whole session as initiator; `ask` sends a message to the peer and returns its answer
 * (main: a request on /hashlock/identity/reconcile/1). More than MAX_RECONCILE_ROUNDS is refused.
 */
export async function reconcileWith(
  set: ReconcileSet,
  ask: (message: ReconcileMessage) => Promise<unknown> | unknown,
  opts: ReconcileWithOptions = {},
): Promise<ReconcileOutcome> {
  const need: string[] = [];
  const have: string[] = [];
  let bytesOut = 0;
  let bytesIn = 0;
  let message: ReconcileMessage | null = initiateReconcile(set, opts);
  let rounds = 0;
  while (message) {
    if (++rounds > MAX_RECONCILE_ROUNDS) fail('RECONCILE_INVALID', `no agreement after ${MAX_RECONCILE_ROUNDS} rounds`);
    bytesOut += JSON.stringify(message).length;
    const answer = await ask(message);
    bytesIn += JSON.stringify(answer ?? null).length;
    const result = continueReconcile(set, answer, opts);
    opts.onRound?.(result);
    need.push(...result.need);
    have.push(...result.have);
    message = result.message;
  }
  return { need, have, rounds, bytesOut, bytesIn };
}
