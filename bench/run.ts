// `npm run bench [-- name ...]`: runs every bench/*.bench.ts (or those named), each through its
// exported `run` function (or the first exported function whose name starts with "run"). Each
// bench writes its own bench/results/<name>.json; this prints a one-line summary per bench.
// It runs under the V8 flags a node starts with (NODE_V8_FLAGS; it starts itself again with them
// when they are missing): the benches that run node code in this process measure it as a node runs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_V8_FLAGS } from '../src-main/core/v8-flags.ts';

if (NODE_V8_FLAGS.some((f) => !process.execArgv.includes(f))) {
  const again = spawnSync(
    process.execPath,
    [...process.execArgv, ...NODE_V8_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(again.status ?? 1);
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(HERE)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')));
if (files.length === 0) {
  console.error(`no bench matches ${wanted.join(', ')}`);
  process.exit(1);
}

let failed = false;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  const mod = (await import(pathToFileURL(path.join(HERE, file)).href)) as Record<string, unknown>;
  const entry =
    typeof mod.run === 'function'
      ? mod.run
      : Object.entries(mod).find(([k, v]) => k.startsWith('run') && typeof v === 'function')?.[1];
  if (typeof entry !== 'function') {
    console.error(`${file}: exports no run function; skipped`);
    failed = true;
    continue;
  }
  const started = performance.now();
  try {
    const result = await (entry as () => Promise<unknown>)();
    console.log(`${name}: done in ${Math.round(performance.now() - started)} ms -> bench/results/${name}.json`);
    const summary = (result as { summary?: unknown } | undefined)?.summary;
    if (summary !== undefined) console.log(`${name}: ${JSON.stringify(summary)}`);
  } catch (err) {
    failed = true;
    console.error(`${name}: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
