import { describe, expect, it } from 'vitest';
import { eventHarness } from '../api/event-harness.ts';
import { p2pEvents } from './events.ts';
import { p2pKeys } from './queries.ts';

describe('p2p events', () => {
  it('refetches the peers when the peer count changes, not this node’s own facts', () => {
    const h = eventHarness([p2pEvents]);
    h.qc.setQueryData(p2pKeys.peers, []);
    h.qc.setQueryData(p2pKeys.info, { peerId: 'me', listenAddrs: [] });
    h.events.dispatch({ event: 'p2p.peers', data: { count: 3 } });
    expect(h.qc.getQueryState(p2pKeys.peers)?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(p2pKeys.info)?.isInvalidated).toBe(false);
  });

  it('refetches the reachability view when its state changes or peers come and go', () => {
    const h = eventHarness([p2pEvents]);
    h.qc.setQueryData(p2pKeys.reachability, { state: 'checking' });
    h.qc.setQueryData(p2pKeys.peers, []);
    h.events.dispatch({ event: 'p2p.reachability', data: { state: 'relayed' } });
    expect(h.qc.getQueryState(p2pKeys.reachability)?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(p2pKeys.peers)?.isInvalidated).toBe(false);
    h.qc.setQueryData(p2pKeys.reachability, { state: 'relayed' });
    h.events.dispatch({ event: 'p2p.peers', data: { count: 1 } });
    expect(h.qc.getQueryState(p2pKeys.reachability)?.isInvalidated).toBe(true);
  });
});
