// For tests: registry nodes in one process over the fake p2p net (identity's), each with its own
// store, data dir and identities signing with throwaway keys, and an HTTP server whose routes a
// test writes (content, redirects, slow and endless bodies).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey } from '../../src-shared/identity/compact.ts';
import { keySigner } from '../../src-shared/identity/verify.ts';
import { openTestStore } from '../core/test-store.ts';
import type { LinkView } from '../../src-shared/identity/contract.ts';
import type { Identities } from '../identity/index.ts';
import { createFakeNet } from '../identity/index.ts';
import { silentLogger } from '../kernel/log.ts';
import { RegistryConfig } from './config.ts';
import { createRegistryRepo } from './repo.ts';
import { createRegistryNode } from './service.ts';

export function testPerson(label: string) {
  const signer = keySigner(sha256(new TextEncoder().encode(`registry test person: ${label}`)));
  const did = `did:is:${addressOfKey(signer.publicKey)}`;
  return { did, signer };
}

/** `links`: what this node's identity domain stores of any DID's links (the badges' source). */
function fakeIdentities(
  people: ReadonlyArray<ReturnType<typeof testPerson>>,
  links: Readonly<Record<string, LinkView[]>> = {},
): Identities {
  return {
    resolve: async () => undefined,
    mine: () =>
      people.map((p, index) => ({
        did: p.did,
        address: p.did.slice(7),
        scheme: 'wallet',
        index,
        label: null,
        current: undefined,
      })),
    sign(did, digest) {
      const p = people.find((x) => x.did === did);
      if (!p) throw new Error('not ours');
      return p.signer.signDigest(digest);
    },
    openMetadata: async () => undefined,
    links: (did) => links[did] ?? [],
    publish: async () => {
      throw new Error('the registry tests publish no identity records');
    },
    slot: () => undefined,
    onChanged: () => () => undefined,
  };
}

/** A libp2p-looking peer id (base58, 52 characters) from a short base58 name. */
export const fakePeerId = (name: string) => `12D3KooW${'A'.repeat(44 - name.length)}${name}`;

export function createTestNet(configInput: Record<string, unknown> = {}) {
  const net = createFakeNet();
  const dirs: string[] = [];
  const nodes: Array<ReturnType<typeof createRegistryNode>> = [];
  const events: Array<{ node: string; event: string; data: unknown }> = [];
  return {
    net,
    events,
    async node(
      name: string,
      people: ReadonlyArray<ReturnType<typeof testPerson>> = [],
      over: Record<string, unknown> = {},
      known: { links?: Readonly<Record<string, LinkView[]>> } = {},
    ) {
      const dataDir = mkdtempSync(join(tmpdir(), `registry-${name}-`));
      dirs.push(dataDir);
      const peerId = fakePeerId(name);
      const host = net.host(peerId);
      const repo = createRegistryRepo(openTestStore());
      const node = createRegistryNode({
        repo,
        identities: fakeIdentities(people, known.links),
        p2p: host,
        config: RegistryConfig.parse({ ...configInput, ...over }),
        dataDir,
        log: silentLogger,
        now: () => Date.now(),
        emit: {
          updated: (data) => events.push({ node: name, event: 'registry.updated', data }),
          bucket: (data) => events.push({ node: name, event: 'registry.bucketChanged', data }),
        },
      });
      await node.start();
      nodes.push(node);
      const h = node.handlers;
      /** Calls a handler as the API would (params already validated by the test's own typing). */
      const call = <K extends keyof typeof h>(method: K, params: Parameters<(typeof h)[K]>[0]) =>
        Promise.resolve().then(() =>
          (h[method] as (p: unknown, ctx: unknown) => unknown)(params, { transport: 'internal' }),
        ) as Promise<Awaited<ReturnType<(typeof h)[K]>>>;
      const blobDir = join(dataDir, 'registry', 'blobs');
      return { name, peerId, repo, node, call, dataDir, files: () => readdirSync(blobDir) };
    },
    async close() {
      for (const n of nodes.splice(0)) await n.stop();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An HTTP server on 127.0.0.1 whose routes the test sets and changes. */
export async function startContentServer() {
  const routes = new Map<string, RouteHandler>();
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const route = routes.get(req.url ?? '');
    if (route) return route(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: (path: string) => `http://${host}${path}`,
    route(path: string, handler: RouteHandler) {
      routes.set(path, handler);
    },
    bytes(path: string, body: Uint8Array, type = 'text/plain') {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
        res.end(body);
      });
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
