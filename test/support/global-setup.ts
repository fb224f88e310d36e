// Once before the integration tests: the node bundles they run are built from the sources as they
// are now. bin/hashlock would build dist/node itself on a node's first start; building it here
// keeps that out of the first test's time and its failure out of a node's log. dist/test-node is
// the test-only entry (test-node.ts, with the hooks) bundled the same way: node-proc.ts runs it.
import path from 'node:path';
import { bundleNode, bundleNodeCli, ROOT } from '../../scripts/bundle.ts';

export default async function setup(): Promise<void> {
  await Promise.all([
    bundleNodeCli(),
    bundleNode(path.join(ROOT, 'dist', 'test-node'), { 'test-node': 'test/support/test-node.ts' }),
  ]);
}
