// The witness queue and URI re-checks (docs/registry.md §4.2, §5): records that came from peers
// are fetched one at a time and witnessed when their content matches; every URI of verified
// content is fetched again every recheckMs, and a URI that stops matching is marked, not deleted.
import type { Logger } from '../kernel/log.ts';
import type { RegistryConfig } from './config.ts';
import type { Registry } from './registry.ts';
import type { RegistryRepo } from './repo.ts';

export interface WatcherDeps {
  readonly repo: RegistryRepo;
  readonly registry: Registry;
  readonly config: RegistryConfig;
  readonly log: Logger;
  readonly now: () => number;
}

export function createWatcher(d: WatcherDeps) {
  const queued = new Set<string>();
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    while (!stopped && queued.size > 0) {
      const hash = queued.values().next().value as string;
      queued.delete(hash);
      const records = d.repo.recordsOfHash(hash);
      if (records.length === 0 || records.every((r) => r.status === 'verified')) continue;
      if (!d.config.witness.enabled || records[0]!.size > d.config.witness.maxBytes) continue;
      try {
        const status = await d.registry.checkContent(hash);
        d.log.info('registry content checked', { hash: hash.slice(0, 16), status });
      } catch (err) {
        d.log.info('registry content check failed', { hash: hash.slice(0, 16), error: (err as Error).message });
      }
    }
  }

  function kick(): void {
    if (running || stopped) return;
    running = drain().finally(() => {
      running = undefined;
      if (queued.size > 0) kick();
    });
  }

  async function recheck(): Promise<void> {
    for (const hash of d.repo.hashesToRecheck(d.now() - d.config.recheckMs)) {
      if (stopped) return;
      await d.registry.checkContent(hash).catch((err: unknown) => {
        d.log.info('registry re-check failed', { hash: hash.slice(0, 16), error: (err as Error).message });
      });
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void recheck().finally(schedule);
      },
      Math.min(d.config.recheckMs, 60 * 60_000),
    );
    timer.unref();
  }

  return {
    queue(hash: string): void {
      queued.add(hash);
      kick();
    },
    start(): void {
      for (const r of d.repo.unverified()) queued.add(r.hash);
      kick();
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
