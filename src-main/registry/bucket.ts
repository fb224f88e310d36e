// The bucket (docs/registry.md §6): a rule over records, a dry run that sizes it against the
// quota and the disk, and a mirroring loop that downloads matching content one hash at a time
// (checked again against the quota before each), serves it over the overlay and signs its
// hashlock:// URI back into the registry with the node key.
import type { BucketView, DryRunView } from '../../src-shared/registry/contract.ts';
import { reasonOf, registryFail } from '../../src-shared/registry/errors.ts';
import { overlayUri, parseContentUri } from '../../src-shared/registry/fields.ts';
import { DISK_RESERVE_BYTES, matches, parseRule, planBucket, type Rule } from '../../src-shared/registry/rules.ts';
import { signStatement, type StatementSigner } from '../../src-shared/registry/statements.ts';
import { MAX_TRUST_DEPTH, type TrustGraph } from '../../src-shared/registry/trust.ts';
import type { Logger } from '../kernel/log.ts';
import type { BlobStore } from './blobs.ts';
import type { Registry } from './registry.ts';
import type { RecordRow, RegistryRepo } from './repo.ts';

export interface BucketDeps {
  readonly repo: RegistryRepo;
  readonly registry: Registry;
  readonly blobs: BlobStore;
  readonly graph: TrustGraph;
  readonly nodeKey: StatementSigner;
  readonly peerId: () => string;
  readonly settleWitnesses: number;
  readonly retryMs: number;
  readonly log: Logger;
  readonly now: () => number;
  readonly onStatus: (v: BucketView) => void;
  /** Test hook: the disk's free bytes. */
  readonly freeBytes?: () => number;
}

export interface BucketInput {
  readonly rule: unknown;
  readonly maxBytes: number;
  readonly identity?: string | null;
}

export interface Bucket {
  view(): BucketView;
  dryRun(input: BucketInput): DryRunView;
  set(input: BucketInput & { enabled: boolean }): BucketView;
  /** Something changed (a record arrived): mirror what the rule now selects. */
  kick(): void;
  stop(): Promise<void>;
}

export function createBucket(d: BucketDeps): Bucket {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let pending = 0;
  const free = () => d.freeBytes?.() ?? d.blobs.freeBytes();

  function matching(rule: Rule, identity: string | null): RecordRow[] {
    const depthCache = new Map<string, Map<string, { depth: number }>>();
    const ctx = {
      trustDepth(did: string, language: string) {
        if (!identity) return undefined;
        let reached = depthCache.get(language);
        if (!reached) depthCache.set(language, (reached = d.graph.trustedFor([identity], language, MAX_TRUST_DEPTH)));
        return did === identity ? 0 : reached.get(did)?.depth;
      },
    };
    const seen = new Set<string>();
    const out: RecordRow[] = [];
    for (const r of d.repo.allRecords()) {
      if (r.status === 'mismatch' || seen.has(r.hash)) continue;
      const witnesses = new Set(d.repo.statementsOf(r.id, 'witness').map((w) => w.signer)).size;
      const subject = {
        language: r.language,
        licence: r.licence,
        format: r.format,
        size: r.size,
        signer: r.signer,
        cosigners: d.repo.statementsOf(r.id, 'cosign').map((c) => c.signer),
        settled: witnesses >= d.settleWitnesses,
      };
      if (matches(rule, subject, ctx)) {
        seen.add(r.hash);
        out.push(r);
      }
    }
    return out;
  }

  const mirrored = () => new Map(d.repo.blobs().map((b) => [b.hash, b.size]));

  function dryRun(input: BucketInput): DryRunView {
    const rule = parseRule(input.rule);
    const items = matching(rule, input.identity ?? null);
    const held = mirrored();
    const freeBytes = free();
    const plan = planBucket({ matching: items, mirrored: held, maxBytes: input.maxBytes, freeBytes });
    return {
      items: items
        .slice(0, 500)
        .map((r) => ({ hash: r.hash, id: r.id, name: r.name, size: r.size, mirrored: held.has(r.hash) })),
      count: plan.count,
      totalBytes: plan.totalBytes,
      alreadyBytes: plan.alreadyBytes,
      newBytes: plan.newBytes,
      freeBytes,
      maxBytes: input.maxBytes,
      fits: plan.fits,
      reason: plan.reason,
    };
  }

  function view(): BucketView {
    const b = d.repo.bucket();
    const blobs = d.repo.blobs().filter((x) => x.source === 'mirror');
    return {
      enabled: b?.enabled ?? false,
      rule: b?.rule ?? { all: [] },
      maxBytes: b?.maxBytes ?? 0,
      identity: b?.identity ?? null,
      mirrored: blobs.length,
      bytes: blobs.reduce((a, x) => a + x.size, 0),
      pending,
      lastError: b?.lastError ?? null,
    };
  }

  async function mirrorOne(r: RecordRow, maxBytes: number): Promise<void> {
    const used = [...mirrored().values()].reduce((a, b) => a + b, 0);
    if (used + r.size > maxBytes || r.size > free() - DISK_RESERVE_BYTES) {
      registryFail('BUCKET_TOO_BIG', `${r.name}: ${r.size} bytes do not fit the quota or the disk now`);
    }
    const self = overlayUri(d.peerId(), r.hash);
    const uris = d.repo
      .uris(r.hash)
      .filter((u) => u.uri !== self && u.state !== 'bad' && !('problem' in parseContentUri(u.uri)))
      .map((u) => u.uri);
    let last: unknown;
    for (const uri of uris) {
      try {
        await d.registry.fetchToBlob(uri, { hash: r.hash, size: r.size }, 'mirror');
        last = undefined;
        break;
      } catch (err) {
        last = err;
      }
    }
    if (last !== undefined || uris.length === 0) throw last ?? new Error('no URI to fetch it from');
    await d.registry.blobStored(r.hash);
    const addition = signStatement('uri', { hash: r.hash, uri: self }, d.nodeKey, d.now());
    await d.registry.accept(addition, { via: 'self' }).catch((err: unknown) => {
      if (reasonOf(err) !== 'DUPLICATE') throw err;
    });
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      const b = d.repo.bucket();
      if (!b?.enabled) return;
      const rule = parseRule(b.rule);
      const held = mirrored();
      const todo = matching(rule, b.identity).filter((r) => {
        if (held.has(r.hash)) return false;
        const failed = d.repo.mirrorFailedAt(r.hash);
        return failed === undefined || d.now() - failed >= d.retryMs;
      });
      pending = todo.length;
      d.onStatus(view());
      for (const r of todo) {
        if (stopped) return;
        try {
          await mirrorOne(r, b.maxBytes);
          d.repo.setBucketError(null);
        } catch (err) {
          const message = `${r.name.slice(0, 60)}: ${(err as Error).message}`.slice(0, 300);
          d.repo.setMirrorFailure(r.hash, d.now(), message);
          d.repo.setBucketError(message);
          d.log.info('bucket could not mirror', { hash: r.hash.slice(0, 16), error: message });
        }
        pending--;
        d.onStatus(view());
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop()
      .catch((err: unknown) => d.log.warn('bucket loop failed', { error: (err as Error).message }))
      .finally(() => {
        running = undefined;
        if (again) kick();
      });
  }

  return {
    view,
    dryRun,
    set(input) {
      const plan = dryRun(input);
      if (input.enabled && !plan.fits)
        registryFail('BUCKET_TOO_BIG', `the rule does not fit: ${plan.reason}`, { plan });
      d.repo.setBucket({
        enabled: input.enabled,
        rule: input.rule,
        maxBytes: input.maxBytes,
        identity: input.identity ?? null,
      });
      kick();
      return view();
    },
    kick,
    async stop() {
      stopped = true;
      await running;
    },
  };
}
