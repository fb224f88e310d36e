// The choice of how a request reaches a peer (streams.ts), against a stand-in for the three libp2p
// calls it makes; the NAT integration tests run it on real hosts behind namespace NATs.
import { multiaddr } from '@multiformats/multiaddr';
import { peerIdFromString } from '@libp2p/peer-id';
import type { Libp2p } from 'libp2p';
import { describe, expect, it } from 'vitest';
import { openRequestStream } from './streams.ts';

const RELAY = '12D3KooWGRUVh2upSAkpnrSHpyx2Zc2hBqpgbNdyRtXmUtiRsGWw';
const PEER = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq';
const HOME = '/ip4/10.1.0.2/tcp/4001';
const CIRCUIT = `/ip4/5.5.5.5/tcp/4001/p2p/${RELAY}/p2p-circuit`;
const silent = { info: () => undefined, warn: () => undefined };

interface World {
  /** What the peer store holds for the peer. */
  addrs: string[];
  /** What the DHT answers, or null when it does not know the peer. */
  dht: string[] | null;
  /** Open connections to the peer. */
  conns: Array<{
    limits?: object;
    status: string;
    remoteAddr: ReturnType<typeof multiaddr>;
    newStream: () => Promise<unknown>;
  }>;
  lookups: number;
  dials: string[][];
}

function fakeNode(w: World): Libp2p {
  const node = {
    getConnections: () => w.conns,
    peerStore: { get: async () => ({ addresses: w.addrs.map((a) => ({ multiaddr: multiaddr(a) })) }) },
    peerRouting: {
      findPeer: async (_id: unknown, opts: { useCache?: boolean }) => {
        w.lookups++;
        expect(opts.useCache).toBe(false);
        if (w.dht === null) throw Object.assign(new Error('Not found'), { name: 'NotFoundError' });
        w.addrs = [...w.addrs, ...w.dht];
        return { id: peerIdFromString(PEER), multiaddrs: w.dht.map((a) => multiaddr(a)) };
      },
    },
    dialProtocol: async () => {
      w.dials.push([...w.addrs]);
      if (w.addrs.some((a) => a.includes('/p2p-circuit'))) return { id: 'stream over a new circuit' };
      throw new Error('connect EHOSTUNREACH 10.1.0.2:4001');
    },
  };
  return node as unknown as Libp2p;
}

const world = (over: Partial<World>): World => ({
  addrs: [HOME],
  dht: null,
  conns: [],
  lookups: 0,
  dials: [],
  ...over,
});
const open = (w: World, protocol: string, overRelay: boolean) =>
  openRequestStream(fakeNode(w), peerIdFromString(PEER), protocol, AbortSignal.timeout(5_000), overRelay, silent);

describe('a request to a home behind NAT', () => {
  it('whose only known address is its unreachable home: the DHT is asked for its circuits and they are dialled', async () => {
    const w = world({ dht: [CIRCUIT] });
    await expect(open(w, '/x/1', true)).resolves.toEqual({ id: 'stream over a new circuit' });
    expect(w.lookups).toBe(1);
    expect(w.dials).toEqual([[HOME], [HOME, CIRCUIT]]);
  });

  it('that the DHT does not know either fails with the dial’s own error, after one lookup', async () => {
    const w = world({});
    await expect(open(w, '/x/1', true)).rejects.toThrow(/EHOSTUNREACH/);
    expect(w.lookups).toBe(1);
    expect(w.dials).toHaveLength(1);
  });

  it('over a protocol that may not run over a relay: no lookup, the dial’s error', async () => {
    const w = world({ dht: [CIRCUIT] });
    await expect(open(w, '/x/1', false)).rejects.toThrow(/EHOSTUNREACH/);
    expect(w.lookups).toBe(0);
  });

  it('with a relayed connection open: the stream goes on it, nothing is dialled or looked up', async () => {
    const w = world({
      conns: [
        {
          limits: { bytes: 1n },
          status: 'open',
          remoteAddr: multiaddr(`${CIRCUIT}/p2p/${PEER}`),
          newStream: async () => ({ id: 'stream on the open circuit' }),
        },
      ],
    });
    await expect(open(w, '/x/1', true)).resolves.toEqual({ id: 'stream on the open circuit' });
    expect(w.dials).toEqual([]);
    expect(w.lookups).toBe(0);
  });

  it('with a relayed connection that refuses the stream: dialled instead', async () => {
    const w = world({
      addrs: [HOME, CIRCUIT],
      conns: [
        {
          limits: { bytes: 1n },
          status: 'open',
          remoteAddr: multiaddr(`${CIRCUIT}/p2p/${PEER}`),
          newStream: async () => {
            throw new Error('the connection is closing');
          },
        },
      ],
    });
    await expect(open(w, '/x/1', true)).resolves.toEqual({ id: 'stream over a new circuit' });
    expect(w.dials).toHaveLength(1);
  });
});
