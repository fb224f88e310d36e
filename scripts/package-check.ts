// Asserts the packaged app contains what the desktop app needs and nothing it must not ship.
// Run by scripts/package-check.sh on the electron-builder output.
import { listPackage } from '@electron/asar';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const resources = process.argv[2] ?? 'release/linux-unpacked/resources';
const asarPath = path.join(resources, 'app.asar');
const files = listPackage(asarPath, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
const has = (f: string) => files.includes(f);
const failures: string[] = [];
const must = [
  '/package.json',
  '/dist/electron/main.js',
  '/dist/electron/preload.cjs',
  // The identity verify pool's worker, found beside main.js (src-main/identity/verify-pool.ts).
  '/dist/electron/verify-worker.js',
  '/dist/renderer/index.html',
  '/node_modules/better-sqlite3/lib/index.js',
  '/node_modules/secp256k1/bindings.js',
  '/node_modules/node-gyp-build/node-gyp-build.js',
];
for (const f of must) if (!has(f)) failures.push(`missing ${f}`);
const forbidden: Array<[RegExp, string]> = [
  [/^\/src-/, 'source folders'],
  [/\.ts$/, 'TypeScript sources'],
  [/\.map$/, 'source maps'],
  [/\/e2e\//, 'tests'],
  [/prebuilds\/(darwin|win32|linuxmusl)-/, "other platforms' native prebuilds"],
  [/\/node_modules\/(react|libp2p|electron)\//, 'bundled dependencies'],
];
for (const [re, what] of forbidden) {
  const hit = files.find((f) => re.test(f));
  if (hit) failures.push(`ships ${what}: ${hit}`);
}
const unpackedNative = path.join(
  resources,
  'app.asar.unpacked',
  'node_modules',
  'better-sqlite3',
  'prebuilds',
  'linux-x64.node',
);
if (!existsSync(unpackedNative)) failures.push(`native module not unpacked: ${unpackedNative}`);
const unpackedSecp = path.join(
  resources,
  'app.asar.unpacked',
  'node_modules',
  'secp256k1',
  'prebuilds',
  'linux-x64',
  'secp256k1.glibc.node',
);
if (!existsSync(unpackedSecp)) failures.push(`native module not unpacked: ${unpackedSecp}`);
const pkg = JSON.parse(readFileSync(path.join(resources, '..', '..', '..', 'package.json'), 'utf8')) as {
  main: string;
};
if (pkg.main !== 'dist/electron/main.js') failures.push(`package.json main is ${pkg.main}`);
if (failures.length) {
  console.error('package check failed:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log(
  `package check: app.asar holds ${files.length} entries; main, preload, renderer and the linux-x64 SQLite and secp256k1 bindings present; nothing forbidden.`,
);
