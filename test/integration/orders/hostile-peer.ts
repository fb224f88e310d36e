// A hostile order-network peer in its own process: a bare p2p host that publishes whatever bytes
// the test hands it on any topic, floods, sends raw requests, and records every gossip message it
// sees in full (so a test can replay real ones). Driven over stdin/stdout, one JSON line each way.
import { createInterface } from 'node:readline';
import { createP2pHost, PeerRequestError } from '../../../src-main/p2p/host.ts';

type Command = { id: number; cmd: string } & Record<string, unknown>;
const send = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
const str = (v: unknown): string => {
  if (typeof v !== 'string') throw new Error('expected a string');
  return v;
};

async function main(): Promise<void> {
  const dataDir = str(process.argv[2]);
  const host = createP2pHost({ dataDir, limits: { inboundConnectionsPerHostPerSec: 1000 } });
  await host.start();
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    info: async () => ({ peerId: host.peerId, addrs: host.listenAddrs() }),
    dial: async (c) => ({ peerId: await host.dial(str(c.addr)) }),
    peers: async () => host.peers().map((p) => p.peerId),
    subscribe: async (c) => {
      host.subscribe(str(c.topic), (m) =>
        send({ event: 'message', topic: m.topic, from: m.from, text: dec.decode(m.data) }),
      );
      return {};
    },
    publish: async (c) => host.publish(str(c.topic), enc.encode(str(c.text))),
    'publish-many': async (c) => {
      let sent = 0;
      for (const text of c.texts as string[]) {
        try {
          await host.publish(str(c.topic), enc.encode(text));
          sent++;
        } catch {
          // cut off half way: that is what the test wants to see
        }
      }
      return { sent };
    },
    request: async (c) => host.request(str(c.peerId), str(c.protocol), c.body, { timeoutMs: 20_000 }),
    'request-raw': async (c) =>
      host.requestRaw(str(c.peerId), str(c.protocol), enc.encode(str(c.text)), { timeoutMs: 10_000 }),
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const c = JSON.parse(line) as Command;
      const run = commands[c.cmd];
      if (!run) return send({ id: c.id, ok: false, error: { message: `unknown command ${c.cmd}` } });
      run(c).then(
        (result) => send({ id: c.id, ok: true, result: result ?? null }),
        (err: unknown) =>
          send({
            id: c.id,
            ok: false,
            error: {
              message: (err as Error).message,
              code: (err as { code?: string }).code,
              reason: err instanceof PeerRequestError ? err.reason : undefined,
            },
          }),
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
