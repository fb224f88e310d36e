import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/reachability.json' with { type: 'json' };
import { Reachability, deriveReachability, relayOf, type OwnAddr, type PeerPath } from './reachability.ts';

interface Case {
  name: string;
  input: { addrs: OwnAddr[]; peerPaths: PeerPath[]; sinceStartMs: number };
  expect: Pick<Reachability, 'state' | 'publicAddrs' | 'relays' | 'peers'>;
}

describe('reachability', () => {
  for (const c of fixtures.cases as Case[]) {
    it(c.name, () => {
      const r = deriveReachability({ ...c.input, checkingMs: 20_000, portMapping: true, servesRelay: false });
      expect(Reachability.parse(r)).toEqual(r);
      expect({ state: r.state, publicAddrs: r.publicAddrs, relays: r.relays, peers: r.peers }).toEqual(c.expect);
    });
  }

  it('says each state in its own words, and says that a relay cannot read the traffic', () => {
    const base = { checkingMs: 20_000, portMapping: false, servesRelay: false };
    const states = [
      deriveReachability({ ...base, addrs: [], peerPaths: [], sinceStartMs: 0 }),
      deriveReachability({ ...base, addrs: [], peerPaths: ['direct'], sinceStartMs: 0 }),
      deriveReachability({ ...base, addrs: [], peerPaths: ['direct'], sinceStartMs: 30_000 }),
      deriveReachability({
        ...base,
        addrs: [{ addr: '/ip4/7.7.7.7/tcp/1', kind: 'public' }],
        peerPaths: ['direct'],
        sinceStartMs: 0,
      }),
      deriveReachability({
        ...base,
        addrs: [{ addr: '/ip4/5.5.5.5/tcp/1/p2p/R/p2p-circuit', kind: 'relayed' }],
        peerPaths: ['direct'],
        sinceStartMs: 0,
      }),
    ];
    expect(states.map((s) => s.state)).toEqual(['offline', 'checking', 'unreachable', 'public', 'relayed']);
    expect(new Set(states.map((s) => s.summary)).size).toBe(5);
    expect(states[4]!.detail).toMatch(/end-to-end encrypted/);
    expect(states[2]!.detail).toMatch(/orders cannot be taken/);
  });

  it('finds the relay in a circuit address and nothing in a direct one', () => {
    expect(relayOf('/ip4/5.5.5.5/tcp/4001/p2p/RELAY/p2p-circuit')).toBe('RELAY');
    expect(relayOf('/ip4/5.5.5.5/tcp/4001/p2p/RELAY/p2p-circuit/p2p/PEER')).toBe('RELAY');
    expect(relayOf('/ip4/5.5.5.5/tcp/4001/p2p/PEER')).toBeUndefined();
    expect(relayOf('/p2p-circuit')).toBeUndefined();
  });
});
