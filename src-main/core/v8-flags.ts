// V8 flags a node process starts with (the CLI, devnet nodes, the bench nodes). They must be on
// the command line: V8 sizes its heap before any script runs. Left: the desktop app's main process
// (Electron takes them only as --js-flags at launch).
// --max-semi-space-size caps the young generation: left to V8 (Node 24), it grew to some 150 MB
// under a burst of gossip (10,000 order announces) and stayed resident after collection, most of
// a node's RSS growth; at 8 MB the growth is about what the heap holds, at no measured cost per
// announce (docs/orders.md "Benchmarks"). --optimize-for-size: with the cap alone ~55 MB of V8's
// 256 KiB pages stayed resident beyond every heap space after the burst; with it the growth for
// 10,000 orders is 25-29 MB (idle RSS 127 MB, not 153) for ~15 % slower validation (~290 µs an
// announce, inside the 1 ms budget). bin/hashlock repeats these for the CLI.
export const NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--optimize-for-size'];
