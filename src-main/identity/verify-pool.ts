// Verifying many records off the main thread: a catch-up of 100,000 identities is mostly ECDSA,
// so batches go to a small pool of worker threads (docs/identity.md §5.2), and the main thread
// only decides and writes. Without workers (a bundle that ships no worker file, or size 0) the
// same function runs in the calling thread.
import { Worker } from 'node:worker_threads';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { isIdentityError, type IdentityReason } from '../../src-shared/identity/errors.ts';
import { verifyRecord, type RecordOptions, type VerifiedRecord } from '../../src-shared/identity/records.ts';

export interface VerifyJob {
  readonly content: string;
  readonly keyHint?: Uint8Array;
}

export type VerifyResult =
  | { readonly ok: true; readonly record: VerifiedRecord }
  | { readonly ok: false; readonly reason: IdentityReason; readonly message: string };

export function verifyBatch(jobs: readonly VerifyJob[], opts: RecordOptions): VerifyResult[] {
  return jobs.map((job) => {
    try {
      return { ok: true, record: verifyRecord(job.content, { ...opts, keyHint: job.keyHint }) };
    } catch (err) {
      if (isIdentityError(err)) return { ok: false, reason: err.details.reason, message: err.message };
      return { ok: false, reason: 'JWS_MALFORMED', message: (err as Error).message };
    }
  });
}

/**
 * A worker's answer for one batch, in bulk: the records without what main already has or can take
 * in one piece. `content` is left out when it is the job's own string (main put it there); the
 * signers' keys travel in one transferable buffer, KEY_BYTES per record, `hasKey[i]` saying which
 * are set, instead of one small Uint8Array (and ArrayBuffer) per record to clone.
 */
export interface PackedResults {
  readonly results: ReadonlyArray<
    | { readonly ok: true; readonly record: Omit<VerifiedRecord, 'content' | 'publicKey'> & { content?: string } }
    | { readonly ok: false; readonly reason: IdentityReason; readonly message: string }
  >;
  readonly keys: Uint8Array<ArrayBuffer>;
  readonly hasKey: Uint8Array;
}

const KEY_BYTES = 33;

export function packResults(jobs: readonly VerifyJob[], results: readonly VerifyResult[]): PackedResults {
  const keys = new Uint8Array(results.length * KEY_BYTES);
  const hasKey = new Uint8Array(results.length);
  const out = results.map((r, i) => {
    if (!r.ok) return r;
    const { content, publicKey, ...rest } = r.record;
    if (publicKey !== undefined && publicKey.length === KEY_BYTES) {
      keys.set(publicKey, i * KEY_BYTES);
      hasKey[i] = 1;
    } else if (publicKey !== undefined) {
      throw new Error('a verified record with a public key that is not 33 bytes');
    }
    return { ok: true as const, record: content === jobs[i]!.content ? rest : { ...rest, content } };
  });
  return { results: out, keys, hasKey };
}

/** The records again, whole: each key a view into the batch's one buffer. */
export function unpackResults(jobs: readonly VerifyJob[], packed: PackedResults): VerifyResult[] {
  return packed.results.map((r, i) => {
    if (!r.ok) return r;
    const record = {
      content: jobs[i]!.content,
      ...r.record,
      ...(packed.hasKey[i] === 1 ? { publicKey: packed.keys.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES) } : {}),
    } as VerifiedRecord;
    return { ok: true, record };
  });
}

export interface VerifyPool {
  readonly threads: number;
  verify(jobs: readonly VerifyJob[]): Promise<VerifyResult[]>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * `size` workers; batches are cut into one chunk per worker. `inline` verifies in this thread and
 * is used when the pool has no workers or a worker fails.
 */
export function createVerifyPool(o: { size: number; coins: readonly CoinParams[]; inline: RecordOptions }): VerifyPool {
  const slots: Slot[] = [];
  const pending = new Map<number, { resolve: (r: PackedResults) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let broken = false;
  for (let i = 0; i < o.size; i++) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./verify-worker.ts', import.meta.url), { workerData: { coins: o.coins } });
    } catch {
      broken = true;
      break;
    }
    worker.unref();
    worker.on('message', (m: { id: number; packed: PackedResults }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m.packed);
    });
    worker.on('error', () => {
      broken = true;
      for (const p of pending.values()) p.reject(new Error('a verification worker failed'));
      pending.clear();
    });
    slots.push({ worker, busy: 0 });
  }

  const run = (slot: Slot, jobs: readonly VerifyJob[]) =>
    new Promise<VerifyResult[]>((resolve, reject) => {
      const id = nextId++;
      slot.busy++;
      pending.set(id, {
        resolve: (r) => {
          slot.busy--;
          try {
            resolve(unpackResults(jobs, r));
          } catch (err) {
            reject(err as Error);
          }
        },
        reject: (e) => {
          slot.busy--;
          reject(e);
        },
      });
      slot.worker.postMessage({ id, jobs });
    });

  return {
    get threads() {
      return broken ? 0 : slots.length;
    },
    async verify(jobs) {
      if (broken || slots.length === 0 || jobs.length < 8) return verifyBatch(jobs, o.inline);
      const chunk = Math.ceil(jobs.length / slots.length);
      const parts = slots.map((slot, i) => ({ slot, part: jobs.slice(i * chunk, (i + 1) * chunk) }));
      try {
        const results = await Promise.all(parts.filter((p) => p.part.length > 0).map((p) => run(p.slot, p.part)));
        return results.flat();
      } catch {
        return verifyBatch(jobs, o.inline);
      }
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}
