// A hostile identity peer in its own process: a bare p2p host that pushes whatever the test hands
// it on the identity topic, floods freshly signed junk identities, answers reconciliation with
// garbage and fetches with records nobody asked for. Driven over stdin/stdout, one JSON line each way.
import { createInterface } from 'node:readline';
import { sha256 } from '@noble/hashes/sha2.js';
import { addressOfKey } from '../../../src-shared/identity/compact.ts';
import { buildProfilePayload, didOf } from '../../../src-shared/identity/profile.ts';
import { FETCH_PROTOCOL, IDENTITY_TOPIC, RECONCILE_PROTOCOL } from '../../../src-shared/identity/replication.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../../../src-shared/identity/verify.ts';
import { createP2pHost } from '../../../src-main/p2p/host.ts';

type Command = { id: number; cmd: string } & Record<string, unknown>;
const send = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
const enc = new TextEncoder();

function junkProfile(n: number): string {
  const signer = keySigner(sha256(enc.encode(`hostile junk ${process.pid} ${n}`)));
  const address = addressOfKey(signer.publicKey);
  const payload = buildProfilePayload(didOf(address), Date.now(), { name: `junk ${n}` });
  return signDidIsJws(didIsHeaderJson(address), payload, signer);
}

async function main(): Promise<void> {
  const host = createP2pHost({ dataDir: process.argv[2]!, limits: { inboundConnectionsPerHostPerSec: 1000 } });
  let fetchAnswer: unknown = { v: 1, records: [] };
  let reconcileAnswer: unknown = { v: 1, r: [] };
  await host.handleRequest(FETCH_PROTOCOL, async () => fetchAnswer);
  await host.handleRequest(RECONCILE_PROTOCOL, async () => reconcileAnswer);
  await host.start();
  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    dial: async (c) => ({ peerId: await host.dial(String(c.addr)) }),
    peers: async () => host.peers().map((p) => p.peerId),
    /** Pushes each text as it is on the identity topic; a ban cuts it off half way. */
    push: async (c) => {
      let sent = 0;
      for (const text of c.texts as string[]) {
        try {
          await host.publish(IDENTITY_TOPIC, enc.encode(text));
          sent++;
        } catch {
          // cut off: what the test wants to see
        }
        await new Promise((r) => setTimeout(r, Number(c.gapMs ?? 0)));
      }
      return { sent };
    },
    /** Signs `count` valid identities nobody asked for and pushes them as fast as it can. */
    flood: async (c) => {
      const texts = Array.from({ length: Number(c.count) }, (_, i) =>
        JSON.stringify({ v: 1, content: junkProfile(i) }),
      );
      return commands.push!({ ...c, texts });
    },
    answers: async (c) => {
      if (c.fetch !== undefined) fetchAnswer = c.fetch;
      if (c.reconcile !== undefined) reconcileAnswer = c.reconcile;
      return {};
    },
    junk: async (c) => ({ content: junkProfile(Number(c.n)) }),
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const c = JSON.parse(line) as Command;
      const cmd = commands[c.cmd];
      if (!cmd) return send({ id: c.id, ok: false, error: `unknown command ${c.cmd}` });
      cmd(c).then(
        (result) => send({ id: c.id, ok: true, result: result ?? null }),
        (err: unknown) => send({ id: c.id, ok: false, error: (err as Error).message }),
      );
    })
    .on('close', () => {
      void host.stop().finally(() => process.exit(0));
    });
  send({ event: 'ready', peerId: host.peerId, addrs: host.listenAddrs() });
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
