// A caller that passes no internal bus (core/node.ts before it builds one) still gets fills that
// follow their swaps: the order network's own bus hears the swap engine's updates from the
// client bus, until the network stops.
import { describe, expect, it } from 'vitest';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { createEventBus } from '../api/events.ts';
import { silentLogger } from '../kernel/log.ts';
import { ownBus } from './network.ts';
import { swapSummary } from './testkit.ts';

describe("the order network's own bus", () => {
  it("hears 'swap.updated' from the client bus, and only that, until unbridged", () => {
    const events = createEventBus();
    const { bus, unbridge } = ownBus({ events, log: silentLogger });
    const heard: SwapSummary[] = [];
    bus.on('swap.updated', (s) => heard.push(s));
    events.emit('swap.updated', swapSummary({ state: 'funded' }));
    events.emit('wallets.changed', { ticker: 'DEVA' });
    expect(heard.map((s) => [s.swapId, s.state])).toEqual([['swap-1', 'funded']]);
    unbridge();
    events.emit('swap.updated', swapSummary({ state: 'completed' }));
    expect(heard).toHaveLength(1);
  });
});
