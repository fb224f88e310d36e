// A lean identity node for the benchmarks, in its own process: the real p2p host and the real
// identity domain (registry with the native verifier, replication with reconciliation, the verify
// pool, the HTTP resolution route) over a SQLite file, without the other domains. Driven over
// stdin/stdout, one JSON line each way; reports the bytes of its identity traffic.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coinsForNetwork } from '../src-shared/coins/networks.ts';
import { buildProfilePayload, didOf } from '../src-shared/identity/profile.ts';
import { addressOfKey } from '../src-shared/identity/compact.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../src-shared/identity/verify.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { openStore } from '../src-main/store/index.ts';
import { IdentityConfig } from '../src-main/identity/config.ts';
import { m0001Identity } from '../src-main/identity/migrations/0001_identity.ts';
import { m0002NoDidIndex } from '../src-main/identity/migrations/0002_no_did_index.ts';
import { createIdentityRepo } from '../src-main/identity/repo.ts';
import { createIdentityNode } from '../src-main/identity/service.ts';
import { createP2pHost, type P2pHost } from '../src-main/p2p/host.ts';
import { createVault } from '../src-main/vault/index.ts';
import type { HttpRequest } from '../src-main/kernel/module.ts';
import { benchLog as log, send, serveCommands, type Command } from './json-proc.ts';

/** A profile signed by the bench key `n` at `iat`. */
export function benchProfile(n: number, iat: number): { content: string; key: Uint8Array; did: string } {
  const signer = keySigner(sha256(new TextEncoder().encode(`identity bench key ${n}`)));
  const address = addressOfKey(signer.publicKey);
  const did = didOf(address);
  const payload = buildProfilePayload(did, iat, {
    name: `Bench trader ${n}`,
    url: 'https://trader.example',
    image: 'https://trader.example/logo.png',
  });
  return { content: signDidIsJws(didIsHeaderJson(address), payload, signer), key: signer.publicKey, did };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { verifyThreads?: number };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashlock-bench-identity-'));
  const db = openStore(path.join(dataDir, 'node.sqlite'), {
    // The identity module's migrations (module.ts), all of them.
    schemas: [{ domain: 'identity', migrations: [m0001Identity, m0002NoDidIndex] }],
  });
  const repo = createIdentityRepo(db);
  const p2p = createP2pHost({ dataDir, limits: { inboundConnectionsPerHostPerSec: 1000 }, log });
  // Requests this node makes (counted here); the bytes are the host's own traffic counts below.
  const asked = { requests: 0 };
  const counted = new Proxy(p2p, {
    get(target, prop, receiver) {
      if (prop !== 'request') return Reflect.get(target, prop, receiver) as unknown;
      return (...args: Parameters<P2pHost['request']>) => {
        asked.requests++;
        return target.request(...args);
      };
    },
  }) as P2pHost;
  const coins = coinsForNetwork('devnet');
  const watch = { on: false };
  const node = createIdentityNode({
    repo,
    db,
    vault: createVault({ filePath: path.join(dataDir, 'vault.json') }),
    p2p: counted,
    coins,
    coin: (t) => coins.find((c) => c.ticker === t)!,
    rpcOf: () => undefined,
    config: IdentityConfig.parse({ verifyThreads: opts.verifyThreads ?? 2 }),
    log,
    now: Date.now,
    emit: { updated: () => undefined, sync: () => undefined },
  });
  const changes = { n: 0 };
  node.identities.onChanged((c) => {
    changes.n++;
    if (watch.on) send({ event: 'stored', did: c.did, t: Date.now() });
  });
  await p2p.start();
  await node.start();
  const resolveRoute = node.routes.find((r) => r.path === '/1.0/identifiers/:did')!;
  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    info: async () => ({ peerId: p2p.peerId, addrs: p2p.listenAddrs() }),
    dial: async (c) => ({ peerId: await p2p.dial(String(c.addr)) }),
    watch: async (c) => ((watch.on = c.on === true), {}),
    count: async () => ({
      records: repo.count(),
      status: node.handlers['identity.sync.status']!({}, { transport: 'internal' }),
    }),
    /**
     * Frame bytes of every identity request and answer, both ways (the host's traffic counts: what
     * this node asked and what it served). Counting them here by JSON.stringify cost the joining
     * node ~1.3 s of its main thread in a 100,000-record join.
     */
    bytes: async () => {
      const out = { out: 0, in: 0, requests: asked.requests };
      for (const b of p2p.traffic.snapshot().bytes)
        if (b.protocol.startsWith('/hashlock/identity/')) out[b.direction] += b.value;
      return out;
    },
    /** Records stored since start (a counter, cheaper to poll than a count of the table). */
    changes: async () => ({ changes: changes.n }),
    /** CPU time of this process, all its threads (the verify workers too), in ms. */
    cpu: async () => {
      const u = process.cpuUsage();
      return { userMs: u.user / 1000, systemMs: u.system / 1000 };
    },
    /** Signs and publishes `count` profiles, one every gapMs; returns when each was published. */
    publish: async (c) => {
      const out: Array<{ did: string; t: number }> = [];
      for (let i = 0; i < Number(c.count); i++) {
        const p = benchProfile(Number(c.from) + i, Date.now());
        const t = Date.now();
        const o = await node.handlers['identity.publish']!({ content: p.content }, { transport: 'internal' });
        out.push({ did: (o as { did: string }).did, t });
        await new Promise((r) => setTimeout(r, Number(c.gapMs ?? 0)));
      }
      return out;
    },
    /** Stores pre-signed records from a JSONL file as they are (the serving node's fixture). */
    seed: async (c) => {
      const lines = readFileSync(String(c.file), 'utf8').split('\n').filter(Boolean);
      const t0 = Date.now();
      repo.transaction(() => {
        for (const line of lines) {
          const r = JSON.parse(line) as {
            content: string;
            key: string;
            did: string;
            iat: number;
            id: string;
            name: string;
          };
          repo.put(
            {
              slot: r.did,
              did: r.did,
              kind: 'profile',
              target: null,
              iat: r.iat,
              tombstone: false,
              id: r.id,
              publicKey: Buffer.from(r.key, 'hex'),
              content: r.content,
              search: r.name.toLowerCase(),
              via: 'sync',
              peerId: null,
            },
            t0,
          );
        }
      });
      return { records: repo.count(), ms: Date.now() - t0 };
    },
    /** Times the DID resolution route for `samples` stored DIDs. */
    resolve: async (c) => {
      const dids = (
        db
          .prepare("SELECT did FROM identity_records WHERE kind = 'profile' ORDER BY random() LIMIT ?")
          .all(Number(c.samples)) as Array<{ did: string }>
      ).map((r) => r.did);
      const times: number[] = [];
      for (const did of dids) {
        const req: HttpRequest = {
          method: 'GET',
          params: { did },
          query: new URLSearchParams(),
          headers: {},
          body: '',
        };
        const t = performance.now();
        const reply = await resolveRoute.handle(req);
        JSON.stringify(reply.body);
        times.push(performance.now() - t);
        if (reply.status !== 200) throw new Error(`resolution of ${did} gave ${reply.status}`);
      }
      return times;
    },
  };
  serveCommands(commands, () => {
    void node
      .stop()
      .then(() => p2p.stop())
      .finally(() => process.exit(0));
  });
  send({ event: 'ready', peerId: p2p.peerId, addrs: p2p.listenAddrs() });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
