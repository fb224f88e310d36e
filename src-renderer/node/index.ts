// The node domain's public surface: the node's own facts, shown in the header and on Settings.
// It pushes no events and has no page.
export { nodeKeys, nodeQueries } from './queries.ts';
