// Matches replies to calls by id on a message pipe, and fails every open call at once when
// the pipe breaks, so no caller waits forever on a connection that is gone.
import type { MethodName, Result } from '../../src-shared/api/contract.ts';
import type { ReplyFrame } from '../../src-shared/api/wire.ts';
import { errorFromData, parseResult } from './frames.ts';

interface OpenCall {
  method: MethodName;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class CallTable {
  #nextId = 1;
  readonly #open = new Map<number, OpenCall>();

  /** Register a call; returns its id and the promise of its validated result. */
  open<M extends MethodName>(method: M): { id: number; result: Promise<Result<M>> } {
    const id = this.#nextId++;
    const result = new Promise<Result<M>>((resolve, reject) => {
      this.#open.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
    });
    return { id, result };
  }

  /** Settle the call a reply belongs to. Returns false for a reply to no open call. */
  settle(reply: ReplyFrame): boolean {
    const call = this.#open.get(reply.id);
    if (!call) return false;
    this.#open.delete(reply.id);
    if (!reply.ok) {
      call.reject(errorFromData(reply.error));
      return true;
    }
    try {
      call.resolve(parseResult(call.method, reply.result));
    } catch (err) {
      call.reject(err);
    }
    return true;
  }

  /** Reject one call (e.g. it could not be sent). */
  fail(id: number, error: unknown): void {
    const call = this.#open.get(id);
    if (!call) return;
    this.#open.delete(id);
    call.reject(error);
  }

  /** Reject every open call: their replies can no longer arrive. */
  failAll(error: unknown): void {
    const calls = [...this.#open.values()];
    this.#open.clear();
    for (const call of calls) call.reject(error);
  }

  get size(): number {
    return this.#open.size;
  }
}
