import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { watchOrderPropagation } from './metrics.ts';
import type { BookEvent } from './network-book.ts';

describe('order propagation as seen', () => {
  it('measures signing to listing for fresh orders and counts late ones as syncs', () => {
    const r = createMetricsRegistry();
    let cb: (e: BookEvent) => void = () => undefined;
    watchOrderPropagation(r, { onEvent: (f) => ((cb = f), () => undefined) }, () => 100_000);
    const listed = (signedAt: number) =>
      cb({ type: 'listed', order: { serviceNode: { signedAt } }, remainingBase: 1n } as unknown as BookEvent);
    listed(99_750); // 250 ms
    listed(100_000 - 5 * 60_000); // five minutes old: a sync
    cb({ type: 'removed', order: {}, reason: 'canceled' } as unknown as BookEvent);
    const fams = Object.fromEntries(r.collect().map((f) => [f.name, f.series]));
    expect(fams.hashlock_orders_propagation_seconds!.find((s) => s.suffix === '_sum')?.value).toBe(0.25);
    expect(fams.hashlock_orders_listed_total).toEqual([
      { labels: { via: 'propagation' }, value: 1 },
      { labels: { via: 'sync' }, value: 1 },
    ]);
  });
});
