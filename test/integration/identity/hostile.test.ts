// Hostile peers against a real node (separate processes): every kind of bad record pushed on the
// identity topic is dropped and scored until the sender is banned, with nothing stored; a flood of
// valid junk identities is cut at the peer's budget; a catch-up partner that slips in records
// nobody asked for gets none stored. The node keeps serving honest peers throughout.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import profiles from '../../../src-shared/identity/fixtures/profiles.json' with { type: 'json' };
import { recordIdOf } from '../../../src-shared/identity/records.ts';
import { wireId } from '../../../src-shared/identity/replication.ts';
import { nodeBinary } from '../../support/p2p-proc.ts';
import { IdNode, until } from './id-node.ts';

class Hostile {
  readonly child: ChildProcessWithoutNullStreams;
  peerId = '';
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.child = spawn(nodeBinary(), [path.join(import.meta.dirname, 'hostile-peer.ts'), dir], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    this.child.stderr.resume();
    let ready!: () => void;
    this.ready = new Promise((r) => (ready = r));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as {
        id?: number;
        ok?: boolean;
        result?: unknown;
        error?: string;
        event?: string;
        peerId?: string;
      };
      if (m.event === 'ready') {
        this.peerId = m.peerId!;
        ready();
      } else if (m.id !== undefined) {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(m.error));
      }
    });
    this.child.once('exit', () => {
      for (const p of this.#pending.values()) p.reject(new Error('the hostile peer exited'));
    });
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  stop(): void {
    this.child.stdin.end();
  }
}

const root = mkdtempSync(path.join(os.tmpdir(), 'hl-identity-hostile-'));
let node: IdNode;
const hostiles: Hostile[] = [];

async function hostile(name: string): Promise<Hostile> {
  const h = new Hostile(path.join(root, name));
  hostiles.push(h);
  await h.ready;
  await h.call('dial', { addr: node.addr });
  await until(`${name} connected`, async () => (await node.call('p2p.peers', {})).some((p) => p.peerId === h.peerId));
  // gossipsub grafts on its heartbeat (1 s)
  await new Promise((r) => setTimeout(r, 2500));
  return h;
}

const banned = async (h: Hostile) => !(await node.call('p2p.peers', {})).some((p) => p.peerId === h.peerId);
const records = async () => (await node.call('identity.sync.status', {})).records;

beforeAll(async () => {
  node = await IdNode.prepare(root, 'honest', { replication: { newPerPeer: { capacity: 20, refillPerSec: 0.2 } } });
  await node.start();
  await node.call('identity.create', { profile: { name: 'Honest' } });
}, 120_000);

afterAll(async () => {
  for (const h of hostiles) h.stop();
  await node?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** The did:is address a signed profile names (its payload's DID). */
function addressIn(jws: string): string {
  const payload = Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8');
  return /did:is:([A-Za-z0-9]+)/.exec(payload)![1]!;
}

describe('hostile identity peers', () => {
  it('every bad record pushed is dropped and scored until the sender is banned; nothing is stored', async () => {
    const before = await records();
    const h = await hostile('junk');
    const texts = [
      'not json',
      JSON.stringify({ v: 2, content: 'x' }),
      JSON.stringify({ v: 1, content: 'x'.repeat(33_000) }),
      ...profiles.invalid.map((f) => JSON.stringify({ v: 1, content: f.jws })),
    ];
    await h.call('push', { texts, gapMs: 50 });
    await until('the junk peer banned', () => banned(h), 30_000);
    expect(await records()).toBe(before);
    expect(node.logText()).toMatch(/identity: SIGNATURE_WRONG_KEY|identity: .*not a push message/);
  }, 120_000);

  it('a flood of valid new identities from one peer stops at its budget and gets it banned', async () => {
    const before = await records();
    const h = await hostile('flood');
    await h.call('flood', { count: 150, gapMs: 10 });
    await until('the flooder banned', () => banned(h), 30_000);
    const stored = (await records()) - before;
    expect(stored).toBeGreaterThanOrEqual(15);
    expect(stored).toBeLessThanOrEqual(30);
  }, 180_000);

  it('a catch-up partner that answers with records nobody asked for gets none stored', async () => {
    const before = await records();
    const h = new Hostile(path.join(root, 'liar'));
    hostiles.push(h);
    await h.ready;
    const asked = (await h.call<{ content: string }>('junk', { n: 1 })).content;
    const sneaked = (await h.call<{ content: string }>('junk', { n: 2 })).content;
    await h.call('answers', {
      reconcile: { v: 1, r: [[null, 2, [wireId(recordIdOf(asked)!)]]] },
      fetch: { v: 1, records: [{ content: sneaked }] },
    });
    await h.call('dial', { addr: node.addr });
    await until('the liar scored', async () => /not asked for/.test(node.logText()), 30_000);
    // Neither record is stored: looked up by its own address, not by a count that the previous
    // case's flood may still be moving.
    for (const content of [asked, sneaked]) {
      const address = addressIn(content);
      expect((await node.call('identity.list', { query: address })).items).toEqual([]);
    }
    expect(await records()).toBeGreaterThanOrEqual(before);
    // The node still serves: its own profile resolves.
    const mine = await node.call('identity.list', { mine: true });
    expect((await node.http('GET', `/1.0/identifiers/${mine.items[0]!.did}`)).status).toBe(200);
  }, 120_000);
});
