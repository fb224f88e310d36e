// The node bundle (scripts/bundle.ts) runs as the sources do: the CLI answers, finds the
// repository's package.json from where it lies, and the verify worker written beside it verifies
// and refuses as the pool's workers must. Built into a folder of its own at dist's depth.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coinsForNetwork } from '../src-shared/coins/networks.ts';
import { testIdentity } from '../src-main/identity/testkit.ts';
import { unpackResults, type PackedResults, type VerifyJob } from '../src-main/identity/verify-pool.ts';
import { bundleNode, ROOT } from './bundle.ts';

const OUT = path.join(ROOT, 'dist', `.bundle-test-${process.pid}`);
const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');

describe('the node bundle', () => {
  let builtAt = 0;
  beforeAll(async () => {
    builtAt = Date.now();
    await bundleNode(OUT, { cli: 'src-main/cli/main.ts' });
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('runs the CLI and reads the version from the repository it lies in', () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const out = execFileSync(NODE, [path.join(OUT, 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(version);
  });

  it("dates the entry's file to the build's start, so a source saved during the build stays newer", () => {
    const entry = statSync(path.join(OUT, 'cli.js')).mtimeMs;
    expect(entry).toBeGreaterThanOrEqual(builtAt - 1000);
    expect(entry).toBeLessThanOrEqual(statSync(path.join(OUT, 'verify-worker.js')).mtimeMs);
  });

  it('holds the verify worker beside it: valid records pass, a forged one is refused', async () => {
    const worker = new Worker(path.join(OUT, 'verify-worker.js'), { workerData: { coins: coinsForNetwork('devnet') } });
    try {
      const jobs: VerifyJob[] = Array.from({ length: 4 }, (_, i) => {
        const who = testIdentity(`bundle ${i}`);
        return { content: who.profile(100 + i), keyHint: who.signer.publicKey };
      });
      const [h, , s] = jobs[1]!.content.split('.') as [string, string, string];
      jobs.push({ content: `${h}.${jobs[2]!.content.split('.')[1]!}.${s}`, keyHint: jobs[1]!.keyHint });
      const answer = await new Promise<{ id: number; packed: PackedResults }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ id: 7, jobs });
      });
      expect(answer.id).toBe(7);
      const results = unpackResults(jobs, answer.packed);
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false]);
    } finally {
      await worker.terminate();
    }
  });
});
