// The identity domain on a node, put together: the registry with its native verifier, our own
// identities in the vault, replication, link checks, HTTP routes, the `identities` component and
// the handlers of the identity.* methods. module.ts hands it the node's parts.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { fail } from '../../src-shared/identity/errors.ts';
import type { LinkView } from '../../src-shared/identity/contract.ts';
import { resolveDid } from '../../src-shared/identity/resolve.ts';
import { addressOfDid } from '../../src-shared/identity/verify.ts';
import { parseCompactJws } from '../../src-shared/identity/jws.ts';
import { MAX_RECORD_CHARS, orderKeySlot } from '../../src-shared/identity/records.ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { RpcClient } from '../chain/rpc.ts';
import type { Handlers, HttpRoute } from '../kernel/module.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { Vault } from '../vault/index.ts';
import type { SecretBox } from '../wallets/index.ts';
import { chainLookup } from './chains.ts';
import type { Identities, MyIdentity } from './component.ts';
import type { IdentityConfig } from './config.ts';
import { identityRoutes } from './http.ts';
import { checkAccount, checkDomain, DEFAULT_DOMAIN_FETCH } from './links-check.ts';
import { createStoredKeyCache } from './native-verify.ts';
import { createSecpVerifier } from './secp-verify.ts';
import { createOwn, DEFAULT_SCAN_GAP, scanPaths } from './own.ts';
import { createOwnRecords } from './own-records.ts';
import { ATTEST_DAYS, createOrderShowing, makerIdentityOf, type MakerIdentities } from './order-identity.ts';
import { tradingRecord } from './record.ts';
import { createRegistry, type RecordChange } from './registry.ts';
import { createReplication } from './replication.ts';
import type { IdentityRepo } from './repo.ts';
import { createVerifyPool } from './verify-pool.ts';
import { identityView, linkView, resolvedOf, storedDid } from './views.ts';
import type { Database } from 'better-sqlite3';

export interface IdentityNodeDeps {
  readonly repo: IdentityRepo;
  readonly db: Database;
  readonly vault: Vault;
  readonly p2p: P2pHost;
  readonly coins: readonly CoinParams[];
  readonly coin: (ticker: string) => CoinParams;
  /** The connected wallet's client, or undefined when none is configured. */
  readonly rpcOf: (ticker: string) => RpcClient | undefined;
  readonly config: IdentityConfig;
  readonly log: Logger;
  readonly now: () => number;
  readonly emit: {
    updated(e: { did: string; kind: RecordChange['kind']; status: RecordChange['status']; mine: boolean }): void;
    sync(e: { phase: 'reconciling' | 'fetching' | 'done' | 'failed'; need: number; fetched: number }): void;
  };
}

export interface IdentityNode {
  readonly handlers: Partial<Handlers>;
  readonly routes: HttpRoute[];
  readonly identities: Identities;
  readonly makerIdentities: MakerIdentities;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const RENEW_CHECK_MS = 6 * 3_600_000;

export function createIdentityNode(d: IdentityNodeDeps): IdentityNode {
  const { repo } = d;
  const chains = chainLookup(d.coins);
  const verifier = createSecpVerifier();
  const keys = createStoredKeyCache((address) => repo.publicKeyOf(`did:is:${address}`));
  const registry = createRegistry({ repo, verifier, keys, chains, now: d.now });
  const pool = createVerifyPool({
    size: d.config.verifyThreads,
    coins: d.coins,
    inline: { verifier, keys, chains },
  });
  const replication = createReplication({
    p2p: d.p2p,
    repo,
    registry,
    pool,
    knownKey: (address) => keys.get(address),
    log: d.log,
    now: d.now,
    options: d.config.replication,
    onSync: (e) => {
      d.emit.sync(e);
      if (e.phase === 'done' && e.fetched > 0 && d.vault.status() === 'unlocked') void scan(d.config.scanGap, false);
    },
  });
  const own = createOwn({ vault: d.vault, repo, registry, now: d.now });
  const secrets = (): SecretBox => d.vault.secretBox();
  const records = createOwnRecords({
    own,
    repo,
    chains,
    coin: d.coin,
    rpc: (ticker) => d.rpcOf(ticker) ?? fail('NOT_FOUND', `no wallet is connected for ${ticker}`),
    secrets,
    now: d.now,
  });
  const showing = createOrderShowing({
    own,
    repo,
    orderKey: () => d.vault.networkPublicKey('order'),
    signOrderKey: (digest) => d.vault.signNetworkDigest('order', digest),
    log: d.log,
    now: d.now,
  });
  const domainFetch = { ...DEFAULT_DOMAIN_FETCH, ...d.config.domains };
  const offs: Array<() => void> = [];
  const makersNoted = new Set<string>();

  const isMine = (did: string) => repo.mine.get(did) !== undefined;
  const profileOf = (did: string) => {
    if (!addressOfDid(did)) fail('DID_INVALID', `${did.slice(0, 80)} is not a did:is DID`);
    const rec = repo.get(did);
    if (!rec) fail('NOT_FOUND', `no identity ${did} is stored on this node`);
    return rec;
  };
  const view = (did: string) => identityView(profileOf(did), repo, repo.mine.get(did));
  const links = (did: string): LinkView[] =>
    repo
      .byDid(did)
      .filter((r) => r.kind === 'link')
      .map((r) => linkView(r, repo, chains));

  async function checkLinks(did: string): Promise<LinkView[]> {
    for (const link of links(did)) {
      if (link.removed) continue;
      const slot = `${did}#link:${link.target}`;
      const checkedAt = d.now();
      if (link.kind === 'domain') {
        const r = await checkDomain(did, link.target, domainFetch, d.now());
        repo.checks.put(slot, { ...r, balances: [], checkedAt });
      } else if (link.caip2 && link.address) {
        const r = await checkAccount(link.caip2, link.address, d.coins, d.rpcOf);
        repo.checks.put(slot, { ...r, checkedAt });
      }
    }
    return links(did);
  }

  async function lookupPublished(dids: string[]): Promise<Set<string>> {
    const missing = dids.filter((did) => !repo.get(did));
    if (missing.length > 0) await replication.lookup(missing);
    return new Set(dids.filter((did) => repo.get(did)));
  }

  async function scan(gap: number, askPeers: boolean) {
    let asked = 0;
    const lookup = askPeers
      ? async (dids: string[]) => {
          asked = Math.max(asked, d.p2p.peers().length);
          return lookupPublished(dids);
        }
      : async (dids: string[]) => new Set(dids.filter((did) => repo.get(did)));
    const { found, checked } = await scanPaths(own, gap, lookup);
    own.adopt(found);
    return { found, checked, askedPeers: asked };
  }

  const identities: Identities = {
    async resolve(did, opts) {
      if (!addressOfDid(did)) return undefined;
      if (!repo.get(did) && opts?.askPeers !== false) await replication.lookup([did]);
      const rec = repo.get(did);
      return rec ? resolvedOf(rec, repo, isMine(did)) : undefined;
    },
    mine: () =>
      repo.mine.list().map((row): MyIdentity => ({
        did: row.did,
        address: row.did.slice('did:is:'.length),
        scheme: row.scheme,
        index: row.index,
        label: row.label,
        current: repo.get(row.did) ? resolvedOf(repo.get(row.did)!, repo, true) : undefined,
      })),
    sign: (did, digest32) => own.signer(did).signDigest(digest32),
    openMetadata: (did, key) => records.open(did, key),
    links,
    async publish(content) {
      const o = registry.ingest(content, { via: 'self' });
      if (o.stored) return 'stored';
      if (o.reason === 'DUPLICATE' || o.reason === 'IAT_NOT_NEWER' || o.reason === 'TIE_LOST') return 'unchanged';
      return fail(o.reason, o.message);
    },
    slot: (slot) => repo.get(slot)?.content,
    onChanged: (listener) =>
      registry.onChange((c) => {
        if (c.kind !== 'order-key') listener({ did: c.did, kind: c.kind });
      }),
  };

  const handlers: Partial<Handlers> = {
    'identity.create': (p) => view(own.create(p)),
    'identity.update': (p) => (own.update(p.did, p.profile), view(p.did)),
    'identity.delete': (p) => (own.remove(p.did), view(p.did)),
    'identity.recreate': (p) => (own.recreate(p.did, p.profile), view(p.did)),
    'identity.label': (p) => (own.mineRow(p.did), repo.mine.setLabel(p.did, p.label), view(p.did)),
    'identity.scan': async (p) => {
      const r = await scan(p.gap ?? DEFAULT_SCAN_GAP, true);
      return { found: r.found.map((f) => view(f.did)), checked: r.checked, askedPeers: r.askedPeers };
    },
    'identity.get': async (p) => {
      if (addressOfDid(p.did) && !repo.get(p.did)) await replication.lookup([p.did]);
      return view(p.did);
    },
    'identity.list': (p) => listIdentities(repo, p),
    'identity.resolve': (p) => resolveDid(p.did, p.accept, storedDid(p.did, repo)),
    'identity.publish': (p) => {
      const o = registry.ingest(p.content, { via: 'api' });
      if (o.stored) return { did: o.record.did, kind: o.record.kind, status: o.status };
      if (o.reason === 'DUPLICATE' && o.about) return { did: o.about.did, kind: o.about.kind, status: 'unchanged' };
      return fail(o.reason, o.message);
    },
    'identity.links.list': (p) => ({ links: links(p.did) }),
    'identity.links.check': async (p) => ({ links: await checkLinks(p.did) }),
    'identity.links.statement': (p) => records.statement(p.did, p.account),
    'identity.links.add': (p) => linkResult(p.did, records.linkAccount(p.did, p.account, p.iat, p.signature)),
    'identity.links.wallet': async (p) => linkResult(p.did, await records.linkWallet(p.did, p.ticker, p.address)),
    'identity.links.domain': async (p) => linkResult(p.did, records.linkDomain(p.did, p.origin)),
    'identity.links.remove': (p) => linkResult(p.did, records.unlink(p.did, p.target)),
    'identity.metadata.set': (p) => records.setMetadata(p.did, p.fields),
    'identity.metadata.get': async (p) => {
      const key = p.identityKey ?? (isMine(p.did) ? records.metadataKey(p.did) : undefined);
      const published = repo.get(`${p.did}#metadata`)?.tombstone === false;
      if (!key) return { fields: null, published, identityKey: null };
      return { fields: (await records.open(p.did, key)) ?? null, published, identityKey: key };
    },
    'identity.metadata.remove': (p) => records.removeMetadata(p.did),
    'identity.domain.credential': (p) => records.credential(p.did, p.origin, p.days ?? 365),
    'identity.attest': (p) => showing.attest(p.did, p.days ?? ATTEST_DAYS),
    'identity.orders.get': () => ordersChoice(),
    'identity.orders.set': (p) => {
      showing.choose(p.did);
      return ordersChoice();
    },
    'identity.record': (p) => tradingRecord(d.db, repo, p.did),
    'identity.sync.status': () => ({ records: repo.count(), ...replication.status() }),
  };

  function linkResult(did: string, slot: string): LinkView {
    const rec = repo.get(slot)!;
    const v = linkView(rec, repo, chains);
    if (!v.removed)
      void checkLinks(did).catch((err: unknown) => d.log.info('link check failed', { error: String(err) }));
    return v;
  }

  function ordersChoice() {
    const row = repo.mine.list().find((r) => r.onOrders);
    if (!row) return { did: null, exp: null };
    const rec = repo.get(orderKeySlot(row.did, bytesToHex(d.vault.networkPublicKey('order'))));
    const exp = rec && !rec.tombstone ? (parseCompactJws(rec.content, MAX_RECORD_CHARS).payload.exp as number) : null;
    return { did: row.did, exp };
  }

  return {
    handlers,
    routes: identityRoutes({ registry, repo }),
    identities,
    makerIdentities: {
      ofOrderKey(orderKeyHex, peerId) {
        const found = makerIdentityOf(repo, orderKeyHex, d.now());
        if (!found) return undefined;
        // The maker's node: our refunds with it count on the identity's trading record.
        const seenKey = `${orderKeyHex} ${found.did} ${found.iat} ${peerId}`;
        if (peerId && !makersNoted.has(seenKey)) {
          makersNoted.add(seenKey);
          repo.attestations.put({ ...found, orderKey: orderKeyHex, peerId, seenAt: d.now() });
        }
        return { did: found.did, name: found.name };
      },
    },
    async start() {
      offs.push(
        registry.onChange((c) => {
          if (c.via !== 'sync') d.emit.updated({ did: c.did, kind: c.kind, status: c.status, mine: isMine(c.did) });
        }),
      );
      offs.push(
        d.vault.onStateChange((state) => {
          if (state !== 'unlocked') return;
          void scan(d.config.scanGap, true).catch(() => undefined);
          showing.renew();
        }),
      );
      // The identity shown on our orders is renewed well before its attestation ends.
      const renewal = setInterval(() => {
        if (d.vault.status() === 'unlocked') showing.renew();
      }, RENEW_CHECK_MS);
      renewal.unref();
      offs.push(() => clearInterval(renewal));
      await replication.start();
      if (d.vault.status() === 'unlocked') {
        void scan(d.config.scanGap, true).catch(() => undefined);
        showing.renew();
      }
    },
    async stop() {
      for (const off of offs.splice(0)) off();
      replication.stop();
      await pool.close();
    },
  };
}

function listIdentities(repo: IdentityRepo, p: { mine?: boolean; query?: string; limit?: number; cursor?: string }) {
  const limit = p.limit ?? 100;
  const after = p.cursor ?? '';
  if (p.mine) {
    // Ours are few: filter their views, names and labels included.
    const q = p.query?.trim().toLowerCase() ?? '';
    const all = repo.mine
      .list()
      .filter((m) => m.did > after && repo.get(m.did))
      .map((m) => identityView(repo.get(m.did)!, repo, m))
      .filter(
        (v) =>
          q === '' ||
          [v.profile.name, v.profile.shortname, v.label, v.address].some((t) => t?.toLowerCase().includes(q)),
      )
      .sort((a, b) => (a.did < b.did ? -1 : 1));
    const items = all.slice(0, limit);
    return { items, cursor: all.length > limit ? items[items.length - 1]!.did : null };
  }
  const rows = repo.listProfiles({ query: p.query, limit: limit + 1, after });
  const items = rows.slice(0, limit).map((r) => identityView(r, repo, repo.mine.get(r.did)));
  return { items, cursor: rows.length > limit ? items[items.length - 1]!.did : null };
}
