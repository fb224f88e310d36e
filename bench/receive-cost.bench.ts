// The cost of one order announce on the gossip receive path, in this process, split by stage:
// the network book fed through its real gossip check and handler (type peek, rate limit, decode,
// checks, both signatures; listing after gossipsub's forward) with the verifier the app uses, and each stage alone on the same
// messages. CPU µs per announce; writes bench/results/receive-cost.json.
//   npx node bench/receive-cost.bench.ts      or      npm run bench -- receive-cost
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexToBytes } from '@noble/hashes/utils.js';
import { digestHex, secp256k1Verifier, signingPayload, type Verifier } from '../src-shared/protocol/canonical.ts';
import { decodeOrderMessage, encodeOrderMessage } from '../src-shared/protocol/orders.ts';
import {
  computeOrderId,
  ORDER_SIG_TYPE,
  ORDER_SN_SIG_TYPE,
  orderTermsBody,
  serviceNodeBody,
} from '../src-shared/orders/order.ts';
import { SERVICE_NODE } from '../src-shared/orders/testkit.ts';
import { validateOrderAnnounce, type KnownServiceNode } from '../src-shared/orders/validate.ts';
import type { Order } from '../src-shared/orders/types.ts';
import { BOOK_MESSAGES } from '../src-main/orders/book-ingest.ts';
import { createNetworkBook } from '../src-main/orders/network-book.ts';
import { gossipType } from '../src-main/orders/net.ts';
import { orderVerifier } from '../src-main/orders/verifier.ts';
import { stubBookHost } from '../src-main/orders/stub-host.ts';
import type { GossipMessage } from '../src-main/p2p/index.ts';
import { benchOrder } from './book-node.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MARKET = { base: 'DEVA', quote: 'DEVB' };
const FROM = '12D3KooWBenchOriginBenchOriginBenchOriginBenchOrigin';

const us = (ms: number, n: number) => Math.round((ms * 1000) / n);

/** A network book on a stub host that hands back its gossip check and handler. */
function bookWithHandler(verifier: Verifier | undefined) {
  const { p2p, gossip } = stubBookHost();
  const known = new Map<string, KnownServiceNode>([[SERVICE_NODE.pubkey, { coins: ['DEVA', 'DEVB'] }]]);
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const book = createNetworkBook({
    p2p,
    log: silent,
    now: Date.now,
    scorer: { refused: () => undefined, flooding: () => undefined },
    markets: [MARKET],
    offlineAfterMs: 3_600_000,
    sweepMs: 3_600_000,
    serviceNodes: () => known,
    announcesPerPeer: { capacity: 1_000_000, refillPerSec: 1_000_000 },
    maxOrdersPerMaker: 1_000_000,
    ...(verifier ? { verifier } : {}),
  });
  return { book, known, handler: () => gossip.handler!, check: () => gossip.check! };
}

/**
 * CPU time (user + system, ms) of f over 0..n-1: on a shared machine the wall clock counts the
 * time other processes ran; this counts this thread's work (the process has no other busy thread).
 */
function time(n: number, f: (i: number) => unknown): number {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) f(i);
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** µs per announce for each stage and for the whole gossip path, with `verifier` (default: the book's own). */
async function measure(wires: Uint8Array[], orders: Order[], verifier: Verifier | undefined, label: string) {
  const n = wires.length;
  const v = verifier ?? secp256k1Verifier;
  const { book, known, handler, check } = bookWithHandler(verifier);
  await book.start();
  const deliver = handler();
  const gossipCheck = check();
  const stage = {
    typePeek: us(
      time(n, (i) => gossipType(wires[i]!, BOOK_MESSAGES)),
      n,
    ),
    decode: us(
      time(n, (i) => decodeOrderMessage(wires[i]!, 'order.announce')),
      n,
    ),
    orderId: us(
      time(n, (i) => computeOrderId(orders[i]!)),
      n,
    ),
    serviceNodeDigest: us(
      time(n, (i) => {
        const sn = orders[i]!.serviceNode;
        return digestHex(ORDER_SN_SIG_TYPE, serviceNodeBody(orders[i]!.id, sn.pubkey, sn.signedAt));
      }),
      n,
    ),
    makerVerify: us(
      time(n, (i) => {
        const o = orders[i]!;
        const sig = hexToBytes(o.makerSig);
        const key = hexToBytes(o.maker.pubkey);
        return v.verifyPayload
          ? v.verifyPayload(sig, signingPayload(ORDER_SIG_TYPE, orderTermsBody(o)), key)
          : v.verifyDigest(sig, hexToBytes(o.id), key);
      }),
      n,
    ),
    validate: us(
      time(n, (i) =>
        validateOrderAnnounce(wires[i]!, {
          now: Date.now(),
          seen: { lastSeq: () => undefined, orderStatus: () => undefined },
          knownServiceNodes: known,
          markets: new Set(['DEVA/DEVB']),
          ...(verifier ? { verifier } : {}),
        }),
      ),
      n,
    ),
  };
  const before = book.size();
  const messages: GossipMessage[] = wires.map((data) => ({ from: FROM, data, topic: 'bench' }));
  // What gossipsub waits for before it forwards: the check (in its validation) and the delivery call.
  const beforeForward = us(
    time(n, (i) => {
      if (gossipCheck(messages[i]!) === 'accept') deliver(messages[i]!);
    }),
    n,
  );
  // The listing, which delivery left for after the forward (microtasks).
  const t = process.cpuUsage();
  await Promise.resolve();
  const d = process.cpuUsage(t);
  const afterForward = us((d.user + d.system) / 1000, n);
  book.stop();
  if (book.size() - before !== n) throw new Error(`${label}: listed ${book.size() - before} of ${n}`);
  return {
    verifier: label,
    perAnnounceUs: beforeForward + afterForward,
    beforeForwardUs: beforeForward,
    listingAfterForwardUs: afterForward,
    stageUs: stage,
  };
}

export async function run(opts: { announces?: number; out?: string } = {}) {
  const n = opts.announces ?? 300;
  const wireObjs = Array.from({ length: n }, (_, i) => benchOrder(i + 1, 200 + (i % 50) * 2));
  const wires = wireObjs.map((w) => encodeOrderMessage(w as { type: 'order.announce' }));
  const orders = wires.map((w) => {
    const d = decodeOrderMessage(w, 'order.announce');
    if (!d.ok) throw new Error(d.message);
    return d.msg.order;
  });
  // Warm up the JIT (and the native key cache) on the same path, unmeasured.
  await measure(wires.slice(0, 50), orders.slice(0, 50), orderVerifier(), 'warm-up');
  const results = [];
  results.push(await measure(wires, orders, undefined, 'noble (src-shared default)'));
  results.push(await measure(wires, orders, orderVerifier(), 'main (native)'));
  const result = {
    announces: n,
    bytesPerAnnounce: wires[0]!.length,
    results,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    cpus: os.cpus().length,
    measuredAt: new Date().toISOString(),
  };
  const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'receive-cost.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: Object.fromEntries(results.map((r) => [r.verifier, `${r.perAnnounceUs} µs`])),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(), null, 2));
}
