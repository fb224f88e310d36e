// Books between peers: a node serves its book page by page (book.snapshot) and pulls every
// market's book from each newly connected peer, its service-node list first; entries are
// validated like gossip, and a peer that sends invalid ones is scored down.
import { ApiError } from '../../src-shared/api/errors.ts';
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import { ORDER_PROTOCOLS, decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import type { OrderBook } from '../../src-shared/orders/book.ts';
import { marketKey } from '../../src-shared/orders/order.ts';
import { validateSnapshot, validateSnapshotRequest } from '../../src-shared/orders/validate.ts';
import { errorText } from '../kernel/log.ts';
import { gossipContext, listOrder, type BookState } from './book-state.ts';
import type { NetworkBookDeps } from './network-book.ts';

const SNAPSHOT_PAGE = 100;
const MAX_SNAPSHOT_PAGES = 200;

/** One page of a market's book for a peer, after `after` (an order id); an empty last page when that order left meanwhile. */
export function serveSnapshot(
  st: BookState,
  d: Pick<NetworkBookDeps, 'scorer'>,
  req: unknown,
  peerId: string,
): unknown {
  const r = validateSnapshotRequest(req, { markets: st.marketSet });
  if (!r.ok) {
    d.scorer.refused(peerId, r.reason, r.message);
    throw new ApiError(r.reason === 'unknown-market' ? 'NOT_FOUND' : 'INVALID_PARAMS', r.message);
  }
  const book = st.books.get(marketKey(r.value.market))!;
  const all = [...book.list('sell'), ...book.list('buy')];
  const at = r.value.after === null ? -1 : all.findIndex((e) => e.order.id === r.value.after);
  // A page boundary that left the book meanwhile: the asker starts over with a fresh snapshot.
  if (r.value.after !== null && at < 0)
    return { type: 'book.snapshot', market: r.value.market, entries: [], next: null };
  const start = at + 1;
  const page = all.slice(start, start + r.value.limit);
  const more = start + page.length < all.length;
  return {
    type: 'book.snapshot',
    market: r.value.market,
    entries: page.map((e) => ({ order: wireForm(e.order), hold: st.holds.get(e.order.id) ?? null })),
    next: more && page.length > 0 ? page[page.length - 1]!.order.id : null,
  };
}

/** Lists one page of a peer's snapshot; the next page's cursor, or null when done (or the page was refused). */
async function pullPage(st: BookState, d: NetworkBookDeps, peerId: string, book: OrderBook, after: string | null) {
  let answer: unknown;
  try {
    answer = await d.p2p.request(
      peerId,
      ORDER_PROTOCOLS.snapshot,
      { type: 'book.snapshot.request', market: book.market, after, limit: SNAPSHOT_PAGE },
      { timeoutMs: 10_000 },
    );
  } catch (err) {
    d.log.info('could not pull a book snapshot', { peerId, market: marketKey(book.market), error: errorText(err) });
    return null;
  }
  const v = validateSnapshot(answer, book.market, gossipContext(st, d));
  if (!v.ok) {
    d.scorer.refused(peerId, v.reason, `book.snapshot: ${v.message}`);
    return null;
  }
  for (const bad of v.value.refused)
    d.scorer.refused(peerId, bad.reason, `snapshot entry ${bad.index}: ${bad.message}`);
  const raw = decodeOrderMessage(answer, 'book.snapshot');
  for (const e of v.value.entries) {
    const hold = raw.ok
      ? raw.msg.entries.find((x) => (x.order as { id?: unknown } | null)?.id === e.order.id)?.hold
      : null;
    listOrder(st, d, e.order, e.remainingBase, (hold ?? null) as Record<string, unknown> | null);
  }
  return v.value.next;
}

/** Pulls every market's book from a peer, page by page. */
export async function syncFrom(st: BookState, d: NetworkBookDeps, peerId: string): Promise<void> {
  try {
    await d.beforeSync?.(peerId);
  } catch (err) {
    d.log.info('could not prepare a book sync', { peerId, error: errorText(err) });
  }
  for (const book of st.books.values()) {
    let after: string | null = null;
    for (let page = 0; page < MAX_SNAPSHOT_PAGES; page++) {
      after = await pullPage(st, d, peerId, book, after);
      if (after === null) break;
    }
  }
}
