// For tests: communities nodes in one process over a fake network that carries gossip and
// requests as JSON the way the wire would (asynchronously, between linked peers only), with a
// DHT of providers, bans recorded, a vault that locks, and identities over the pure identity core.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import { signCompact } from '../../src-shared/identity/compact.ts';
import { identity as testIdentity } from '../../src-shared/communities/testkit.ts';
import { silentLogger } from '../kernel/log.ts';
import type { GossipMessage, RequestHandler } from '../p2p/host.ts';
import { DEFAULT_LIMITS } from '../p2p/limits.ts';
import { openStore, type StoreDatabase } from '../store/index.ts';
import { createSecretBox } from '../vault/secret-box.ts';
import type { SecretBox } from '../wallets/index.ts';
import { CommunitiesConfig } from './config.ts';
import type { CommunityEventName } from './env.ts';
import { m0001Communities } from './migrations/0001_communities.ts';
import { boxSealer, type IdentitiesPart } from './secrets.ts';
import { createGroupStore } from './groups.ts';
import { createMlsContext, type Group, type MlsContext } from '../../src-shared/communities/mls.ts';
import { createCommunityRepo } from './repo.ts';
import { syncCryptoProvider } from './mls-crypto.ts';
import { createCommunitiesNode, type CommunitiesNode } from './service.ts';
import type { SwapsPart } from './dm.ts';
import { mkdtempSync } from 'node:fs';
import type { CryptoProvider } from 'ts-mls';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Host {
  peerId: string;
  penalties: Map<string, number>;
  listeners: Set<(p: PeerInfo[]) => void>;
  topics: Map<string, Set<(m: GossipMessage) => void>>;
  handlers: Map<string, RequestHandler>;
  links: Set<string>;
  bans: string[];
  online: boolean;
}

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

type Wire = Array<{ from: string; topic: string; data: Uint8Array }>;

/** Gossip and requests between reachable hosts, through JSON and a turn of the event loop as on the wire. */
function messaging(h: Host, reachable: (id: string) => Host | undefined, wire: Wire) {
  return {
    async publish(topic: string, data: Uint8Array) {
      wire.push({ from: h.peerId, topic, data: Uint8Array.from(data) });
      let recipients = 0;
      for (const id of h.links) {
        const other = reachable(id);
        for (const fn of other?.topics.get(topic) ?? []) {
          recipients++;
          const copy = Uint8Array.from(data);
          setTimeout(() => fn({ from: h.peerId, topic, data: copy }), 0);
        }
      }
      return { recipients };
    },
    subscribe(topic: string, fn: (m: GossipMessage) => void) {
      if (!h.topics.has(topic)) h.topics.set(topic, new Set());
      h.topics.get(topic)!.add(fn);
      return () => void h.topics.get(topic)?.delete(fn);
    },
    async handleRequest(protocol: string, fn: RequestHandler) {
      h.handlers.set(protocol, fn);
    },
    async request(to: string, protocol: string, body: unknown) {
      await tick();
      const other = reachable(to);
      if (!other) throw new ApiError('PEER_UNREACHABLE', `${to} is not reachable`);
      const fn = other.handlers.get(protocol);
      if (!fn) throw new ApiError('PEER_REFUSED', `no handler for ${protocol}`);
      try {
        return json(await fn(json(body), { peerId: h.peerId, protocol }));
      } catch (err) {
        // As reqres.ts answers: only the code and the message cross the wire.
        const e = err instanceof ApiError ? err : new ApiError('INTERNAL', 'The peer could not handle the request.');
        throw new ApiError('PEER_REFUSED', `The peer ${to} refused the request: ${e.message}`);
      }
    },
  };
}

/** Bans, and offences counted as the host counts them. */
function scoring(h: Host) {
  return {
    async ban(id: string) {
      h.bans.push(id);
    },
    /** As the host counts offences: points per offence, banned at the threshold (no decay in tests). */
    penalize(id: string, offence: keyof typeof DEFAULT_LIMITS.penalties) {
      const points = (h.penalties.get(id) ?? 0) + DEFAULT_LIMITS.penalties[offence];
      h.penalties.set(id, points);
      if (points >= DEFAULT_LIMITS.banThreshold && !h.bans.includes(id)) h.bans.push(id);
    },
    isBanned: (id: string) => h.bans.includes(id),
  };
}

const keyOf = (key: Uint8Array) => Buffer.from(key).toString('hex');

/** The DHT's provider records, shared by every host of the net; offline hosts are not found. */
function dht(peerId: string, providers: Map<string, Set<string>>, hosts: ReadonlyMap<string, Host>) {
  return {
    async provide(key: Uint8Array) {
      const k = keyOf(key);
      if (!providers.has(k)) providers.set(k, new Set());
      providers.get(k)!.add(peerId);
    },
    async findProviders(key: Uint8Array) {
      return [...(providers.get(keyOf(key)) ?? [])]
        .filter((id) => id !== peerId && hosts.get(id)?.online)
        .map((id) => ({ peerId: id, addrs: [`/memory/${id}`] }));
    },
  };
}

export function createTestNet() {
  const hosts = new Map<string, Host>();
  const providers = new Map<string, Set<string>>();
  /** Every gossip message any host published, as it travelled (for "what a relay sees" tests). */
  const wire: Wire = [];

  function p2p(peerId: string) {
    const h: Host = {
      penalties: new Map(),
      peerId,
      listeners: new Set(),
      topics: new Map(),
      handlers: new Map(),
      links: new Set(),
      bans: [],
      online: true,
    };
    hosts.set(peerId, h);
    const reachable = (id: string) => {
      const other = hosts.get(id);
      return other &&
        other.online &&
        h.online &&
        h.links.has(id) &&
        !other.bans.includes(peerId) &&
        !h.bans.includes(id)
        ? other
        : undefined;
    };
    return {
      host: h,
      peerId,
      limits: DEFAULT_LIMITS,
      peers: (): PeerInfo[] =>
        [...h.links]
          .filter((id) => reachable(id))
          .map((id) => ({ peerId: id, addrs: [], protocols: [...hosts.get(id)!.handlers.keys()] })),
      onPeersChanged(cb: (p: PeerInfo[]) => void) {
        h.listeners.add(cb);
        return () => void h.listeners.delete(cb);
      },
      async dial(addr: string) {
        const id = addr.split('/p2p/')[1] ?? addr;
        if (!hosts.has(id)) throw new ApiError('PEER_UNREACHABLE', 'no such peer');
        h.links.add(id);
        hosts.get(id)!.links.add(peerId);
        return id;
      },
      ...messaging(h, reachable, wire),
      ...scoring(h),
      ...dht(peerId, providers, hosts),
    };
  }

  function notify(id: string) {
    const h = hosts.get(id)!;
    // A node that went offline lost every connection; it sees them come back when it does.
    const peers = h.online
      ? [...h.links].filter((p) => hosts.get(p)?.online).map((p) => ({ peerId: p, addrs: [] }))
      : [];
    for (const cb of h.listeners) cb(peers);
  }

  return {
    p2p,
    wire,
    connect(a: string, b: string) {
      hosts.get(a)!.links.add(b);
      hosts.get(b)!.links.add(a);
      notify(a);
      notify(b);
    },
    /** Offline: answers nothing, hears nothing (a node switched off). */
    setOnline(id: string, online: boolean) {
      hosts.get(id)!.online = online;
      // Everyone linked to it sees it come or go, as libp2p's connect and disconnect events say.
      for (const h of hosts.values()) if (h.peerId === id || h.links.has(id)) notify(h.peerId);
    },
    bansOf: (id: string) => hosts.get(id)!.bans,
    /** Offence points `viewer` counted against `peer`. */
    scoreOf: (viewer: string, peer: string) => hosts.get(viewer)!.penalties.get(peer) ?? 0,
    /** The request handlers a host serves, to wrap them in a test (a lying peer). */
    handlersOf: (id: string) => hosts.get(id)!.handlers,
  };
}

export type TestNet = ReturnType<typeof createTestNet>;

/** Names whose profiles every test node finds published (besides its own identities). */
const PUBLISHED = ['alice', 'bob', 'carol', 'dave', 'erin', 'owner', 'admin'];

export type TestIdentities = IdentitiesPart & {
  /** A new identity of this node, published. */
  add(name: string): string;
  /** A profile this node now stores (verified, as if it arrived from the network). */
  publish(name: string): string;
  /** A tombstone for that identity, stored here. */
  remove(name: string): string;
};

/**
 * The identity domain for a test node: named identities with a secret key each. The node's own
 * and those of PUBLISHED (or `o.published`) have a profile stored; `publish` and `remove` change
 * what is stored and tell listeners, as the identity domain does.
 */
export function testIdentities(names: string[], o: { published?: string[] } = {}): TestIdentities {
  const mine = names.map((n) => testIdentity(n));
  const stored = new Map<string, { deleted: boolean; profile: { name: string | null } }>();
  const listeners = new Set<(c: { did: string }) => void>();
  const put = (name: string, deleted: boolean): string => {
    const did = testIdentity(name).did;
    stored.set(did, { deleted, profile: { name: deleted ? null : testIdentity(name).name } });
    for (const l of listeners) l({ did });
    return did;
  };
  for (const n of [...names, ...(o.published ?? PUBLISHED)]) put(n, false);
  return {
    async resolve(did) {
      return stored.get(did);
    },
    mine: () => mine.map((m) => ({ did: m.did, label: null, current: stored.get(m.did) })),
    sign(did, digest) {
      const m = mine.find((x) => x.did === did);
      if (!m) throw new ApiError('NOT_FOUND', 'not ours');
      return signCompact(digest, m.secret);
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add(name) {
      const i = testIdentity(name);
      mine.push(i);
      return put(name, false);
    },
    publish: (name) => put(name, false),
    remove: (name) => put(name, true),
  };
}

export interface TestNode {
  db: import('../store/index.ts').StoreDatabase;
  name: string;
  /** The node's first identity (named after the node when it has none). */
  did: string;
  identities: TestIdentities;
  peerId: string;
  node: CommunitiesNode;
  events: Array<{ event: CommunityEventName; data: unknown }>;
  lock(): void;
  unlock(): void;
  stop(): Promise<void>;
  /** The group state a node restarted now would load: what is sealed in its store, not what is in memory. */
  sealedGroup(id: string): Promise<{ group: Group | undefined; mls: MlsContext }>;
}

/** The group state as a node restarted from `db` would load it. */
async function sealedGroup(db: StoreDatabase, box: SecretBox, id: string, provider?: CryptoProvider) {
  const mls = await createMlsContext(provider ?? syncCryptoProvider);
  const store = createGroupStore({
    repo: createCommunityRepo(db),
    sealer: boxSealer(() => box),
    mls,
    log: silentLogger,
  });
  return { group: store.get(id), mls };
}

export async function testNode(
  net: TestNet,
  name: string,
  o: {
    storage?: boolean;
    swaps?: SwapsPart;
    identities?: string[];
    published?: string[];
    now?: () => number;
    mlsProvider?: CryptoProvider;
    /** A database file in the node's data folder (WAL, synchronous = FULL, as the app's) instead of memory. */
    fileStore?: boolean;
  } = {},
): Promise<TestNode> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `hashlock-communities-${name}-`));
  const db = openStore(o.fileStore ? path.join(dataDir, 'store.db') : ':memory:', {
    schemas: [{ domain: 'communities', migrations: [m0001Communities] }],
  });
  const p2p = net.p2p(`peer-${name}`);
  let state: 'unlocked' | 'locked' = 'unlocked';
  const listeners = new Set<(s: 'unlocked' | 'locked') => void>();
  const key = new Uint8Array(32).fill(name.length + 7);
  const box = createSecretBox(() => {
    if (state !== 'unlocked') throw new ApiError('VAULT_LOCKED', 'locked');
    return key;
  });
  const events: TestNode['events'] = [];
  const ids = o.identities ?? [name];
  const identities = testIdentities(ids, o.published ? { published: o.published } : {});
  const node = await createCommunitiesNode({
    db,
    dataDir,
    p2p,
    vault: {
      status: () => state,
      secretBox: () => box,
      onStateChange(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
    identities,
    ...(o.swaps ? { swaps: o.swaps } : {}),
    config: CommunitiesConfig.parse({ storage: { enabled: o.storage ?? false } }),
    log: process.env.CM_DEBUG
      ? {
          info: (m, d) => console.log(name, m, JSON.stringify(d)),
          warn: (m, d) => console.log(name, 'WARN', m, JSON.stringify(d)),
          error: (m, d) => console.log(name, 'ERROR', m, JSON.stringify(d)),
        }
      : silentLogger,
    ...(o.now ? { now: o.now } : {}),
    ...(o.mlsProvider ? { mlsProvider: o.mlsProvider } : {}),
    emit: (event, data) => events.push({ event, data }),
  });
  await node.start();
  const set = (s: 'unlocked' | 'locked') => {
    state = s;
    for (const l of listeners) l(s);
  };
  return {
    db,
    name,
    did: testIdentity(ids[0] ?? name).did,
    identities,
    peerId: p2p.peerId,
    node,
    events,
    lock: () => set('locked'),
    unlock: () => set('unlocked'),
    sealedGroup: (id) => sealedGroup(db, box, id, o.mlsProvider),
    async stop() {
      await node.stop();
      db.close();
    },
  };
}

/** Polls until `check` returns something (not undefined/false), or fails naming `what`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
