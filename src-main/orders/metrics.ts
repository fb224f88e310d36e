// Order propagation as this node sees it: from the service node's signature to the order being
// listed here. Orders listed long after signing came by a book sync, not by propagation, and
// are counted apart so a fresh node's first sync does not read as a slow network.
import type { MetricsRegistry } from '../metrics/index.ts';
import type { NetworkBook } from './network-book.ts';

/** Past this, a listing is a sync of an older order, not its propagation. */
export const PROPAGATION_WINDOW_MS = 60_000;

export function watchOrderPropagation(
  metrics: MetricsRegistry,
  book: Pick<NetworkBook, 'onEvent'>,
  now: () => number,
): () => void {
  const latency = metrics.summary(
    'hashlock_orders_propagation_seconds',
    'Seconds from the service node signing an order to this node listing it.',
  );
  const listed = metrics.counter('hashlock_orders_listed_total', 'Orders listed in the book, by how they came.');
  return book.onEvent((e) => {
    if (e.type !== 'listed') return;
    const age = now() - e.order.serviceNode.signedAt;
    if (age < 0 || age > PROPAGATION_WINDOW_MS) {
      listed.inc({ via: 'sync' });
      return;
    }
    listed.inc({ via: 'propagation' });
    latency.observe({}, age / 1000);
  });
}
