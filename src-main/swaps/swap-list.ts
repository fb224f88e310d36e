// Deprecated shim: swap ids newest first, now answered by the swap repository (SwapRepo.list).
// The engine no longer uses it; it stays only until src-main/core/node.ts stops passing
// `listSwapIds: createSwapLister(db)`, then this file can be deleted.
import type { Database } from 'better-sqlite3';
import { createSwapRepo } from '../store/index.ts';

/** @deprecated The swap engine lists through `repo.list()`; do not pass this any more. */
export function createSwapLister(db: Database): (limit: number) => string[] {
  const repo = createSwapRepo(db);
  return (limit) => repo.list({ limit }).map((s) => s.swapId);
}
