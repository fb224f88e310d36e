// A lean communities node for the benchmarks, in its own process: the real p2p host (libp2p,
// gossipsub, request protocols) and the real communities node on an in-memory store, with a test
// identity and an always-unlocked secret box instead of the vault. Driven over stdin/stdout, one
// JSON line each way; reports every message it shows (and every raw gossip message, for the
// comparison with bare gossipsub) with the time it saw it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommunitiesConfig } from '../src-main/communities/config.ts';
import { m0001Communities } from '../src-main/communities/migrations/0001_communities.ts';
import { createCommunitiesNode } from '../src-main/communities/service.ts';
import { testIdentities } from '../src-main/communities/testkit.ts';
import { createP2pHost } from '../src-main/p2p/host.ts';
import { openStore } from '../src-main/store/index.ts';
import { createSecretBox } from '../src-main/vault/secret-box.ts';
import { benchLog, LOOPBACK_MESH_LIMITS, send, serveCommands, type Command } from './json-proc.ts';

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'member';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashlock-bench-cm-'));
  const host = createP2pHost({
    dataDir,
    log: benchLog,
    limits: LOOPBACK_MESH_LIMITS,
  });
  const db = openStore(':memory:', { schemas: [{ domain: 'communities', migrations: [m0001Communities] }] });
  const box = createSecretBox(() => new Uint8Array(32).fill(9));
  const identities = testIdentities([name]);
  const node = await createCommunitiesNode({
    db,
    dataDir,
    p2p: host,
    vault: { status: () => 'unlocked', secretBox: () => box, onStateChange: () => () => undefined },
    identities,
    config: CommunitiesConfig.parse({ storage: { enabled: process.env.BENCH_STORAGE === '1' } }),
    log: benchLog,
    emit: (event, data) => {
      if (event === 'communities.message') {
        const m = (data as { message: { text: string; pending?: boolean } }).message;
        if (!m.pending) send({ event: 'shown', text: m.text, t: Date.now() });
      }
    },
  });
  await host.start();
  await node.start();
  const h = node.handlers;
  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    info: async () => ({ peerId: host.peerId, addrs: host.listenAddrs() }),
    dial: async (c) => ({ peerId: await host.dial(c.addr as string) }),
    create: async (c) => h['communities.create']({ name: c.name as string }),
    invite: async (c) => h['communities.invite']({ id: c.community as string }),
    join: async (c) => {
      const s = await h['communities.join']({ link: c.link as string });
      const until = Date.now() + 120_000;
      while ((await h['communities.get']({ id: s.id })).state !== 'joined') {
        if (Date.now() > until) throw new Error('not admitted in 120 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      return s;
    },
    members: async (c) => (await h['communities.get']({ id: c.community as string })).members,
    count: async (c) =>
      (await h['communities.messages']({ id: c.community as string, channel: 'general', limit: 500 })).messages.length,
    /** Sends `count` messages `gapMs` apart; answers with each text and the time it was handed to the node. */
    sendMany: async (c) => {
      const sent: Array<{ text: string; t: number }> = [];
      for (let i = 0; i < (c.count as number); i++) {
        const text = `${c.prefix as string}${i}`;
        const t = Date.now();
        await h['communities.send']({ id: c.community as string, channel: 'general', text });
        sent.push({ text, t });
        if ((c.gapMs as number) > 0) await new Promise((r) => setTimeout(r, c.gapMs as number));
      }
      return sent;
    },
    rawSub: async (c) => {
      host.subscribe(c.topic as string, (m) =>
        send({ event: 'raw', text: new TextDecoder().decode(m.data).replace(/\.+$/, ''), t: Date.now() }),
      );
      return true;
    },
    rawPub: async (c) => {
      const sent: Array<{ text: string; t: number }> = [];
      for (let i = 0; i < (c.count as number); i++) {
        const text = `${c.prefix as string}${i}`;
        const t = Date.now();
        await host.publish(c.topic as string, new TextEncoder().encode(text.padEnd(c.bytes as number, '.')));
        sent.push({ text, t });
        await new Promise((r) => setTimeout(r, c.gapMs as number));
      }
      return sent;
    },
  };
  send({ event: 'ready', peerId: host.peerId, addrs: host.listenAddrs() });
  serveCommands(commands, () => {
    void node
      .stop()
      .then(() => host.stop())
      .finally(() => process.exit(0));
  });
}

await main();
