// A p2p host in its own Node process, driven by test/support/p2p-proc.ts over a line-based JSON
// control protocol: one command per stdin line `{id, cmd, ...args}`, one reply per stdout line
// `{id, ok, result|error}`, plus unsolicited `{event: ...}` lines. Logs go to stderr.
import { createInterface } from 'node:readline';
import { ApiError } from '../../../src-shared/api/errors.ts';
import { createP2pHost, peerFailure, type P2pHostOptions } from '../../../src-main/p2p/host.ts';

type Command = { id: number; cmd: string } & Record<string, unknown>;

function send(line: unknown): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function errorData(err: unknown): unknown {
  const failure = peerFailure(err);
  if (failure && err instanceof ApiError)
    return {
      name: err.name,
      code: err.code,
      message: err.message,
      reason: failure.reason,
      remoteCode: failure.remoteCode,
    };
  if (err instanceof ApiError) return { name: err.name, code: err.code, message: err.message };
  return { name: (err as Error).name, message: (err as Error).message };
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new Error(`${what} must be a string`);
  return v;
};
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
/** A protocol's own frame caps, when the command names them. */
const frameCaps = (c: Record<string, unknown>) => ({
  ...(typeof c.maxRequestBytes === 'number' ? { maxRequestBytes: c.maxRequestBytes } : {}),
  ...(typeof c.maxResponseBytes === 'number' ? { maxResponseBytes: c.maxResponseBytes } : {}),
});

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as P2pHostOptions;
  const write =
    (level: string) =>
    (msg: string, data?: Record<string, unknown>): void => {
      process.stderr.write(`[host ${level}] ${msg}${data === undefined ? '' : ` ${JSON.stringify(data)}`}\n`);
    };
  const host = createP2pHost({ ...config, log: { info: write('info'), warn: write('warn') } });
  await host.start();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    info: async () => ({ peerId: host.peerId, addrs: host.listenAddrs() }),
    dial: async (c) => ({
      peerId: await host.dial(Array.isArray(c.addrs) ? (c.addrs as string[]) : str(c.addr, 'addr')),
    }),
    peers: async () => host.peers(),
    addrs: async () => host.listenAddrs(),
    reachability: async () => host.reachability(),
    'known-addrs': async (c) => host.knownAddrs(str(c.peerId, 'peerId')),
    // `full`: each message's whole text (to replay it), not only its first 200 bytes.
    subscribe: async (c) => {
      const topic = str(c.topic, 'topic');
      const shown = c.full === true ? Infinity : 200;
      host.subscribe(topic, (msg) => {
        send({
          event: 'message',
          topic: msg.topic,
          from: msg.from,
          size: msg.data.length,
          text: decoder.decode(msg.data.subarray(0, shown)),
        });
      });
      return { topic };
    },
    publish: async (c) => {
      const text = typeof c.text === 'string' ? c.text : 'x'.repeat(num(c.size, 1));
      return host.publish(str(c.topic, 'topic'), encoder.encode(text));
    },
    // Publishes as fast as the host allows; the sender has no outbound limit, only receivers do.
    flood: async (c) => {
      const topic = str(c.topic, 'topic');
      const count = num(c.count, 100);
      let sent = 0;
      for (let i = 0; i < count; i++) {
        try {
          await host.publish(topic, encoder.encode(`flood ${i} ${Date.now()}`));
          sent++;
        } catch {
          // keep flooding: connection loss is the point of the test
        }
      }
      return { sent };
    },
    // Publishes the given texts in turn; one cut off half way stops counting, not the loop.
    'publish-many': async (c) => {
      const topic = str(c.topic, 'topic');
      let sent = 0;
      for (const text of c.texts as string[]) {
        try {
          await host.publish(topic, encoder.encode(text));
          sent++;
        } catch {
          // cut off half way: that is what the test wants to see
        }
      }
      return { sent };
    },
    'handle-echo': async (c) => {
      await host.handleRequest(str(c.protocol, 'protocol'), async (req, ctx) => ({ echo: req, from: ctx.peerId }), {
        overRelay: c.overRelay === true,
        ...frameCaps(c),
      });
      return {};
    },
    request: async (c) => {
      const body = typeof c.padBytes === 'number' ? { pad: 'p'.repeat(c.padBytes) } : c.body;
      return host.request(str(c.peerId, 'peerId'), str(c.protocol, 'protocol'), body, {
        timeoutMs: num(c.timeoutMs, 10_000),
        overRelay: c.overRelay === true,
        ...frameCaps(c),
      });
    },
    'request-raw': async (c) =>
      host.requestRaw(str(c.peerId, 'peerId'), str(c.protocol, 'protocol'), encoder.encode(str(c.text, 'text')), {
        timeoutMs: num(c.timeoutMs, 10_000),
      }),
    ban: async (c) => {
      await host.ban(str(c.peerId, 'peerId'), 'test', num(c.ms, 60_000));
      return {};
    },
    'is-banned': async (c) => ({ banned: host.isBanned(str(c.peerId, 'peerId')) }),
    stop: async () => {
      await host.stop();
      setImmediate(() => process.exit(0));
      return {};
    },
  };

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let command: Command;
    try {
      command = JSON.parse(line) as Command;
    } catch {
      process.stderr.write(`bad control line: ${line}\n`);
      return;
    }
    const run = commands[command.cmd];
    if (run === undefined) {
      send({ id: command.id, ok: false, error: { name: 'Error', message: `unknown command ${command.cmd}` } });
      return;
    }
    run(command).then(
      (result) => {
        send({ id: command.id, ok: true, result: result ?? null });
      },
      (err: unknown) => {
        send({ id: command.id, ok: false, error: errorData(err) });
      },
    );
  });
  // The test runner died or closed our stdin: never outlive it.
  rl.on('close', () => {
    void host.stop().finally(() => process.exit(0));
  });
  send({ event: 'ready', peerId: host.peerId, addrs: host.listenAddrs() });
}

main().catch((err: unknown) => {
  send({ event: 'fatal', error: errorData(err) });
  process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
