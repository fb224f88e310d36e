// A lean order-network node for the benchmarks, in its own process: the real p2p host and the
// real network book (every announce size-, schema- and signature-checked before it is listed),
// with the test service node trusted directly instead of learnt from a registration. Driven over
// stdin/stdout, one JSON line each way; reports every order it lists with the time it listed it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { wireForm } from '../src-shared/protocol/canonical.ts';
import { encodeOrderMessage, marketTopic } from '../src-shared/protocol/orders.ts';
import { createOrder, signOrderAsServiceNode } from '../src-shared/orders/order.ts';
import { SERVICE_NODE, testKey } from '../src-shared/orders/testkit.ts';
import type { KnownServiceNode } from '../src-shared/orders/validate.ts';
import { createNetworkBook } from '../src-main/orders/network-book.ts';
import { createPeerScorer } from '../src-main/orders/net.ts';
import { orderVerifier } from '../src-main/orders/verifier.ts';
import { createP2pHost } from '../src-main/p2p/host.ts';
import { benchLog, LOOPBACK_MESH_LIMITS, send, serveCommands, type Command } from './json-proc.ts';

const MARKET = { base: 'DEVA', quote: 'DEVB' };
/** The raw-gossipsub baseline's topic: same host, no book, no validation beyond the host's own. */
export const RAW_TOPIC = '/hashlock/bench/raw/1';
const utf8 = new TextEncoder();

/** A raw baseline message: its id (`raw-<n>`) padded with spaces to `bytes`. */
function rawMessage(n: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes).fill(0x20);
  out.set(utf8.encode(`raw-${n}`));
  return out;
}
const rawId = (data: Uint8Array): string => new TextDecoder().decode(data.subarray(0, 32)).trimEnd();

/** A valid, service-node-signed order (test keys), unique by `n`, made now. */
export function benchOrder(n: number, makerIndex = 100): Record<string, unknown> {
  const maker = testKey(makerIndex);
  const now = Date.now();
  const side = n % 2 === 0 ? 'sell' : 'buy';
  const base = 10_000_000n + BigInt(n % 1000) * 10_000n;
  const quote = (base * BigInt(40 + (n % 20))) / 100n;
  const made = createOrder(
    {
      market: MARKET,
      side,
      baseAmount: base,
      quoteAmount: quote,
      partial: { allowed: false, minBase: base },
      maker: {
        peerId: '12D3KooWBenchBenchBenchBenchBenchBenchBenchBenchBench',
        pubkey: maker.pubkey,
        addresses: { payout: maker.address, refund: testKey(makerIndex + 1).address },
      },
      makerUtxos: [`${n.toString(16).padStart(64, '0')}:0`],
      createdAt: now,
      expiresAt: now + 3_600_000,
      nonce: n.toString(16).padStart(32, '0'),
    },
    maker.signer,
  );
  return wireForm({ type: 'order.announce', order: signOrderAsServiceNode(made, SERVICE_NODE.signer, now) }) as Record<
    string,
    unknown
  >;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashlock-bench-node-'));
  const host = createP2pHost({
    dataDir,
    log: benchLog,
    limits: LOOPBACK_MESH_LIMITS,
  });
  const known = new Map<string, KnownServiceNode>([[SERVICE_NODE.pubkey, { coins: ['DEVA', 'DEVB'] }]]);
  const book = createNetworkBook({
    p2p: host,
    log: benchLog,
    now: Date.now,
    scorer: createPeerScorer({ p2p: host }),
    markets: [MARKET],
    offlineAfterMs: 3_600_000,
    sweepMs: 60_000,
    serviceNodes: () => known,
    announcesPerPeer: { capacity: 1_000_000, refillPerSec: 1_000_000 },
    maxOrdersPerMaker: 1_000_000,
    verifier: orderVerifier(),
  });
  let report = true;
  /** Orders made ahead by `prepare`, by number, until `publish` sends them. */
  const prepared = new Map<number, Record<string, unknown>>();
  book.onEvent((e) => {
    if (e.type === 'listed' && report) send({ event: 'listed', orderId: e.order.id, t: Date.now() });
  });
  // The host first: its subscribe-before-start path does not join topics (gossipsub is not started then).
  await host.start();
  await book.start();
  host.subscribe(RAW_TOPIC, (m) => {
    if (report) send({ event: 'raw', id: rawId(m.data), t: Date.now() });
  });
  const commands: Record<string, (c: Command) => Promise<unknown>> = {
    info: async () => ({ peerId: host.peerId, addrs: host.listenAddrs() }),
    dial: async (c) => ({ peerId: await host.dial(c.addr as string) }),
    peers: async () => host.peers().length,
    /** CPU time of this process so far (user + system), in ms. */
    cpu: async () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    /**
     * Makes `count` orders from number `from` on and lists them here, for `publish` to send: making
     * one (keys and two signatures in JS) takes ~3 ms of CPU (~8 ms cold), which a pass should not
     * measure, as the raw pass makes nothing.
     */
    prepare: async (c) => {
      for (let i = 0; i < (c.count as number); i++) {
        const n = (c.from as number) + i;
        const wire = benchOrder(n);
        book.ingest('order.announce', wire, null);
        prepared.set(n, wire);
      }
      return prepared.size;
    },
    /** Publishes the prepared orders `from`… paced (made here if not prepared); answers with each id and the time it was sent. */
    publish: async (c) => {
      const sent: Array<{ id: string; t: number }> = [];
      for (let i = 0; i < (c.count as number); i++) {
        const n = (c.from as number) + i;
        const wire = prepared.get(n) ?? benchOrder(n);
        if (!prepared.delete(n)) book.ingest('order.announce', wire, null);
        const t = Date.now();
        await host.publish(
          marketTopic(MARKET.base, MARKET.quote),
          encodeOrderMessage(wire as { type: 'order.announce' }),
        );
        sent.push({ id: (wire.order as { id: string }).id, t });
        await new Promise((r) => setTimeout(r, c.gapMs as number));
      }
      return sent;
    },
    /** Publishes `count` raw messages of `bytes` bytes on the baseline topic, paced like `publish`. */
    rawPublish: async (c) => {
      const sent: Array<{ id: string; t: number }> = [];
      for (let i = 0; i < (c.count as number); i++) {
        const data = rawMessage((c.from as number) + i, c.bytes as number);
        const t = Date.now();
        await host.publish(RAW_TOPIC, data);
        sent.push({ id: rawId(data), t });
        await new Promise((r) => setTimeout(r, c.gapMs as number));
      }
      return sent;
    },
    /** The size of a bench announce on the wire. */
    announceBytes: async () => encodeOrderMessage(benchOrder(1) as { type: 'order.announce' }).length,
    /** Lists `count` orders made here (no network): the book of a busy market, for memory and speed. */
    fill: async (c) => {
      report = false;
      globalThis.gc?.();
      const before = process.memoryUsage();
      let ms = 0;
      let listed = 0;
      // In batches, so the orders waiting to be listed never weigh much in the measurement.
      for (let done = 0; done < (c.count as number); done += 500) {
        const batch = Array.from({ length: Math.min(500, (c.count as number) - done) }, (_, i) =>
          benchOrder((c.from as number) + done + i, 200 + ((done + i) % 50) * 2),
        );
        const started = performance.now();
        for (const wire of batch) if (book.ingest('order.announce', wire, null).ok) listed++;
        ms += performance.now() - started;
      }
      globalThis.gc?.();
      const after = process.memoryUsage();
      return {
        listed,
        size: book.size(),
        ingestMs: ms,
        heapBefore: before.heapUsed,
        heapAfter: after.heapUsed,
        rssBefore: before.rss,
        rssAfter: after.rss,
      };
    },
    memory: async () => {
      globalThis.gc?.();
      return process.memoryUsage();
    },
    /** V8's heap spaces after a full GC: committed (size) and resident (physical) bytes of each. */
    heapSpaces: async () => {
      globalThis.gc?.();
      return v8.getHeapSpaceStatistics().map((s) => ({
        space: s.space_name,
        size: s.space_size,
        used: s.space_used_size,
        physical: s.physical_space_size,
      }));
    },
  };
  serveCommands(commands, () => {
    book.stop();
    void host.stop().finally(() => process.exit(0));
  });
  send({ event: 'ready', peerId: host.peerId, addrs: host.listenAddrs() });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
