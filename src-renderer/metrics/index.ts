// The metrics feature's public surface: the Node page (the node dashboard) and its queries.
export { nodePage } from './page.ts';
export { metricsKeys, metricsQueries } from './queries.ts';
