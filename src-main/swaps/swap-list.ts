// Lists swap ids newest first, straight from the swaps table: the swap repository (src-main/store)
// answers per swap and for unfinished ones, and the API also needs the finished ones.
import type { Database } from 'better-sqlite3';

export function createSwapLister(db: Database): (limit: number) => string[] {
  const select = db.prepare<[number], { swap_id: string }>('SELECT swap_id FROM swaps ORDER BY created_at DESC, swap_id LIMIT ?');
  return (limit) => select.all(limit).map((r) => r.swap_id);
}
