// V8 flags a node process starts with (the CLI, devnet nodes, the bench nodes and `npm run bench`
// itself), in one place. They must be on the command line: V8 sizes its heap before any script
// runs (the desktop app's main process would need them as Electron's --js-flags at launch).
// --max-semi-space-size=16 caps the young generation: left to V8 (Node 24) it grows under a burst
// of gossip (10,000 order announces) and its pages stay resident after collection (RSS +135-160 MB
// for 10,000 orders). --heap-growing-percent=20 grows the old generation in small steps. Together:
// +40-43 MB (target 50; docs/orders.md "Memory"). A cap of 8 MB kept ~30 MB but slowed bulk work
// (the 10,000-message catch-up, the 100,000-profile identity join: its serving node ~30 % more
// CPU than with 16 MB); --optimize-for-size, used until 2026-12-07, implies a 1 MB young generation and size-built
// code (that catch-up 4.8 s -> 7.1 s). bin/hashlock repeats these for the CLI.
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=20'];
