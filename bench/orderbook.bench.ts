// The order book's speed and a node's memory: operations per second of the pure book (add, best
// price, remove, depth, sweep) at 1,000 and 10,000 orders, and a node process (real p2p host and
// network book) holding 10,000 open orders, each validated (schema, terms, both signatures) as an
// announce: its heap and RSS growth and the validation rate. Writes bench/results/orderbook.json.
//   npx node bench/orderbook.bench.ts      or      npm run bench -- orderbook
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkOrderBook } from '../src-shared/orders/book-bench.ts';
import { BookProc } from './book-procs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 1024 * 1024;

export async function run(opts: { orders?: number; out?: string } = {}) {
  const orders = opts.orders ?? 10_000;
  const book = [1000, orders].map((n) => benchmarkOrderBook(n));
  const node = new BookProc(['--expose-gc']);
  let memory;
  try {
    await node.ready();
    const r = await node.call<{
      listed: number;
      size: number;
      ingestMs: number;
      heapBefore: number;
      heapAfter: number;
      rssBefore: number;
      rssAfter: number;
    }>('fill', { count: orders, from: 1 });
    if (r.size !== orders) throw new Error(`the node listed ${r.size} of ${orders} orders`);
    const total = await node.call<{ rss: number; heapUsed: number }>('memory');
    memory = {
      orders: r.size,
      heapGrowthMb: Math.round(((r.heapAfter - r.heapBefore) / MB) * 10) / 10,
      bytesPerOrder: Math.round((r.heapAfter - r.heapBefore) / orders),
      rssGrowthMb: Math.round(((r.rssAfter - r.rssBefore) / MB) * 10) / 10,
      processRssMb: Math.round((total.rss / MB) * 10) / 10,
      processHeapMb: Math.round((total.heapUsed / MB) * 10) / 10,
      validatedAnnouncesPerSec: Math.round((orders * 1000) / r.ingestMs),
    };
  } finally {
    await node.stop();
  }
  const result = { book, node: memory, measuredAt: new Date().toISOString() };
  const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'orderbook.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      addPerSec: book[1]!.addPerSec,
      sweepPerSec: book[1]!.sweepPerSec,
      heapMbFor10k: memory.heapGrowthMb,
      rssMb: memory.processRssMb,
      validatedPerSec: memory.validatedAnnouncesPerSec,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(), null, 2));
}
