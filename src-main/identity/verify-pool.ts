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

/** Smaller batches are verified in the calling thread: a worker round trip costs more. */
export const MIN_POOL_JOBS = 8;

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
  /** Workers this pool runs when it has work (0: it verifies in the calling thread). */
  readonly threads: number;
  /** Workers running now: none until the first bulk batch, none again after IDLE_MS without work. */
  readonly running: number;
  verify(jobs: readonly VerifyJob[]): Promise<VerifyResult[]>;
  /** Starts the workers ahead of a bulk batch (a catch-up calls it before reconciling). */
  warm(): void;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * Idle workers are stopped after this long. Two idle workers held ~84 MB of RSS and their start
 * cost ~1 CPU-second, in every node whether it ever caught up or not.
 */
export const POOL_IDLE_MS = 30_000;
/**
 * Workers are started for a batch this large (or by `warm`): below it, verifying inline costs less
 * than starting them. Once running, any batch of MIN_POOL_JOBS goes to them.
 */
export const START_POOL_JOBS = 1024;
/**
 * A worker's young generation (3 semi-spaces): verifying allocates a few objects per record, and
 * at the 16 MiB semi-space every node starts with (core/v8-flags.ts) a worker spent 5-15 % more
 * CPU a record than at 32-64 MiB. Workers only live while there is bulk work; their heap goes
 * with them.
 */
const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * The worker's script: beside this module when it runs as source, beside the bundle it is part of
 * when bundled (scripts/bundle.ts writes verify-worker.js next to every node bundle).
 */
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js',
  import.meta.url,
);

type Pending = Map<number, { resolve: (r: PackedResults) => void; reject: (e: Error) => void }>;

/** One worker answering into `pending`; undefined when none can be started here (no worker file). */
function startWorker(coins: readonly CoinParams[], pending: Pending, onFailure: () => void): Worker | undefined {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_URL, {
      workerData: { coins },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('message', (m: { id: number; packed: PackedResults }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.resolve(m.packed);
  });
  worker.on('error', () => {
    onFailure();
    for (const p of pending.values()) p.reject(new Error('a verification worker failed'));
    pending.clear();
  });
  return worker;
}

/** Sends one batch to a worker; `done` runs once it is answered or has failed. */
function sendBatch(
  worker: Worker,
  jobs: readonly VerifyJob[],
  pending: Pending,
  id: number,
  done: () => void,
): Promise<VerifyResult[]> {
  return new Promise<VerifyResult[]>((resolve, reject) => {
    pending.set(id, {
      resolve: (r) => {
        done();
        try {
          resolve(unpackResults(jobs, r));
        } catch (err) {
          reject(err as Error);
        }
      },
      reject: (e) => {
        done();
        reject(e);
      },
    });
    worker.postMessage({ id, jobs });
  });
}

/**
 * `size` workers, started by a batch of START_POOL_JOBS jobs (or `warm`) and stopped after `idleMs`
 * without work; batches are cut into one chunk per worker. `inline` verifies in this thread and is
 * used for small batches, when the pool has no workers or a worker fails.
 */
export function createVerifyPool(o: {
  size: number;
  coins: readonly CoinParams[];
  inline: RecordOptions;
  idleMs?: number;
}): VerifyPool {
  let slots: Slot[] = [];
  const pending: Pending = new Map();
  let nextId = 1;
  let broken = false;
  let closed = false;
  let idle: NodeJS.Timeout | undefined;

  const stopWorkers = async () => {
    const stopping = slots;
    slots = [];
    await Promise.all(stopping.map((s) => s.worker.terminate()));
  };

  /** The running workers, started now if there are none. */
  const workers = (): Slot[] => {
    clearTimeout(idle);
    if (slots.length > 0 || broken || closed) return slots;
    for (let i = 0; i < o.size && !broken; i++) {
      const worker = startWorker(o.coins, pending, () => (broken = true));
      if (worker) slots.push({ worker, busy: 0 });
      else broken = true;
    }
    if (broken) void stopWorkers();
    return slots;
  };

  /** Once no batch is left, the workers are stopped after idleMs unless work comes first. */
  const restLater = () => {
    if (slots.some((s) => s.busy > 0)) return;
    clearTimeout(idle);
    idle = setTimeout(() => void stopWorkers(), o.idleMs ?? POOL_IDLE_MS);
    idle.unref();
  };

  const run = (slot: Slot, jobs: readonly VerifyJob[]) => {
    slot.busy++;
    return sendBatch(slot.worker, jobs, pending, nextId++, () => {
      slot.busy--;
      restLater();
    });
  };

  return {
    get threads() {
      return broken ? 0 : o.size;
    },
    get running() {
      return slots.length;
    },
    async verify(jobs) {
      const small = jobs.length < (slots.length > 0 ? MIN_POOL_JOBS : START_POOL_JOBS);
      const pool = broken || closed || o.size === 0 || small ? [] : workers();
      if (pool.length === 0) return verifyBatch(jobs, o.inline);
      const chunk = Math.ceil(jobs.length / pool.length);
      const parts = pool.map((slot, i) => ({ slot, part: jobs.slice(i * chunk, (i + 1) * chunk) }));
      try {
        const results = await Promise.all(parts.filter((p) => p.part.length > 0).map((p) => run(p.slot, p.part)));
        return results.flat();
      } catch {
        return verifyBatch(jobs, o.inline);
      }
    },
    warm() {
      if (broken || closed || o.size === 0) return;
      workers();
      restLater();
    },
    async close() {
      closed = true;
      clearTimeout(idle);
      await stopWorkers();
    },
  };
}
