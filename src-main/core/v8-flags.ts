// V8 flags a node process starts with (the CLI, devnet nodes, the bench nodes and `npm run bench`
// itself). They must be on the command line: V8 sizes its heap before any script runs. Left: the
// desktop app's main process (Electron takes them only as --js-flags at launch).
// --max-semi-space-size caps the young generation: left to V8 (Node 24), it grew to some 150 MB
// under a burst of gossip (10,000 order announces) and stayed resident after collection.
// --heap-growing-percent=20: the old generation grows by 20 % a step rather than V8's default
// factor, so a burst leaves ~27 MB of resident pages, not ~70 (10,000 orders; docs/orders.md
// "Memory"). It replaced --optimize-for-size (25-29 MB), which also implies a 1 MB young
// generation and code built for size: ~45 % more wall time on a 10,000-message catch-up and ~30 %
// on validating announces, measured side by side (docs/orders.md, docs/communities.md §18).
// bin/hashlock repeats these for the CLI.
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=20'];
