// Open MLS groups: one serial queue per community (a group state is linear, two tasks must never
// use one state at once), the head state kept in memory while the vault is unlocked, sealed to
// the store on every commit and sent message and at most a second after received messages, and
// the sealed snapshots of the chain's earlier epochs that sequencing rolls back to (docs §7).
// A catch-up page's messages are written with the next seal of the state that read them, in one
// transaction (`defer`): the stored state never has a key used up whose message is not stored.
import { deserializeGroup, serializeGroup } from '../../src-shared/communities/mls.ts';
import type { Group, MlsContext } from '../../src-shared/communities/mls.ts';
import { createSerialQueue, type SerialQueue } from '../kernel/serial.ts';
import type { Logger } from '../kernel/log.ts';
import { errorText } from '../kernel/log.ts';
import type { CommunityRepo } from './repo.ts';
import type { Sealer } from './secrets.ts';

const GROUP = 'group';
const SNAP = 'snap:';
const KEY_PACKAGE = 'kp';
/** Received messages advance the ratchet; the state is sealed again at most this often for them. */
const FLUSH_MS = 1000;

export interface GroupStore {
  /** Runs `task` after every task queued for this community before it. */
  run<T>(id: string, task: () => Promise<T> | T): Promise<T>;
  /** The head state, from memory or the store; undefined when this node holds none. */
  get(id: string): Group | undefined;
  /** The new head; sealed now (commits, our own messages), or soon (`lazy`, received messages). */
  set(id: string, group: Group, opts?: { lazy?: boolean }): void;
  /**
   * Seals what `lazy` left in memory, with the writes `defer` gathered for it, in one transaction.
   */
  flush(id?: string): void;
  /**
   * A write that must reach the store no later than the state it was read with: run, in order,
   * in the transaction of the community's next seal (or flush, or forget); what it returns runs
   * after that transaction commits. A catch-up page's messages: one commit a page, not one a message.
   */
  defer(id: string, write: DeferredWrite): void;
  putSnapshot(id: string, tag: string, bytes: Uint8Array): void;
  /** A fresh state from the snapshot of the epoch tagged `tag`. */
  snapshot(id: string, tag: string): Group | undefined;
  /** Drops snapshots of tags no longer on the chain: their secrets go with them (forward secrecy). */
  keepSnapshots(id: string, tags: readonly string[]): void;
  /** Forgets every state and snapshot of a community (removed from it). */
  forget(id: string): void;
  putKeyPackage(id: string, exported: Uint8Array): void;
  keyPackage(id: string): Uint8Array | undefined;
  dropKeyPackage(id: string): void;
  /** Seals what is dirty and drops every state from memory (the vault locks, the node stops). */
  close(): void;
  /** Resolves when every community's queue is empty. */
  idle(): Promise<void>;
}

type SealedRecords = Pick<
  GroupStore,
  'putSnapshot' | 'snapshot' | 'keepSnapshots' | 'putKeyPackage' | 'keyPackage' | 'dropKeyPackage'
>;

/** The sealed records beside the head state: earlier epochs' snapshots and our key package. */
function sealedRecords(d: { repo: CommunityRepo; sealer: Sealer; mls: MlsContext }): SealedRecords {
  return {
    putSnapshot(id, tag, bytes) {
      d.repo.secret.put(id, SNAP + tag, d.sealer.sealBytes(bytes));
    },
    snapshot(id, tag) {
      const sealed = d.repo.secret.get(id, SNAP + tag);
      return sealed === undefined ? undefined : deserializeGroup(d.mls, d.sealer.openBytes(sealed));
    },
    keepSnapshots(id, tags) {
      const keep = new Set(tags.map((t) => SNAP + t));
      for (const name of d.repo.secret.names(id, SNAP)) if (!keep.has(name)) d.repo.secret.delete(id, name);
    },
    putKeyPackage: (id, exported) => d.repo.secret.put(id, KEY_PACKAGE, d.sealer.sealBytes(exported)),
    keyPackage(id) {
      const sealed = d.repo.secret.get(id, KEY_PACKAGE);
      return sealed === undefined ? undefined : d.sealer.openBytes(sealed);
    },
    dropKeyPackage: (id) => d.repo.secret.delete(id, KEY_PACKAGE),
  };
}

type DeferredWrite = () => (() => void) | void;

/**
 * Writes deferred to a community's next seal (`defer`), and the seal that takes them: the writes
 * and the state's seal in one transaction. The writes commit even when the seal fails (the stored
 * state is then older than the writes: its unused keys read nothing new, the messages are kept); a
 * failing write rolls the seal back with it (both stay as they were).
 */
function sealedWithWrites(repo: CommunityRepo, seal: (id: string, group: Group) => void) {
  const deferred = new Map<string, DeferredWrite[]>();
  const sealWith = (id: string, group: Group | undefined) => {
    const writes = deferred.get(id);
    deferred.delete(id);
    if (!writes) {
      if (group) seal(id, group);
      return;
    }
    let failed: { err: unknown } | undefined;
    const after = repo.transaction(() => {
      const done = writes.map((w) => w());
      try {
        if (group) seal(id, group);
      } catch (err) {
        failed = { err };
      }
      return done;
    });
    for (const f of after) f?.();
    if (failed) throw failed.err;
  };
  return { deferred, sealWith };
}

export function createGroupStore(d: { repo: CommunityRepo; sealer: Sealer; mls: MlsContext; log: Logger }): GroupStore {
  const records = sealedRecords(d);
  const queues = new Map<string, SerialQueue>();
  const open = new Map<string, Group>();
  const dirty = new Set<string>();
  const seal = (id: string, group: Group) => d.repo.secret.put(id, GROUP, d.sealer.sealBytes(serializeGroup(group)));
  const { deferred, sealWith } = sealedWithWrites(d.repo, seal);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (only?: string) => {
    for (const id of new Set([...dirty, ...deferred.keys()])) {
      if (only !== undefined && id !== only) continue;
      const group = dirty.delete(id) ? open.get(id) : undefined;
      try {
        sealWith(id, group);
      } catch (err) {
        d.log.warn('communities: could not seal a group state', { community: id, error: errorText(err) });
      }
    }
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, FLUSH_MS);
    timer.unref?.();
  };

  return {
    run(id, task) {
      let q = queues.get(id);
      if (!q) queues.set(id, (q = createSerialQueue()));
      return q.run(task);
    },
    get(id) {
      const known = open.get(id);
      if (known) return known;
      const sealed = d.repo.secret.get(id, GROUP);
      if (sealed === undefined) return undefined;
      const group = deserializeGroup(d.mls, d.sealer.openBytes(sealed));
      open.set(id, group);
      return group;
    },
    set(id, group, opts) {
      open.set(id, group);
      if (opts?.lazy) {
        dirty.add(id);
        schedule();
        return;
      }
      dirty.delete(id);
      sealWith(id, group);
    },
    flush,
    defer(id, write) {
      let writes = deferred.get(id);
      if (!writes) deferred.set(id, (writes = []));
      writes.push(write);
    },
    ...records,
    forget(id) {
      // What was read before the removal is kept, as it would have been without deferring.
      sealWith(id, undefined);
      open.delete(id);
      dirty.delete(id);
      d.repo.secret.delete(id, GROUP);
      records.keepSnapshots(id, []);
    },
    async idle() {
      await Promise.all([...queues.values()].map((q) => q.idle()));
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      flush();
      open.clear();
    },
  };
}
