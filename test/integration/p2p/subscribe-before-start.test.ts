// Services subscribe to their gossip topics while the node is being composed, before the host
// starts; the subscription must take effect at start and deliver messages.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createP2pHost, type P2pHost } from '../../../src-main/p2p/host.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';

const hosts: P2pHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
});

it('a topic subscribed before start receives gossip once started', async () => {
  const make = () => {
    const h = createP2pHost({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'hl-p2p-early-')) });
    hosts.push(h);
    return h;
  };
  const a = make();
  const b = make();
  const got: string[] = [];
  b.subscribe('early', (m) => got.push(new TextDecoder().decode(m.data)));
  a.subscribe('early', () => {});
  await a.start();
  await b.start();
  await b.dial(a.listenAddrs()[0]!);
  await waitFor(
    async () => {
      await a.publish('early', new TextEncoder().encode('hello'));
      return got.includes('hello');
    },
    { timeoutMs: 20_000, intervalMs: 500, what: 'gossip on a topic subscribed before start' },
  );
  expect(got).toContain('hello');
});
