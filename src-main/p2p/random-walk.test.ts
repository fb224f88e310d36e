// The random walk rests between searches: each search after the first waits a gap that doubles up
// to a cap, a walk idle for long starts at once, a stopped walk's wait ends at once. On real libp2p
// nodes that want relay reservations nobody offers, the walk searches once in two seconds; unpaced
// it searched without a pause (hundreds of times).
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from 'libp2p';
import { afterAll, describe, expect, it } from 'vitest';
import { createLibp2pNode, type Services } from './libp2p-node.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { pacedClosestPeers, type ClosestPeersRouting } from './random-walk.ts';

function countingRouting() {
  const starts: number[] = [];
  const routing: ClosestPeersRouting & { other(): string } = {
    async *getClosestPeers() {
      starts.push(performance.now());
      yield 'a peer';
    },
    other: () => 'kept',
  };
  return { routing, starts };
}

async function search(r: ClosestPeersRouting, signal?: AbortSignal) {
  const out = [];
  for await (const p of r.getClosestPeers(new Uint8Array(32), signal ? { signal } : undefined)) out.push(p);
  return out;
}

describe('the random walk, paced', () => {
  it('waits the first gap after the first search, then twice as long each time up to the cap', async () => {
    const { routing, starts } = countingRouting();
    const paced = pacedClosestPeers(routing, { firstGapMs: 40, maxGapMs: 160 });
    for (let i = 0; i < 5; i++) expect(await search(paced)).toEqual(['a peer']);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // The pace counts in Date.now()'s whole milliseconds, the test in performance.now().
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
    expect(gaps[3]).toBeGreaterThanOrEqual(158);
    expect(gaps[3]).toBeLessThan(300);
    expect(paced.other()).toBe('kept');
  });

  it('a walk idle for two of the longest gaps searches at once, from the first gap again', async () => {
    const { routing, starts } = countingRouting();
    let clock = 0;
    const paced = pacedClosestPeers(routing, { firstGapMs: 60_000, maxGapMs: 120_000 }, () => clock);
    await search(paced);
    clock = 240_000;
    const t0 = performance.now();
    await search(paced);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(starts).toHaveLength(2);
  });

  it('a stopped walk ends its wait at once and searches nothing', async () => {
    const { routing, starts } = countingRouting();
    const paced = pacedClosestPeers(routing, { firstGapMs: 60_000, maxGapMs: 60_000 });
    await search(paced);
    const stop = new AbortController();
    const waiting = search(paced, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(starts).toHaveLength(1);
  });
});

describe('a node that wants relays nobody offers', () => {
  const nodes: Libp2p<Services>[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('searches the DHT once in two seconds, not without a pause', async () => {
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await createLibp2pNode({
          privateKey: await generateKeyPair('Ed25519'),
          listen: ['/ip4/127.0.0.1/tcp/0'],
          bootstrap: [],
          limits: DEFAULT_LIMITS,
          nat: { announce: [], portMapping: false, relayReservations: 2 },
          refused: () => false,
        }),
      );
    }
    const [a, b] = nodes as [Libp2p<Services>, Libp2p<Services>];
    let searches = 0;
    const dht = a.services.dht;
    const closest = dht.getClosestPeers.bind(dht);
    dht.getClosestPeers = (key, options) => {
      searches++;
      return closest(key, options);
    };
    await Promise.all([a.start(), b.start()]);
    await a.dial(b.getMultiaddrs()[0]!);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(searches).toBeGreaterThanOrEqual(1);
    expect(searches).toBeLessThanOrEqual(2);
  });
});
