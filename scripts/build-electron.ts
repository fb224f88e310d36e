// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, as sandboxed
// preloads must be) into dist/electron. Native modules and electron stay external.
import { build, type BuildOptions } from 'esbuild';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3'],
};

await build({
  ...common,
  entryPoints: ['src-main/electron/main.ts'],
  outfile: 'dist/electron/main.js',
  format: 'esm',
  // ESM bundles of CommonJS dependencies need a require of their own.
  banner: {
    js: "import { createRequire as __hlCreateRequire } from 'node:module'; const require = __hlCreateRequire(import.meta.url);",
  },
});
await build({
  ...common,
  entryPoints: ['src-main/electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
});
console.log('built dist/electron/main.js and dist/electron/preload.cjs');
