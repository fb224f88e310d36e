// What the API shows of records and trust: summaries for lists, the full record page (URIs with
// their state, co-signers with trust marks from our identities' point of view, witnesses and
// settlement, relations both ways, other records of the same content), and trust statements.
import type { Badge, RecordSummary, RecordView, TrustView } from '../../src-shared/registry/contract.ts';
import type { Reached, TrustGraph } from '../../src-shared/registry/trust.ts';
import type { TrustLevel } from '../../src-shared/registry/statements.ts';
import type { Identities } from '../identity/index.ts';
import type { BlobStore } from './blobs.ts';
import type { RecordRow, RegistryRepo, StoredStatement } from './repo.ts';

export interface ViewDeps {
  readonly repo: RegistryRepo;
  readonly blobs: BlobStore;
  readonly graph: TrustGraph;
  readonly identities: Identities;
  readonly settleWitnesses: number;
  readonly trustDepth: number;
}

/** The signer's links this node checked and found good, as badges; never one it could not check. */
function verifiedBadges(identities: Identities, did: string): Badge[] {
  return identities
    .links(did)
    .filter((l) => !l.removed && l.check.state === 'verified')
    .map((l) =>
      l.kind === 'domain'
        ? { kind: 'domain' as const, label: hostOf(l.target), target: l.target }
        : {
            kind: 'account' as const,
            label: `${l.chain ?? l.caip2 ?? 'chain'} ${shortAddress(l.address ?? l.target)}`,
            target: l.target,
          },
    );
}

/** Names and trust for one request: each DID resolved once, each language's trusted set once. */
function createSession(d: ViewDeps, mine: string[]) {
  const names = new Map<string, Promise<string | null>>();
  const trusted = new Map<string, Map<string, Reached>>();
  return {
    mine,
    name(did: string): Promise<string | null> {
      let n = names.get(did);
      if (!n) {
        n = d.identities.resolve(did).then(
          (r) => (r && !r.deleted ? (r.profile.name ?? r.profile.shortname ?? null) : null),
          () => null,
        );
        names.set(did, n);
      }
      return n;
    },
    trustedFor(language: string): Map<string, Reached> {
      let t = trusted.get(language);
      if (!t) trusted.set(language, (t = mine.length ? d.graph.trustedFor(mine, language, d.trustDepth) : new Map()));
      return t;
    },
  };
}
type Session = ReturnType<typeof createSession>;

/** A record as lists show it: who signed it, whether we trust them, its co-signers and witnesses. */
async function summaryOf(d: ViewDeps, r: RecordRow, s: Session): Promise<RecordSummary> {
  const witnesses = new Set(d.repo.statementsOf(r.id, 'witness').map((w) => w.signer)).size;
  const cosigners = d.repo.statementsOf(r.id, 'cosign').map((c) => c.signer);
  const trusted = s.trustedFor(r.language);
  const isTrusted = (did: string) => trusted.has(did) || s.mine.includes(did);
  return {
    id: r.id,
    hash: r.hash,
    size: r.size,
    name: r.name,
    language: r.language,
    licence: r.licence,
    format: r.format,
    signer: r.signer,
    signerName: await s.name(r.signer),
    signerTrusted: isTrusted(r.signer),
    iat: r.iat,
    status: r.status,
    witnesses,
    settled: witnesses >= d.settleWitnesses,
    cosigners: cosigners.length,
    trustedCosigners: cosigners.filter(isTrusted).length,
    receivedAt: r.receivedAt,
  };
}

export function createViews(d: ViewDeps) {
  const roots = () => d.identities.mine().map((m) => m.did);
  const session = () => createSession(d, roots());
  const badges = (did: string) => verifiedBadges(d.identities, did);

  const summary = (r: RecordRow, s: Session) => summaryOf(d, r, s);

  async function record(r: RecordRow): Promise<RecordView> {
    const s = session();
    const base = await summary(r, s);
    const statement = d.repo.statement(r.id)!;
    const payload = payloadOf<{
      relations: Array<{ type: RecordView['relations'][number]['type']; hash: string }>;
      parties: string[];
    }>(statement.content);
    const trusted = s.trustedFor(r.language);
    const cosignerList = await Promise.all(
      d.repo.statementsOf(r.id, 'cosign').map(async (c) => ({
        did: c.signer,
        name: await s.name(c.signer),
        iat: c.iat,
        trusted: trusted.has(c.signer) || s.mine.includes(c.signer),
        depth: s.mine.includes(c.signer) ? 0 : (trusted.get(c.signer)?.depth ?? null),
        party: payload.parties.includes(c.signer),
        badges: badges(c.signer),
      })),
    );
    const witnessList = d.repo.statementsOf(r.id, 'witness').map((w) => ({ node: w.signer, at: w.iat }));
    return {
      ...base,
      uris: d.repo.uris(r.hash).map((u) => ({
        uri: u.uri,
        state: u.state,
        checkedAt: u.checkedAt,
        detail: u.detail,
        addedBy: u.addedBy ? (d.repo.statement(u.addedBy)?.signer ?? null) : null,
      })),
      relations: payload.relations.map((rel) => ({
        ...rel,
        known: d.repo.recordsOfHash(rel.hash).map((k) => ({ id: k.id, name: k.name })),
      })),
      relatedFrom: d.repo.relatedFrom(r.hash).map((x) => ({ id: x.id, name: x.name, type: x.type as never })),
      parties: payload.parties,
      signerBadges: badges(r.signer),
      cosignerList,
      witnessList,
      settleWitnesses: d.settleWitnesses,
      acceptedAt: witnessList.length ? Math.min(...witnessList.map((w) => w.at)) : null,
      sameContent: d.repo
        .recordsOfHash(r.hash)
        .filter((o) => o.id !== r.id)
        .map((o) => ({ id: o.id, name: o.name, signer: o.signer })),
      mirrored: d.blobs.has(r.hash),
      content: statement.content,
    };
  }

  async function trust(t: StoredStatement, s: Session): Promise<TrustView> {
    const payload = payloadOf<{ languages: string[] | null }>(t.content);
    return {
      signer: t.signer,
      subject: t.subject!,
      subjectName: await s.name(t.subject!),
      level: t.level as TrustLevel,
      languages: payload.languages,
      iat: t.iat,
      mutual: d.graph.mutualFriends(t.signer, t.subject!),
    };
  }

  return { session, summary, record, trust, roots };
}
export type Views = ReturnType<typeof createViews>;

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

function shortAddress(address: string): string {
  return address.length > 16 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}

/** The payload of a stored statement (a compact JWS this node verified when it took it in). */
function payloadOf<T>(content: string): T {
  return JSON.parse(new TextDecoder().decode(Buffer.from(content.split('.')[1]!, 'base64url'))) as T;
}
