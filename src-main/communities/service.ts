// The communities node: builds the parts (ingest, inbox, timelines, outbox, commits, admission,
// dms, delivery, catch-up, storage client and, when configured, the storage-node role) around one
// Env, wires what each tells the others, and runs them with the vault: groups open while it is
// unlocked; while it is locked envelopes are only kept, to be read after the next unlock.
import { createMlsContext } from '../../src-shared/communities/mls.ts';
import type { CryptoProvider } from 'ts-mls';
import type { Group } from '../../src-shared/communities/mls.ts';
import { mayCommit } from '../../src-shared/communities/roles.ts';
import { DM_PROTOCOL, SYNC_PROTOCOL } from '../../src-shared/communities/sync.ts';
import type { StoreDatabase } from '../store/index.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { Vault } from '../vault/index.ts';
import { createAdmission } from './admission.ts';
import { forgetStorageKeys, noticeId, tellNotices } from './advance.ts';
import { createCatchUp, serveSync } from './catchup.ts';
import { createCommits } from './commits.ts';
import type { CommunitiesConfig } from './config.ts';
import { createDelivery } from './delivery.ts';
import { createDms, didKey, type SwapsPart } from './dm.ts';
import { createScore, type CommunityP2p, type Emit, type Env } from './env.ts';
import { createGroupStore } from './groups.ts';
import { createHandlers } from './handlers.ts';
import { createInbox } from './inbox.ts';
import { createIngest } from './ingest.ts';
import { syncCryptoProvider } from './mls-crypto.ts';
import { createOutbox } from './outbox.ts';
import { createCommunityRepo, type CommunityRow } from './repo.ts';
import { boxSealer, createSigners, type IdentitiesPart } from './secrets.ts';
import { createStorageClient } from './storage-client.ts';
import { createStorageNode, loadReceiptKey } from './storage-node.ts';
import { createStorageRepo } from './storage-repo.ts';
import { createTimelines } from './timelines.ts';
import { createNames, createViews } from './views.ts';

export interface CommunitiesDeps {
  db: StoreDatabase;
  dataDir: string;
  p2p: CommunityP2p & Pick<P2pHost, 'penalize'>;
  vault: Pick<Vault, 'status' | 'secretBox' | 'onStateChange'>;
  identities: IdentitiesPart;
  swaps?: SwapsPart;
  config: CommunitiesConfig;
  log: Logger;
  now?: () => number;
  emit: Emit;
  /** ts-mls's primitives; the synchronous provider unless a bench compares another. */
  mlsProvider?: CryptoProvider;
}

/** Requested joins are announced and their Welcome asked for this often while they wait. */
const JOIN_RETRY_MS = 5000;

export async function createCommunitiesNode(deps: CommunitiesDeps) {
  const now = deps.now ?? Date.now;
  let stopped = false;
  const repo = createCommunityRepo(deps.db);
  const sealer = boxSealer(() => deps.vault.secretBox());
  const mls = await createMlsContext(deps.mlsProvider ?? syncCryptoProvider);
  const env: Env = {
    repo,
    groups: createGroupStore({ repo, sealer, mls, log: deps.log }),
    mls,
    sealer,
    signers: createSigners({ identities: deps.identities, repo, sealer }),
    p2p: deps.p2p,
    log: deps.log,
    now,
    emit: deps.emit,
    score: createScore(deps.p2p, deps.log),
    unlocked: () => !stopped && deps.vault.status() === 'unlocked',
    closed: () => stopped,
  };
  const later = (fn: () => Promise<unknown>) =>
    void setTimeout(
      () => void fn().catch((err: unknown) => deps.log.warn('communities: task failed', { error: errorText(err) })),
      0,
    );

  const timelines = createTimelines(env);
  const names = createNames(deps.identities);
  const announcer = identityAnnouncer(env, deps.identities);
  const views = createViews(env, { timelines, names });
  const wanted = new Map<string, ReturnType<typeof setTimeout>>();
  // The ingest's hooks reach parts built after it; they are only called once everything exists.
  const ingest = createIngest(env, {
    onMessage: (row, r, live, source, settle, withSeal) =>
      parts.inbox.onMessage(row, r, live, source, settle, withSeal),
    onJoin: (row, envelope, source) => parts.admission.onJoin(row, envelope, source),
    onWelcome: (row, envelope) => (row ? parts.admission.onWelcome(row, envelope) : parts.dms.onWelcome(envelope)),
    onEpoch: (row, group, o) => onEpoch(row, group, o),
    wantCatchUp(id, peer) {
      if (wanted.has(id)) return;
      const timer = setTimeout(() => {
        wanted.delete(id);
        void parts.catchUp.run(id, peer);
      }, 200);
      timer.unref?.();
      wanted.set(id, timer);
    },
  });
  const delivery = createDelivery(
    env,
    (topic, bytes, source) =>
      void ingest
        .take(topic, bytes, source)
        .catch((err: unknown) => deps.log.warn('communities: gossip failed', { error: errorText(err) })),
  );

  function build() {
    const storage = createStorageClient(env, { ingest });
    const inbox = createInbox(env, timelines, { onLeave: (row, did) => admission.onLeave(row, did) });
    const outbox = createOutbox(env, { delivery, storage, inbox, timelines });
    const commits = createCommits(env, { outbox, storage, afterCommit: (row) => afterCommit(row) });
    const joined = (row: CommunityRow) => later(() => catchUp.run(row.id));
    const admission = createAdmission(env, { commits, outbox, inbox, delivery, joined });
    const dms = createDms(env, { commits, delivery, ...(deps.swaps ? { swaps: deps.swaps } : {}), joined });
    const catchUp = createCatchUp(env, {
      ingest,
      delivery,
      gaps: (id) => timelines.timeline(id).gaps,
      fromStorage: (row) => storage.fetch(row),
    });
    return { storage, inbox, outbox, commits, admission, dms, catchUp };
  }
  const parts = build();

  const storageNode = deps.config.storage.enabled
    ? createStorageNode({
        repo: createStorageRepo(deps.db),
        p2p: deps.p2p,
        config: deps.config.storage,
        key: loadReceiptKey(deps.dataDir),
        log: deps.log,
        now,
      })
    : undefined;

  /** Grants follow the owner's and admins' devices: re-sent when they or the persistence changed. */
  function regrantIfNeeded(row: CommunityRow, before?: CommunityRow): void {
    const d = row.data.descriptor?.descriptor;
    if (!d || d.owner !== row.me || d.persistence.mode !== 'store') return;
    const keys = (r?: CommunityRow) =>
      JSON.stringify([
        r?.data.descriptor?.descriptor.persistence,
        r?.data.members.filter((m) => mayCommit(m.role)).map((m) => m.key),
      ]);
    if (before && keys(before) === keys(row)) return;
    later(() => parts.storage.grant(row));
  }

  async function afterCommit(row: CommunityRow): Promise<void> {
    regrantIfNeeded(row, lastSeen.get(row.id));
    lastSeen.set(row.id, row);
    deps.emit('communities.updated', { id: row.id, reason: 'epoch' });
  }
  const lastSeen = new Map<string, CommunityRow>();

  async function onEpoch(
    row: CommunityRow,
    group: Group,
    o: { switched: boolean; removedMe: boolean; committer: string; orphans: unknown[] },
  ): Promise<void> {
    if (o.removedMe) {
      env.groups.forget(row.id);
      const left = (row.data.leaving ?? []).includes(row.me) || row.removedReason === 'left';
      const removed: CommunityRow = {
        ...row,
        state: 'removed',
        removedReason: left ? 'left' : 'removed',
        updatedAt: now(),
      };
      repo.save(removed);
      const epoch = row.data.epoch + 1;
      tellNotices(env, row.id, [
        {
          id: noticeId(epoch, row.data.tag, 'removedMe'),
          at: now(),
          epoch,
          kind: 'removedMe',
          ...(o.committer ? { by: o.committer } : {}),
        },
      ]);
      deps.emit('communities.removed', { id: row.id, reason: removed.removedReason! });
      return;
    }
    if (o.switched) await parts.outbox.resendLost(row);
    if (o.orphans.length > 0)
      for (const r of repo.requests.pending(row.id)) later(() => parts.admission.admit(row.id, r.id, { auto: true }));
    await parts.storage.announce(row, group).catch(() => undefined);
    regrantIfNeeded(row, lastSeen.get(row.id));
    lastSeen.set(row.id, row);
    deps.emit('communities.updated', { id: row.id, reason: 'epoch' });
  }

  async function onUnlock(): Promise<void> {
    for (const row of repo.all()) {
      if (row.state === 'removed') continue;
      await ingest.drain(row.id);
      if (row.state === 'joined') later(() => parts.catchUp.run(row.id));
    }
    announcer.all();
  }

  function onLock(): void {
    env.groups.close();
    timelines.clear();
    forgetStorageKeys();
  }

  const timers: Array<ReturnType<typeof setInterval>> = [];
  let offVault: (() => void) | undefined;
  let offPeers: (() => void) | undefined;
  let knownPeers = new Set<string>();
  let peersTimer: ReturnType<typeof setTimeout> | undefined;
  /** A peer we were not connected to appeared (we came back, or it did): catch up with it. */
  function onPeers(peers: ReadonlyArray<{ peerId: string }>): void {
    const now = new Set(peers.map((p) => p.peerId));
    const fresh = [...now].some((p) => !knownPeers.has(p));
    knownPeers = now;
    if (!fresh || peersTimer || !env.unlocked()) return;
    peersTimer = setTimeout(() => {
      peersTimer = undefined;
      for (const row of repo.all()) {
        if (row.state === 'joined') void parts.catchUp.run(row.id);
        if (row.state === 'requested') later(() => parts.admission.announceJoin(row));
      }
    }, 1000);
    peersTimer.unref?.();
  }

  return {
    env,
    views,
    storageNode,
    handlers: createHandlers({ env, parts, views, names, timelines, delivery, storageNode, later }),
    async start(): Promise<void> {
      await deps.p2p.handleRequest(SYNC_PROTOCOL, serveSync(env, ingest));
      await deps.p2p.handleRequest(DM_PROTOCOL, (raw, ctx) => parts.dms.serve(raw, ctx));
      if (storageNode) await storageNode.start();
      for (const row of repo.all()) if (row.state !== 'removed') delivery.join(row);
      knownPeers = new Set(deps.p2p.peers().map((p) => p.peerId));
      offPeers = deps.p2p.onPeersChanged(onPeers);
      offVault = deps.vault.onStateChange((state) => {
        if (state === 'unlocked') later(onUnlock);
        else onLock();
      });
      if (env.unlocked()) later(onUnlock);
      timers.push(
        setInterval(() => {
          if (!env.unlocked()) return;
          for (const row of repo.all()) if (row.state === 'joined') void parts.catchUp.run(row.id);
        }, deps.config.syncEveryMs),
        setInterval(() => {
          if (!env.unlocked()) return;
          for (const row of repo.all()) {
            if (row.state !== 'requested') continue;
            later(() => parts.admission.announceJoin(row));
            later(() => parts.catchUp.askWelcome(row));
          }
        }, JOIN_RETRY_MS),
      );
      for (const t of timers) t.unref?.();
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const t of timers.splice(0)) clearInterval(t);
      timelines.clear();
      await parts.catchUp.idle();
      await env.groups.idle();
      for (const t of wanted.values()) clearTimeout(t);
      offVault?.();
      offPeers?.();
      announcer.stop();
      if (peersTimer) clearTimeout(peersTimer);
      delivery.stop();
      storageNode?.stop();
      env.groups.close();
    },
  };
}

/**
 * Our identities are found on the DHT (for direct messages): all of them at each unlock, and one
 * as soon as it is published (the identity domain tells of every stored record; a burst is one look).
 */
function identityAnnouncer(env: Env, identities: IdentitiesPart) {
  const announced = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const announce = (again: boolean) => {
    if (!env.p2p.provide || !env.unlocked()) return;
    for (const m of env.signers.mine()) {
      if (!again && announced.has(m.did)) continue;
      announced.add(m.did);
      void env.p2p.provide(didKey(m.did)).catch(() => undefined);
    }
  };
  const off = identities.onChanged(() => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      announce(false);
    }, 200);
    timer.unref?.();
  });
  return {
    all: () => announce(true),
    stop() {
      off();
      if (timer) clearTimeout(timer);
    },
  };
}

export type CommunitiesNode = Awaited<ReturnType<typeof createCommunitiesNode>>;
