// One esbuild setup for every bundle of the node's code: the Electron main process
// (dist/electron), the node and CLI that bin/hashlock runs (dist/node), and the integration tests'
// node entry (dist/test-node). A bundle is one file to load instead of ~1,800 modules to resolve:
// a node starts on ~1.4 CPU-s instead of ~3 (docs/architecture.md, "The node runs bundled").
//
// Each bundle folder also holds verify-worker.js, the identity verify pool's worker, which the
// pool finds beside the bundle it runs in (src-main/identity/verify-pool.ts).
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export const NODE_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native modules load their binary at run time; electron is the runtime itself.
  external: ['electron', 'better-sqlite3'],
  format: 'esm',
  // ESM bundles of CommonJS dependencies need a require of their own.
  banner: {
    js: "import { createRequire as __hlCreateRequire } from 'node:module'; const require = __hlCreateRequire(import.meta.url);",
  },
};

/** The identity verify pool's worker entry, bundled beside every node bundle. */
const VERIFY_WORKER_ENTRY = 'src-main/identity/verify-worker.ts';

/**
 * Bundles `entries` (output name → source, relative to the repository) into `outdir`. Files are
 * written under temporary names and renamed into place, the first entry's last, so a process
 * starting meanwhile loads either the old bundle or the new one, never half of one. The first
 * entry's file gets the build's start time as its mtime: a source saved during the build stays
 * newer than the bundle, and bin/hashlock builds again.
 */
export async function bundleNode(outdir: string, entries: Record<string, string>): Promise<void> {
  const startedSec = Date.now() / 1000;
  const names = Object.keys(entries);
  const result = await build({
    ...NODE_BUNDLE_OPTIONS,
    absWorkingDir: ROOT,
    entryPoints: { ...entries, 'verify-worker': VERIFY_WORKER_ENTRY },
    outdir,
    write: false,
  });
  mkdirSync(outdir, { recursive: true });
  const first = path.join(outdir, `${names[0]}.js`);
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === first) - Number(b.path === first));
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    if (f.path === first) utimesSync(tmp, startedSec, startedSec);
    renameSync(tmp, f.path);
  }
}

/** dist/node: the node and CLI bin/hashlock runs (cli.js), with its verify worker. */
export function bundleNodeCli(): Promise<void> {
  return bundleNode(path.join(ROOT, 'dist', 'node'), { cli: 'src-main/cli/main.ts' });
}
