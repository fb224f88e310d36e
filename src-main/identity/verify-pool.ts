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
  const pending = new Map<number, { resolve: (r: VerifyResult[]) => void; reject: (e: Error) => void }>();
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
    worker.on('message', (m: { id: number; results: VerifyResult[] }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m.results);
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
          resolve(r);
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
