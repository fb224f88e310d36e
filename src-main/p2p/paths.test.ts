import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { classifyOwnAddr, createPathTracker, isRelayed, readReachability, reusableConnections } from './paths.ts';

const RELAY = '12D3KooWGRUVh2upSAkpnrSHpyx2Zc2hBqpgbNdyRtXmUtiRsGWw';
const PEER = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq';
const direct = { limits: undefined, remoteAddr: multiaddr(`/ip4/7.7.7.7/tcp/4001/p2p/${PEER}`) };
const relayed = {
  limits: { bytes: 1n << 20n, seconds: 600 },
  remoteAddr: multiaddr(`/ip4/5.5.5.5/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`),
};

describe('own addresses are classified by libp2p’s rule', () => {
  it.each([
    ['/ip4/7.7.7.7/tcp/4001', 'public'],
    ['/ip4/10.1.0.2/tcp/4001', 'private'],
    ['/ip4/192.168.1.20/tcp/4001', 'private'],
    ['/ip4/100.64.3.4/tcp/4001', 'private'],
    ['/ip4/203.0.113.9/tcp/4001', 'private'],
    ['/ip4/127.0.0.1/tcp/4001', 'private'],
    [`/ip4/5.5.5.5/tcp/4001/p2p/${RELAY}/p2p-circuit`, 'relayed'],
    [`/ip4/10.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit`, 'relayed'],
  ])('%s is %s', (addr, kind) => {
    expect(classifyOwnAddr(multiaddr(addr))).toBe(kind);
  });
});

describe('the path to a peer', () => {
  it('is relayed through the relay named in the circuit address', () => {
    expect(isRelayed(relayed)).toBe(true);
    expect(isRelayed(direct)).toBe(false);
    expect(createPathTracker().pathOf(PEER, [relayed])).toEqual({ path: 'relayed', relay: RELAY });
  });

  it('is direct for a peer never reached through a relay', () => {
    expect(createPathTracker().pathOf(PEER, [direct])).toEqual({ path: 'direct' });
  });

  it('is upgraded when a direct connection joins or replaces a relayed one', () => {
    const t = createPathTracker();
    t.pathOf(PEER, [relayed]);
    expect(t.pathOf(PEER, [relayed, direct])).toEqual({ path: 'upgraded' });
    expect(t.pathOf(PEER, [direct])).toEqual({ path: 'upgraded' });
    expect(createPathTracker().pathOf(PEER, [relayed, direct])).toEqual({ path: 'upgraded' });
  });
});

describe('reading reachability off the host', () => {
  it('names the relay of a reservation and counts peers by path', () => {
    const r = readReachability({
      ownAddrs: [multiaddr('/ip4/10.1.0.2/tcp/4001'), multiaddr(`/ip4/5.5.5.5/tcp/4001/p2p/${RELAY}/p2p-circuit`)],
      peerPaths: ['direct', 'relayed'],
      sinceStartMs: 100,
      portMapping: false,
      servesRelay: false,
    });
    expect(r.state).toBe('relayed');
    expect(r.relays).toEqual([{ peerId: RELAY, addr: `/ip4/5.5.5.5/tcp/4001/p2p/${RELAY}/p2p-circuit` }]);
    expect(r.localAddrs).toEqual(['/ip4/10.1.0.2/tcp/4001']);
    expect(r.peers).toEqual({ direct: 1, relayed: 1, upgraded: 0 });
  });

  it('a node bound to a public address with a peer is reachable; with only private ones, unreachable after the check', () => {
    const base = { peerPaths: ['direct' as const], portMapping: false, servesRelay: false };
    expect(readReachability({ ...base, ownAddrs: [multiaddr('/ip4/7.7.7.7/tcp/4001')], sinceStartMs: 0 }).state).toBe(
      'public',
    );
    expect(
      readReachability({ ...base, ownAddrs: [multiaddr('/ip4/10.1.0.2/tcp/4001')], sinceStartMs: 60_000 }).state,
    ).toBe('unreachable');
  });
});

describe('a request uses the relayed connection it has instead of dialling a new circuit', () => {
  const open = <T extends object>(c: T) => ({ ...c, status: 'open' as const });
  const closing = <T extends object>(c: T) => ({ ...c, status: 'closing' as const });

  it('a request allowed over a relay takes the open relayed connections as they are', () => {
    const second = open({
      ...relayed,
      remoteAddr: multiaddr(`/ip4/6.6.6.6/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`),
    });
    expect(reusableConnections([open(relayed), second], true)).toEqual([open(relayed), second]);
  });

  it('a closing relayed connection is not used: the request dials', () => {
    expect(reusableConnections([closing(relayed)], true)).toEqual([]);
  });

  it('an open direct connection is left to the dial path, which reuses it', () => {
    expect(reusableConnections([open(relayed), open(direct)], true)).toEqual([]);
  });

  it('a protocol not allowed over a relay never uses a relayed connection', () => {
    expect(reusableConnections([open(relayed)], false)).toEqual([]);
  });
});
