// What one atomic swap costs: two real nodes (separate processes) swap on two real Litecoin
// regtest chains, with a block mined the moment a transaction reaches a mempool. Reports the wall
// time of a whole swap (swaps.start until both sides completed) with and without the time spent
// inside the mining calls, and the nodes' CPU time per swap (process.cpuUsage via swaps.stats,
// polling and API included). Writes bench/results/swap.json.
//   npx node bench/swap.bench.ts      or      npm run bench -- swap
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COIN, DevNet, type DevNode } from '../test/support/dev-node.ts';
import { autoMine } from '../test/support/regtest.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET_MS = 2000;

export interface SwapBenchOptions {
  /** Measured swaps (one more runs first, unmeasured, to warm up). */
  swaps?: number;
  /** The nodes' chain poll interval. */
  pollMs?: number;
  out?: string;
}

interface Stats {
  min: number;
  median: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { min: r(s[0] ?? 0), median: r(s[Math.floor(s.length / 2)] ?? 0), max: r(s[s.length - 1] ?? 0) };
}

async function cpuMs(node: DevNode): Promise<number> {
  const s = await node.call('swaps.stats', {});
  return (s.cpuUserMicros + s.cpuSystemMicros) / 1000;
}

async function untilTerminal(node: DevNode, swapId: string): Promise<void> {
  for (;;) {
    // The taker knows the swap only once the proposal reached it.
    const s = await node.call('swaps.get', { swapId }).catch((err: { code?: string }) => {
      if (err.code === 'NOT_FOUND') return undefined;
      throw err;
    });
    if (s?.terminal) {
      if (s.outcome !== 'completed')
        throw new Error(`${node.name}: swap ended ${s.outcome} (${s.reason?.message ?? ''})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function run(opts: SwapBenchOptions = {}) {
  const count = opts.swaps ?? 5;
  const pollMs = opts.pollMs ?? 50;
  const net = new DevNet();
  try {
    await net.start();
    const dev = net.dev;
    const swaps = { pollMs };
    const [maker, taker] = await Promise.all([
      net.node('maker', { config: { swaps }, funds: { DEVA: 50n * COIN } }),
      net.node('taker', { config: { swaps }, funds: { DEVB: 50n * COIN } }),
    ]);
    await maker.call('p2p.dial', { addr: taker.addr });

    const runs: Array<{
      wallMs: number;
      miningMs: number;
      cpuMs: { maker: number; taker: number };
      blocks: { DEVA: number; DEVB: number };
    }> = [];
    for (let i = 0; i <= count; i++) {
      const cpu0 = { maker: await cpuMs(maker), taker: await cpuMs(taker) };
      const miner = autoMine(dev, 5);
      const t0 = performance.now();
      await taker.call('swaps.allow', {
        peerId: maker.peerId,
        sell: { ticker: 'DEVB', amount: '2' },
        buy: { ticker: 'DEVA', amount: '1' },
      });
      const { swapId } = await maker.call('swaps.start', {
        peerId: taker.peerId,
        sell: { ticker: 'DEVA', amount: '1' },
        buy: { ticker: 'DEVB', amount: '2' },
      });
      await Promise.all([untilTerminal(maker, swapId), untilTerminal(taker, swapId)]);
      const wallMs = performance.now() - t0;
      await miner.stop();
      const cpu1 = { maker: await cpuMs(maker), taker: await cpuMs(taker) };
      if (i === 0) continue; // warm-up
      runs.push({
        wallMs,
        miningMs: miner.miningMs,
        cpuMs: { maker: cpu1.maker - cpu0.maker, taker: cpu1.taker - cpu0.taker },
        blocks: { ...miner.blocks },
      });
    }

    const wall = stats(runs.map((r) => r.wallMs));
    const result = {
      when: new Date().toISOString(),
      swaps: count,
      pollMs,
      targetMs: TARGET_MS,
      wallMs: wall,
      miningMs: stats(runs.map((r) => r.miningMs)),
      wallExcludingMiningMs: stats(runs.map((r) => r.wallMs - r.miningMs)),
      cpuMsPerSwap: { maker: stats(runs.map((r) => r.cpuMs.maker)), taker: stats(runs.map((r) => r.cpuMs.taker)) },
      blocksPerSwap: runs[0]?.blocks,
      runs: runs.map((r) => ({
        ...r,
        wallMs: Math.round(r.wallMs),
        miningMs: Math.round(r.miningMs),
        cpuMs: { maker: Math.round(r.cpuMs.maker), taker: Math.round(r.cpuMs.taker) },
      })),
      summary: {
        medianWallMs: wall.median,
        medianWallExcludingMiningMs: stats(runs.map((r) => r.wallMs - r.miningMs)).median,
        medianCpuMsPerSwap: {
          maker: stats(runs.map((r) => r.cpuMs.maker)).median,
          taker: stats(runs.map((r) => r.cpuMs.taker)).median,
        },
        underTarget: stats(runs.map((r) => r.wallMs - r.miningMs)).median < TARGET_MS,
      },
    };
    const out = opts.out ?? path.join(ROOT, 'bench', 'results', 'swap.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await net.cleanup();
  }
}

if (import.meta.main) {
  const r = await run();
  console.log(JSON.stringify(r.summary));
}
