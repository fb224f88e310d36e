// Two real libp2p nodes, connected twice: when the connection that carries gossipsub's streams
// closes, the other stays open. Without the keeper no message crosses either way (the control case:
// if a gossipsub release fixes this, the control fails and the keeper can go); with it, gossip flows
// again within a second. A stream that fails on its own is reopened by the sweep.
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../kernel/time.ts';
import { keepGossipStreams, type GossipStreamsOptions } from './gossip-streams.ts';
import { createLibp2pNode, type Services } from './libp2p-node.ts';
import { DEFAULT_LIMITS } from './limits.ts';

const TOPIC = 'gossip-streams-test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stops: Array<() => unknown> = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function pair(keeper?: GossipStreamsOptions) {
  const nodes: Array<Libp2p<Services>> = [];
  for (let i = 0; i < 2; i++) {
    const node = await createLibp2pNode({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: [],
      limits: DEFAULT_LIMITS,
      nat: { announce: [], portMapping: false, relayReservations: 0 },
      refused: () => false,
    });
    await node.start();
    stops.push(() => node.stop());
    if (keeper) {
      const stop = keepGossipStreams(node, node.services.pubsub, keeper);
      expect(stop).toBeTypeOf('function');
      stops.push(stop!);
    }
    node.services.pubsub.subscribe(TOPIC);
    nodes.push(node);
  }
  const [a, b] = nodes as [Libp2p<Services>, Libp2p<Services>];
  const heard = { a: 0, b: 0 };
  a.services.pubsub.addEventListener('message', () => heard.a++);
  b.services.pubsub.addEventListener('message', () => heard.b++);
  await a.dial(b.getMultiaddrs()[0]!);
  await waitFor(
    () => a.services.pubsub.getSubscribers(TOPIC).length === 1 && b.services.pubsub.getSubscribers(TOPIC).length === 1,
    { timeoutMs: 5000, what: 'both subscriptions known' },
  );
  // A second connection, as when two nodes dial each other at once.
  await b.dial(a.getMultiaddrs()[0]!, { force: true });
  await waitFor(() => a.getConnections(b.peerId).length === 2, { timeoutMs: 5000, what: 'a second connection' });
  return { a, b, heard };
}

/** Publishes from both ends every 100 ms until each has heard one more message, or `ms` passed. */
async function bothHear(n: Awaited<ReturnType<typeof pair>>, ms: number): Promise<boolean> {
  const before = { ...n.heard };
  const until = Date.now() + ms;
  let i = 0;
  while (Date.now() < until) {
    await n.a.services.pubsub.publish(TOPIC, new TextEncoder().encode(`a ${i}`));
    await n.b.services.pubsub.publish(TOPIC, new TextEncoder().encode(`b ${i++}`));
    await sleep(100);
    if (n.heard.a > before.a && n.heard.b > before.b) return true;
  }
  return false;
}

describe('gossip streams of a peer that stays connected', () => {
  it('control: without the keeper, closing the connection that carried gossip leaves no gossip between two connected peers', async () => {
    const n = await pair();
    expect(await bothHear(n, 2000)).toBe(true);
    await n.a.getConnections(n.b.peerId)[0]!.close();
    await sleep(300);
    expect(n.a.getConnections(n.b.peerId)).toHaveLength(1);
    expect(await bothHear(n, 2000)).toBe(false);
  }, 30_000);

  it('with the keeper, gossip flows both ways again within a second of that close', async () => {
    const n = await pair({ afterCloseMs: 100, sweepMs: 60_000 });
    expect(await bothHear(n, 2000)).toBe(true);
    await n.a.getConnections(n.b.peerId)[0]!.close();
    const t0 = Date.now();
    expect(n.a.getConnections(n.b.peerId)).toHaveLength(1);
    expect(await bothHear(n, 5000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1500);
  }, 30_000);

  it('a gossip stream that fails while its connection stays open is opened again by the sweep', async () => {
    const n = await pair({ afterCloseMs: 60_000, sweepMs: 300 });
    expect(await bothHear(n, 2000)).toBe(true);
    type Outbound = { rawStream: { abort(err: Error): void } };
    const streams = (n.a.services.pubsub as unknown as { streamsOutbound: Map<string, Outbound> }).streamsOutbound;
    streams.get(n.b.peerId.toString())!.rawStream.abort(new Error('a stream reset by the test'));
    await waitFor(() => !streams.has(n.b.peerId.toString()), { timeoutMs: 2000, what: 'the stream gone' });
    await waitFor(() => streams.has(n.b.peerId.toString()), { timeoutMs: 3000, what: 'the stream reopened' });
    expect(await bothHear(n, 3000)).toBe(true);
  }, 30_000);
});
