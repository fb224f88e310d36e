// Bundles the node and CLI into dist/node (cli.js and verify-worker.js), which bin/hashlock runs.
// bin/hashlock calls this itself when a source is newer than the bundle; `npm run build` too.
import { bundleNodeCli } from './bundle.ts';

await bundleNodeCli();
