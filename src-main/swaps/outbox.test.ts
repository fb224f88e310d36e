import { describe, expect, it } from 'vitest';
import { MAKER_PATH, TAKER_PATH } from '../../src-shared/swaps/testkit.ts';
import type { SwapEvent, SwapMessage } from '../../src-shared/swaps/types.ts';
import { peerRequestError } from '../p2p/reqres.ts';
import type { Live } from './durable.ts';
import { createOutbox, refusalWords } from './outbox.ts';
import { SWAP_PROTOCOL } from './protocol.ts';
import { fakeP2p, makerLive, PEER, recordingLog, settle, takerLive, type FakeP2p, type TestLive } from './testkit.ts';

const abort: SwapMessage = { type: 'swap.abort', swapId: 'swap-1', reason: 'user-abort', message: 'stop' };
const claimed: SwapMessage = { type: 'swap.makerClaimed', swapId: 'swap-1', txid: 'c1'.repeat(32) };
const refusedByPeer = (words: string) =>
  peerRequestError('remote', `peer ${PEER} refused the request: ${words}`, 'SWAP_REFUSED');

function setup(p2p: FakeP2p = fakeP2p()) {
  const sent: Array<{ live: Live; event: SwapEvent }> = [];
  const settled: string[] = [];
  const sleeps: number[] = [];
  const log = recordingLog();
  let running = true;
  const outbox = createOutbox({
    p2p,
    log,
    background: (task) => void task.catch(() => undefined),
    isRunning: () => running,
    send: async (live, event) => sent.push({ live, event }),
    settle: (live) => settled.push(live.id),
    banMs: 60_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      // The tests are about what is sent; a sleep only records the backoff.
    },
  });
  return { outbox, p2p, sent, settled, sleeps, log, stop: () => (running = false) };
}

const bodies = (p2p: FakeP2p) => p2p.requests.map((r) => (r.body as { type: string }).type);

describe('swap outbox: delivery', () => {
  it('delivers queued messages in order on the swap protocol to the counterparty only', async () => {
    const { outbox, p2p } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    outbox.push(live, abort);
    await settle();
    await outbox.pump(live);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed', 'swap.abort']);
    expect(p2p.requests.every((r) => r.peerId === PEER && r.protocol === SWAP_PROTOCOL)).toBe(true);
    expect(outbox.busy(live)).toBe(false);
  });

  it('retries a message the peer did not get, backing off from 500 ms up to 5 s, until it goes through', async () => {
    const { outbox, p2p, sleeps } = setup();
    const timeout = () => peerRequestError('timeout', 'no answer');
    p2p.answers.push(...Array.from({ length: 6 }, timeout));
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    await settle();
    await outbox.pump(live);
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(p2p.requests).toHaveLength(7);
    expect(outbox.busy(live)).toBe(false);
  });

  it('redials the addresses the swap recorded when not connected, and never dials a bare peer id', async () => {
    const p2p = fakeP2p([]);
    p2p.dialable.add(`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`);
    const { outbox } = setup(p2p);
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    await settle();
    expect(p2p.dials).toEqual([`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`]);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed']);
  });

  it('redials a peer whose relay went away through its other relay, before the address the swap recorded', async () => {
    const p2p = fakeP2p([]);
    const viaGone = `/ip4/7.0.0.10/tcp/4001/p2p/12D3KooWRelayGone/p2p-circuit`;
    const viaOther = `/ip4/8.0.0.11/tcp/4001/p2p/12D3KooWRelayOther/p2p-circuit`;
    p2p.advertised.set(PEER, [viaOther]);
    p2p.dialable.add(`${viaOther}/p2p/${PEER}`);
    const { outbox } = setup(p2p);
    const live: TestLive = {
      ...makerLive(MAKER_PATH.claiming),
      context: { ...makerLive([]).context, peerAddrs: [viaGone] },
    };
    outbox.push(live, claimed);
    await settle();
    expect(p2p.dials).toEqual([`${viaOther}/p2p/${PEER}`]);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed']);
  });

  it('asks the DHT where a peer is when none of its addresses answers, and dials what it learns', async () => {
    const p2p = fakeP2p([]);
    const moved = '/ip4/127.0.0.1/tcp/4999';
    p2p.dht.set(PEER, [moved, '/ip4/127.0.0.1/tcp/4001']); // the old address again: not dialled twice
    p2p.dialable.add(`${moved}/p2p/${PEER}`);
    const { outbox } = setup(p2p);
    const live = makerLive(MAKER_PATH.claiming); // recorded /ip4/127.0.0.1/tcp/4001: the peer is gone from it
    outbox.push(live, claimed);
    await settle();
    await outbox.pump(live);
    expect(p2p.lookups).toEqual([PEER]);
    expect(p2p.dials).toEqual([`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`, `${moved}/p2p/${PEER}`]);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed']);
  });

  it('looks a vanished peer up on the DHT at most once a minute, however often it retries', async () => {
    const p2p = fakeP2p([]);
    let now = 0;
    let tries = 0;
    const peers = p2p.peers;
    p2p.peers = () => (++tries > 40 ? [{ peerId: PEER, addrs: [] }] : peers());
    const sent: SwapEvent[] = [];
    const outbox = createOutbox({
      p2p,
      log: recordingLog(),
      background: (task) => void task.catch(() => undefined),
      isRunning: () => true,
      send: async (_live, event) => void sent.push(event),
      settle: () => undefined,
      sleep: async (ms) => void (now += ms),
      now: () => now,
    });
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    await outbox.pump(live);
    await settle();
    // ~20 tries over ~80 s of backoff: the DHT was asked at the first and once the minute had passed.
    expect(now).toBeGreaterThan(60_000);
    expect(p2p.lookups).toEqual([PEER, PEER]);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed']);
  });

  it('waits without sending while the peer cannot be reached, then sends once it connects', async () => {
    const p2p = fakeP2p([]);
    const { outbox, sleeps } = setup(p2p);
    const live: TestLive = { ...makerLive(MAKER_PATH.claiming), context: { ...makerLive([]).context, peerAddrs: [] } };
    let tries = 0;
    const peers = p2p.peers;
    p2p.peers = () => (++tries > 6 ? [{ peerId: PEER, addrs: [] }] : peers());
    outbox.push(live, claimed);
    await outbox.pump(live);
    await settle();
    expect(p2p.dials).toEqual([]);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed']);
  });

  it('stops delivering when the engine stops, keeping the message', async () => {
    const { outbox, p2p, stop } = setup();
    stop();
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    await settle();
    expect(p2p.requests).toEqual([]);
    expect(outbox.busy(live)).toBe(true);
  });

  it('gives a vanished peer four more tries after the swap ended, then drops the message and lets the swap go', async () => {
    const { outbox, p2p, settled } = setup();
    p2p.answers.push(...Array.from({ length: 10 }, () => peerRequestError('unreachable', 'gone')));
    const live = takerLive(TAKER_PATH.accepted);
    live.state = { role: 'taker', phase: 'failedBeforeFunding', swapId: 'swap-1', reason: { code: 'x', message: 'y' } };
    outbox.push(live, abort);
    await settle();
    await outbox.pump(live);
    expect(p2p.requests).toHaveLength(4);
    expect(outbox.busy(live)).toBe(false);
    expect(settled).toContain('swap-1');
  });

  it('keeps the peer-id prefixed addresses it is connected on, without /p2p, at most eight', () => {
    const p2p = fakeP2p([]);
    p2p.connectedPeers.push({
      peerId: PEER,
      addrs: Array.from({ length: 10 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1/p2p/${PEER}`).concat(
        `/ip4/10.0.0.0/tcp/1/p2p/${PEER}`,
      ),
    });
    const { outbox } = setup(p2p);
    const addrs = outbox.addrsOf(PEER);
    expect(addrs).toHaveLength(8);
    expect(addrs[0]).toBe('/ip4/10.0.0.0/tcp/1');
    expect(addrs.some((a) => a.includes('/p2p/'))).toBe(false);
    expect(outbox.addrsOf('someone-else')).toEqual([]);
  });
});

describe('swap outbox: refusals', () => {
  it("records a refused proposal as the taker's refusal in its own words", async () => {
    const { outbox, p2p, sent } = setup();
    p2p.answers.push(refusedByPeer('this node has not agreed to swap 4 DEVB for 1 DEVA with you'));
    const live = makerLive(MAKER_PATH.proposed);
    if (live.state.phase !== 'proposed') throw new Error('the path reaches proposed');
    outbox.push(live, { type: 'swap.propose', ...live.state.proposal });
    await settle();
    expect(sent.map((s) => s.event)).toEqual([
      {
        type: 'CounterpartyAborted',
        reason: 'terms-rejected',
        message: 'this node has not agreed to swap 4 DEVB for 1 DEVA with you',
      },
    ]);
    expect(outbox.busy(live)).toBe(false);
  });

  it('says a peer without the swap protocol does not take part in swaps', () => {
    expect(refusalWords(peerRequestError('unsupported', 'protocol not supported'))).toBe(
      'it does not take part in swaps',
    );
    expect(refusalWords(peerRequestError('remote', 'odd answer'))).toBe('odd answer');
  });

  it('drops any other message the peer refuses, without an event and without retrying', async () => {
    const { outbox, p2p, sent, sleeps } = setup();
    p2p.answers.push(refusedByPeer('This node has no such swap.'), peerRequestError('too-large', 'too big'));
    const live = makerLive(MAKER_PATH.claiming);
    outbox.push(live, claimed);
    outbox.push(live, abort);
    await settle();
    await outbox.pump(live);
    expect(bodies(p2p)).toEqual(['swap.makerClaimed', 'swap.abort']);
    expect(sent).toEqual([]);
    expect(sleeps).toEqual([]);
  });
});

describe('swap outbox: punishing a breach', () => {
  it('bans the peer only after the abort queued before it had its chance to go out', async () => {
    const { outbox, p2p } = setup();
    const order: string[] = [];
    const request = p2p.request;
    p2p.request = async (...a) => (order.push('abort sent'), request(...a));
    const ban = p2p.ban;
    p2p.ban = async (...a) => (order.push('banned'), ban(...a));
    const live = takerLive(TAKER_PATH.accepted);
    outbox.push(live, abort);
    outbox.punishAfterSend(live, 'its HTLC was wrong (wrong-amount)');
    await settle();
    await settle();
    expect(order).toEqual(['abort sent', 'banned']);
    expect(p2p.bans).toEqual([
      { peerId: PEER, reason: 'swap protocol: its HTLC was wrong (wrong-amount)', ms: 60_000 },
    ]);
  });

  it('bans at once when nothing waits to be sent, and only once', async () => {
    const { outbox, p2p } = setup();
    const live = makerLive(MAKER_PATH.funded);
    outbox.punishAfterSend(live, 'its HTLC was wrong (wrong-secret-hash)');
    await settle();
    await outbox.pump(live);
    expect(p2p.bans).toHaveLength(1);
  });

  it('logs a ban that fails instead of throwing', async () => {
    const { outbox, p2p, log } = setup();
    p2p.ban = async () => {
      throw new Error('ban store closed');
    };
    await outbox.breach(PEER, 'garbage');
    expect(log.lines.map((l) => l.msg)).toEqual([
      'peer broke the swap protocol; refusing it for a while',
      'could not ban the peer',
    ]);
  });
});
