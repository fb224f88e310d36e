// Bundles the Electron main process (ESM, with the identity verify worker beside it) and the
// sandboxed preload (CommonJS, as sandboxed preloads must be) into dist/electron.
import { build } from 'esbuild';
import path from 'node:path';
import { bundleNode, NODE_BUNDLE_OPTIONS, ROOT } from './bundle.ts';

const outdir = path.join(ROOT, 'dist/electron');
await bundleNode(outdir, { main: 'src-main/electron/main.ts' });
await build({
  ...NODE_BUNDLE_OPTIONS,
  absWorkingDir: ROOT,
  entryPoints: ['src-main/electron/preload.ts'],
  outfile: path.join(outdir, 'preload.cjs'),
  format: 'cjs',
  banner: {},
});
console.log('built dist/electron/main.js, verify-worker.js and preload.cjs');
