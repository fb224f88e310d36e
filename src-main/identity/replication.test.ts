// Replication between registries over in-process hosts: pushes reach connected peers; a node that
// was away catches up by reconciliation and fetches exactly what it lacks; tombstones win and old
// copies never resurrect; junk, unasked records and floods of new identities are dropped and scored.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/log.ts';
import { waitFor } from '../kernel/time.ts';
import {
  IDENTITY_TOPIC,
  FETCH_PROTOCOL,
  FETCH_PROTOCOL_V1,
  RECONCILE_PROTOCOL,
} from '../../src-shared/identity/replication.ts';
import { createFakeNet } from './fake-net.ts';
import { createReplication, type ReplicationOptions } from './replication.ts';
import { createVerifyPool } from './verify-pool.ts';
import { testIdentity, testRegistry } from './testkit.ts';

const enc = new TextEncoder();

function makeNode(net: ReturnType<typeof createFakeNet>, name: string, options?: Partial<ReplicationOptions>) {
  const t = testRegistry(() => Date.now());
  const p2p = net.host(name);
  const pool = createVerifyPool({
    size: 0,
    coins: [],
    inline: { verifier: t.verifier, keys: t.keys, chains: t.chains },
  });
  const replication = createReplication({
    p2p,
    repo: t.repo,
    registry: t.registry,
    pool,
    knownKey: (a) => t.keys.get(a),
    log: silentLogger,
    now: () => Date.now(),
    options,
  });
  return { ...t, p2p, replication, name };
}

const slots = (n: ReturnType<typeof makeNode>) =>
  n.db.prepare('SELECT slot, record_id FROM identity_records ORDER BY slot').all();

/** A node holding `count` profiles (labelled `label i`). */
function nodeWith(
  net: ReturnType<typeof createFakeNet>,
  name: string,
  count: number,
  label: string,
  options?: Partial<ReplicationOptions>,
) {
  const n = makeNode(net, name, options);
  n.repo.transaction(() => {
    for (let i = 0; i < count; i++) n.registry.ingest(testIdentity(`${label} ${i}`).profile(1), { via: 'api' });
  });
  return n;
}

describe('identity replication', () => {
  it('pushes our writes to connected peers, who store them as gossip', async () => {
    const net = createFakeNet();
    const a = makeNode(net, 'A');
    const b = makeNode(net, 'B');
    await a.replication.start();
    await b.replication.start();
    net.connect('A', 'B');
    const alice = testIdentity('push alice');
    a.registry.ingest(alice.profile(1), { via: 'self' });
    await waitFor(() => b.repo.get(alice.did), { timeoutMs: 2000, what: 'the push' });
    expect(b.repo.get(alice.did)).toMatchObject({ via: 'gossip', peerId: 'A', iat: 1 });
  });

  it('a node that was away catches up on creates, updates and deletes, fetching only what it lacks', async () => {
    const net = createFakeNet();
    const a = makeNode(net, 'A');
    const b = makeNode(net, 'B');
    await a.replication.start();
    await b.replication.start();
    const people = Array.from({ length: 60 }, (_, i) => testIdentity(`catch-up ${i}`));
    for (const p of people) b.registry.ingest(p.profile(1), { via: 'api' });
    for (const p of people) a.registry.ingest(p.profile(1), { via: 'api' });
    // While B is away: 10 updates, 5 deletes, 20 new identities.
    for (const p of people.slice(0, 10)) a.registry.ingest(p.profile(2), { via: 'api' });
    for (const p of people.slice(10, 15)) a.registry.ingest(p.tombstone(3), { via: 'api' });
    for (let i = 0; i < 20; i++) a.registry.ingest(testIdentity(`new ${i}`).profile(1), { via: 'api' });
    const r = await b.replication.syncWith('A').catch(() => undefined);
    expect(r).toBeUndefined(); // not connected yet: nothing happens
    net.connect('A', 'B');
    await waitFor(() => b.replication.status().peersReconciled > 0, { timeoutMs: 5000, what: 'the catch-up' });
    expect(slots(b)).toEqual(slots(a));
    expect(b.replication.status().recordsFetched).toBe(35);
  });

  it('an old profile never replaces a tombstone, whichever side has which', async () => {
    const net = createFakeNet();
    const a = makeNode(net, 'A');
    const b = makeNode(net, 'B');
    await a.replication.start();
    await b.replication.start();
    const bob = testIdentity('tombstone bob');
    a.registry.ingest(bob.tombstone(5), { via: 'api' });
    b.registry.ingest(bob.profile(4), { via: 'api' });
    net.connect('A', 'B');
    await waitFor(() => b.repo.get(bob.did)?.tombstone, { timeoutMs: 5000, what: 'the tombstone' });
    await a.replication.syncWith('B');
    expect(a.repo.get(bob.did)).toMatchObject({ tombstone: true, iat: 5 });
    expect(a.p2p.bans).toEqual([]);
  });

  it('scores peers that push junk until they are banned, storing none of it', async () => {
    const net = createFakeNet();
    const honest = makeNode(net, 'H');
    await honest.replication.start();
    const junk = net.host('J');
    net.connect('H', 'J');
    const alice = testIdentity('junk target');
    const forged = alice.profile(1).replace(/.{4}$/, 'AAAA');
    const pushes = [
      'not json',
      '{"v":1}',
      JSON.stringify({ v: 1, content: forged }),
      JSON.stringify({ v: 1, content: 'a.b.c' }),
    ];
    for (let i = 0; i < 8; i++) await junk.publish(IDENTITY_TOPIC, enc.encode(pushes[i % pushes.length]!));
    expect(honest.p2p.bans).toEqual(['J']);
    expect(honest.repo.count()).toBe(0);
  });

  it('drops and scores a flood of valid new identities from one peer beyond its budget', async () => {
    const net = createFakeNet();
    const honest = makeNode(net, 'H', { newPerPeer: { capacity: 10, refillPerSec: 0 } });
    await honest.replication.start();
    const flooder = net.host('F');
    net.connect('H', 'F');
    for (let i = 0; i < 40; i++) {
      const p = testIdentity(`flood ${i}`);
      await flooder.publish(IDENTITY_TOPIC, enc.encode(JSON.stringify({ v: 1, content: p.profile(1) })));
    }
    expect(honest.repo.count()).toBe(10);
    expect(honest.p2p.bans).toEqual(['F']);
  });

  it('refuses a fetch answer holding a record that was not asked for, and scores the peer', async () => {
    const net = createFakeNet();
    const b = makeNode(net, 'B', { resyncMs: 3_600_000 });
    const real = makeNode(net, 'R');
    const asked = testIdentity('asked');
    const sneaked = testIdentity('sneaked');
    real.registry.ingest(asked.profile(1), { via: 'api' });
    await real.replication.start();
    await b.replication.start();
    // The liar answers reconciliation truthfully (with R's set) but slips another record into its fetch answers.
    const liar = net.host('L');
    net.connect('L', 'R');
    await liar.handleRequest(RECONCILE_PROTOCOL, (req) => liar.request('R', RECONCILE_PROTOCOL, req));
    await liar.handleRequest(FETCH_PROTOCOL, async () => ({ v: 1, records: [{ content: sneaked.profile(1) }] }));
    net.connect('B', 'L');
    // 25 points per bad answer, decaying by 1 a second: the fifth crosses 100.
    for (let i = 0; i < 5 && !b.p2p.isBanned('L'); i++) await b.replication.syncWith('L');
    expect(b.p2p.bans).toEqual(['L']);
    expect(b.repo.get(sneaked.did)).toBeUndefined();
    expect(b.repo.get(asked.did)).toBeUndefined();
  });

  it('over several fetch batches, keeps what verified before a refused answer and asks at most the one fetch beside it', async () => {
    const net = createFakeNet();
    const b = makeNode(net, 'B', { resyncMs: 3_600_000, fetchBatch: 1024 });
    // 3,100 identities: four fetch batches of at most 1,024.
    const real = nodeWith(net, 'R', 3100, 'many');
    await real.replication.start();
    await b.replication.start();
    // The liar relays R truthfully, except that its second fetch answer holds a record not asked for.
    const liar = net.host('L');
    net.connect('L', 'R');
    const fetches: number[] = [];
    const sneaked = testIdentity('sneaked').profile(1);
    await liar.handleRequest(RECONCILE_PROTOCOL, (req) => liar.request('R', RECONCILE_PROTOCOL, req));
    let onWire = 0;
    let mostOnWire = 0;
    await liar.handleRequest(FETCH_PROTOCOL, async (req) => {
      const n = fetches.push((req as { ids: string[] }).ids.length);
      mostOnWire = Math.max(mostOnWire, ++onWire);
      await new Promise((r) => setTimeout(r, 50));
      const answer = (await liar.request('R', FETCH_PROTOCOL, req)) as { records: Array<{ content: string }> };
      onWire--;
      return n === 2 ? { v: 1, records: [...answer.records, { content: sneaked }] } : answer;
    });
    net.connect('B', 'L');
    await b.replication.syncWith('L');
    // Two fetches are on the wire at once: the third may have been asked beside the lying second,
    // never a fourth; nothing of the lying answer or after it is stored.
    expect(fetches.slice(0, 2)).toEqual([1024, 1024]);
    expect(fetches.length).toBeLessThanOrEqual(3);
    expect(mostOnWire).toBe(2);
    expect(b.repo.count()).toBe(1024);
  }, 60_000);

  it('a joining node fetches from the first reconciliation round on, not after the last', async () => {
    const net = createFakeNet();
    const b = makeNode(net, 'B', { resyncMs: 3_600_000, fetchBatch: 64 });
    // Answers of at most 2 KiB: about 40 ids each, so 300 identities take several rounds.
    const real = nodeWith(net, 'R', 300, 'rounds', { reconcileAnswerBytes: 2048 });
    await real.replication.start();
    await b.replication.start();
    // A relay that notes the order of what B asks.
    const relay = net.host('L');
    net.connect('L', 'R');
    const asked: string[] = [];
    await relay.handleRequest(RECONCILE_PROTOCOL, async (req) => {
      asked.push('reconcile');
      return relay.request('R', RECONCILE_PROTOCOL, req);
    });
    await relay.handleRequest(FETCH_PROTOCOL, async (req) => {
      asked.push('fetch');
      return relay.request('R', FETCH_PROTOCOL, req);
    });
    net.connect('B', 'L');
    const r = await b.replication.syncWith('L');
    expect(r).toEqual({ need: 300, stored: 300 });
    expect(asked.filter((x) => x === 'reconcile').length).toBeGreaterThan(3);
    expect(asked.indexOf('fetch')).toBeLessThan(asked.lastIndexOf('reconcile'));
    expect(slots(b)).toEqual(slots(real));
  }, 60_000);

  it('a reconciliation that turns hostile after fetching began keeps what verified, fails and scores the peer', async () => {
    const net = createFakeNet();
    const b = makeNode(net, 'B', { resyncMs: 3_600_000, fetchBatch: 32 });
    const real = nodeWith(net, 'R', 200, 'turns', { reconcileAnswerBytes: 2048 });
    await real.replication.start();
    await b.replication.start();
    const offences: string[] = [];
    const penalize = b.p2p.penalize.bind(b.p2p);
    b.p2p.penalize = (id, offence, detail) => {
      offences.push(`${id} ${offence}`);
      penalize(id, offence, detail);
    };
    const liar = net.host('L');
    net.connect('L', 'R');
    let rounds = 0;
    let fetched = 0;
    await liar.handleRequest(RECONCILE_PROTOCOL, async (req) => {
      // Its fourth answer, once B has fetched, is not a reconcile message.
      if (++rounds === 4) {
        await waitFor(() => fetched > 0, { timeoutMs: 5000, what: 'a first fetch' });
        return { v: 1, r: [[null, 7]] };
      }
      return liar.request('R', RECONCILE_PROTOCOL, req);
    });
    await liar.handleRequest(FETCH_PROTOCOL, async (req) => {
      const answer = await liar.request('R', FETCH_PROTOCOL, req);
      fetched++;
      return answer;
    });
    net.connect('B', 'L');
    await expect(b.replication.syncWith('L')).rejects.toMatchObject({ details: { reason: 'RECONCILE_INVALID' } });
    // What was fetched verified and is kept: real records of R, no fewer than were answered.
    expect(b.repo.count()).toBeGreaterThanOrEqual(32);
    expect(b.repo.count()).toBe(b.replication.status().recordsFetched);
    for (const row of slots(b) as Array<{ slot: string }>) expect(real.repo.get(row.slot)).toBeDefined();
    expect(offences).toEqual(['L malformed']);
    expect(b.replication.status().lastError).toMatch(/not a reconcile message/);
  }, 60_000);

  it('fetches from a peer that serves only fetch/1 in requests of at most 1,024 ids', async () => {
    const net = createFakeNet();
    const b = makeNode(net, 'B', { resyncMs: 3_600_000 });
    const real = makeNode(net, 'R');
    real.repo.transaction(() => {
      for (let i = 0; i < 2100; i++) real.registry.ingest(testIdentity(`old ${i}`).profile(1), { via: 'api' });
    });
    await real.replication.start();
    await b.replication.start();
    // An older node: reconcile and fetch/1 only (relayed to R).
    const old = net.host('O');
    net.connect('O', 'R');
    const fetches: number[] = [];
    await old.handleRequest(RECONCILE_PROTOCOL, (req) => old.request('R', RECONCILE_PROTOCOL, req));
    await old.handleRequest(FETCH_PROTOCOL_V1, async (req) => {
      fetches.push((req as { ids: string[] }).ids.length);
      return old.request('R', FETCH_PROTOCOL_V1, req);
    });
    net.connect('B', 'O');
    expect(await b.replication.syncWith('O')).toEqual({ need: 2100, stored: 2100 });
    expect(fetches).toEqual([1024, 1024, 52]);
    expect(b.p2p.bans).toEqual([]);
  }, 60_000);

  it('finds profiles by asking peers (restore scan, resolve)', async () => {
    const net = createFakeNet();
    const a = makeNode(net, 'A', { resyncMs: 3_600_000 });
    const b = makeNode(net, 'B', { resyncMs: 3_600_000 });
    const carol = testIdentity('lookup carol');
    a.registry.ingest(carol.profile(1), { via: 'api' });
    await a.replication.start();
    net.connect('A', 'B');
    await b.replication.start();
    expect(await b.replication.lookup([carol.did, testIdentity('nobody').did])).toBe(1);
    expect(b.repo.get(carol.did)?.via).toBe('sync');
  });
});
