// Hostile peers against a real receiver in its own process: oversize gossip and requests,
// malformed JSON, gossip and request floods. The receiver must survive, score and ban the
// offenders, refuse them afterwards, and keep serving honest peers throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P2pProcs, type P2pProc } from '../../support/p2p-proc.ts';
import type { PeerInfo } from '../../../src-shared/api/schemas.ts';
import { sleep } from '../../../src-main/kernel/time.ts';

const TOPIC = '/hashlock/test/hostile/1';
const ECHO = '/hashlock/test/echo/1';
const KiB = 1024;

const procs = new P2pProcs();
afterAll(() => procs.cleanup());

let receiver: P2pProc;
let honest: P2pProc;

async function connectedTo(p: P2pProc, peerId: string): Promise<boolean> {
  return (await p.call<PeerInfo[]>('peers')).some((x) => x.peerId === peerId);
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${receiver.stderrTail()}`);
    await sleep(200);
  }
}

/** Publishes from `from` until `to` has the message: proves the gossip path between them works. */
async function gossipGetsThrough(from: P2pProc, to: P2pProc, label: string): Promise<void> {
  const text = `${label} ${Date.now()} ${Math.random()}`;
  const deadline = Date.now() + 20_000;
  for (let i = 0; !to.messages.some((m) => m.text.startsWith(text)); i++) {
    if (Date.now() > deadline)
      throw new Error(`${label}: gossip from ${from.name} never reached ${to.name}\n${to.stderrTail()}`);
    await from.call('publish', { topic: TOPIC, text: `${text} #${i}` });
    await sleep(250);
  }
}

async function honestStillServed(label: string): Promise<void> {
  expect(receiver.alive).toBe(true);
  await gossipGetsThrough(honest, receiver, `${label}: honest gossip`);
  expect(await honest.call('request', { peerId: receiver.peerId, protocol: ECHO, body: { label } })).toEqual({
    echo: { label },
    from: honest.peerId,
  });
}

/** A peer that ignores the limits the receiver enforces (its own caps are raised). */
async function startHostile(name: string, limits: Record<string, unknown>): Promise<P2pProc> {
  const p = await procs.start(name, { bootstrap: receiver.addrs, limits });
  await eventually(`${name} connected to the receiver`, () => connectedTo(receiver, p.peerId));
  await p.call('subscribe', { topic: TOPIC });
  return p;
}

beforeAll(async () => {
  receiver = await procs.start('receiver', {
    limits: {
      gossipPerOrigin: { capacity: 20, refillPerSec: 5 },
      gossipPerPeer: { capacity: 400, refillPerSec: 100 },
      requestsPerPeer: { capacity: 5, refillPerSec: 1 },
      // Every test process connects from 127.0.0.1, so the per-IP connection rate must allow them.
      inboundConnectionsPerHostPerSec: 100,
    },
  });
  await receiver.call('subscribe', { topic: TOPIC });
  await receiver.call('handle-echo', { protocol: ECHO });
  honest = await procs.start('honest', { bootstrap: receiver.addrs });
  await honest.call('subscribe', { topic: TOPIC });
  await eventually('honest peer connected', () => connectedTo(receiver, honest.peerId));
  await honestStillServed('baseline');
});

describe('a receiver under attack', () => {
  it('drops oversize gossip, scores the sender and bans it on a repeat', async () => {
    const big = await startHostile('big-gossip', { maxGossipBytes: 2048 * KiB });
    await gossipGetsThrough(big, receiver, 'big-gossip warm-up');
    for (let i = 0; i < 2; i++) {
      const { recipients } = await big.call<{ recipients: number }>('publish', { topic: TOPIC, size: 100 * KiB });
      expect(recipients).toBeGreaterThan(0);
    }
    await eventually(
      'the oversize sender banned',
      async () => (await receiver.call<{ banned: boolean }>('is-banned', { peerId: big.peerId })).banned,
    );
    await eventually('the oversize sender disconnected', async () => !(await connectedTo(receiver, big.peerId)));
    expect(receiver.messages.filter((m) => m.size > 64 * KiB)).toEqual([]);
    expect(honest.messages.filter((m) => m.size > 64 * KiB)).toEqual([]);
    await honestStillServed('after oversize gossip');
  });

  it('survives a gossip frame far over the cap without delivering it', async () => {
    const huge = await startHostile('huge-gossip', { maxGossipBytes: 2048 * KiB });
    await gossipGetsThrough(huge, receiver, 'huge-gossip warm-up');
    await huge.call('publish', { topic: TOPIC, size: 1024 * KiB });
    await sleep(1_000);
    expect(receiver.messages.filter((m) => m.size > 64 * KiB)).toEqual([]);
    await honestStillServed('after a huge gossip frame');
  });

  it('resets an oversize request without answering it and keeps serving others', async () => {
    const big = await startHostile('big-request', { maxRequestBytes: 1024 * KiB });
    const err = await big.callExpectingError('request', {
      peerId: receiver.peerId,
      protocol: ECHO,
      padBytes: 200 * KiB,
    });
    expect(err).toMatchObject({ code: 'PEER_UNREACHABLE', reason: 'reset' });
    // The same peer with a request inside the cap is still answered: one offence is not a ban.
    expect(await big.call('request', { peerId: receiver.peerId, protocol: ECHO, body: 'small' })).toEqual({
      echo: 'small',
      from: big.peerId,
    });
    await honestStillServed('after an oversize request');
  });

  it('answers malformed JSON with a BAD_REQUEST error', async () => {
    const sloppy = await startHostile('malformed', {});
    for (const text of ['{"unterminated', 'not json at all', '']) {
      const err = await sloppy.callExpectingError('request-raw', { peerId: receiver.peerId, protocol: ECHO, text });
      expect(err).toMatchObject({ code: 'PEER_REFUSED', reason: 'remote', remoteCode: 'BAD_REQUEST' });
    }
    await honestStillServed('after malformed JSON');
  });

  it('rate-limits a gossip flooder, then bans and disconnects it while honest peers keep working', async () => {
    const flooder = await startHostile('gossip-flooder', {});
    await gossipGetsThrough(flooder, receiver, 'flooder warm-up');
    const before = receiver.messages.filter((m) => m.from === flooder.peerId).length;
    const flood = flooder.call<{ sent: number }>('flood', { topic: TOPIC, count: 400 }, 120_000);
    await gossipGetsThrough(honest, receiver, 'honest during the flood');
    expect((await flood).sent).toBeGreaterThan(0);
    await eventually(
      'the flooder banned',
      async () => (await receiver.call<{ banned: boolean }>('is-banned', { peerId: flooder.peerId })).banned,
    );
    await eventually('the flooder disconnected', async () => !(await connectedTo(receiver, flooder.peerId)));
    const delivered = receiver.messages.filter((m) => m.from === flooder.peerId).length - before;
    // Burst of 20 plus refill at 5/s during the flood; far fewer than the 400 sent.
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(100);
    await honestStillServed('after the gossip flood');

    // Banned: the receiver's gater refuses it. The dial itself may look fine from the flooder's side
    // (Noise completes for the dialer before the receiver learns who it is), but it never holds.
    await flooder.call('dial', { addr: receiver.addrs[0] }).catch(() => undefined);
    await eventually(
      'the flooder to lose the connection again',
      async () => !(await connectedTo(flooder, receiver.peerId)),
    );
    expect(await connectedTo(receiver, flooder.peerId)).toBe(false);
    const reqErr = await flooder.callExpectingError('request', {
      peerId: receiver.peerId,
      protocol: ECHO,
      body: {},
      timeoutMs: 5_000,
    });
    expect(reqErr.code).toBe('PEER_UNREACHABLE');
  });

  it('answers a request flood with RATE_LIMITED, then bans the flooder', async () => {
    const flooder = await startHostile('request-flooder', {});
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      try {
        await flooder.call('request', { peerId: receiver.peerId, protocol: ECHO, body: i, timeoutMs: 5_000 });
        outcomes.push('ok');
      } catch (err) {
        const data = (err as { data?: { remoteCode?: string; reason?: string } }).data;
        outcomes.push(data?.remoteCode ?? data?.reason ?? 'error');
      }
      if (outcomes.at(-1) !== 'ok' && outcomes.at(-1) !== 'RATE_LIMITED') break;
    }
    expect(outcomes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes).toContain('RATE_LIMITED');
    expect((await receiver.call<{ banned: boolean }>('is-banned', { peerId: flooder.peerId })).banned).toBe(true);
    await eventually('the request flooder disconnected', async () => !(await connectedTo(receiver, flooder.peerId)));
    await honestStillServed('after the request flood');
  });
});
