// Once before the integration tests: the node bundles they run are built from the sources as they
// are now. bin/hashlock would build dist/node itself on a node's first start; building it here
// keeps that out of the first test's time and its failure out of a node's log. dist/test-node holds
// the test-only entries bundled the same way: the node with the hooks (test-node.ts, node-proc.ts
// runs it), the bare p2p host (p2p-proc.ts) and the hostile swap peer (swap/hostile.ts).
import path from 'node:path';
import { bundleNode, bundleNodeCli, ROOT } from '../../scripts/bundle.ts';

export default async function setup(): Promise<void> {
  await Promise.all([
    bundleNodeCli(),
    bundleNode(path.join(ROOT, 'dist', 'test-node'), {
      'test-node': 'test/support/test-node.ts',
      'p2p-node': 'test/integration/p2p/test-node.ts',
      'hostile-peer': 'test/integration/swap/hostile-peer.ts',
    }),
  ]);
}
