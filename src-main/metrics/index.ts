// The metrics domain's public surface: the registry other modules `need` to register their own
// metrics (docs/metrics.md). Everything else in this folder is its own business.
export { type Counter, type Gauge, type MetricsRegistry, type Summary } from './registry.ts';
