// The registry's repository (migrations/0001_registry.ts): statements as signed, records' fields
// and local state, URI states, blobs, the bucket. Only what acceptance decided to store is
// written, each acceptance in one transaction; nothing here judges a statement.
import type { Database } from 'better-sqlite3';
import { spdxLicences } from '../../src-shared/registry/fields.ts';
import type { Licence, Statement, StatementKind } from '../../src-shared/registry/statements.ts';
import type { UriState } from './types.ts';

export type Via = 'self' | 'api' | 'gossip' | 'sync';
export type RecordStatus = 'verified' | 'unverified' | 'mismatch';

export interface StoredStatement {
  readonly id: string;
  readonly kind: StatementKind;
  readonly signer: string;
  readonly iat: number;
  readonly hash: string | null;
  readonly record: string | null;
  readonly subject: string | null;
  readonly uri: string | null;
  readonly level: string | null;
  readonly content: string;
  readonly publicKey: Uint8Array | undefined;
  readonly receivedAt: number;
}

export interface RecordRow {
  readonly id: string;
  readonly hash: string;
  readonly size: number;
  readonly name: string;
  readonly language: string;
  readonly licence: Licence;
  readonly format: string;
  readonly signer: string;
  readonly iat: number;
  readonly status: RecordStatus;
  readonly receivedAt: number;
}

export interface UriRow {
  readonly hash: string;
  readonly uri: string;
  readonly addedBy: string | null;
  readonly state: UriState;
  readonly checkedAt: number | null;
  readonly detail: string | null;
}

export interface SearchFilter {
  readonly text?: string;
  readonly language?: string;
  readonly licence?: string;
  readonly format?: string;
  readonly signer?: string;
  readonly before?: { receivedAt: number; id: string };
  readonly limit: number;
}

export interface BucketRow {
  readonly enabled: boolean;
  readonly rule: unknown;
  readonly maxBytes: number;
  readonly identity: string | null;
  readonly lastError: string | null;
}

interface StatementSql {
  id: string;
  kind: StatementKind;
  signer: string;
  iat: number;
  hash: string | null;
  record: string | null;
  subject: string | null;
  uri: string | null;
  level: string | null;
  content: string;
  public_key: Buffer | null;
  received_at: number;
}
interface RecordSql {
  id: string;
  hash: string;
  size: number;
  name: string;
  language: string;
  licence: string;
  format: string;
  signer: string;
  iat: number;
  status: RecordStatus;
  received_at: number;
}
interface UriSql {
  hash: string;
  uri: string;
  added_by: string | null;
  state: UriState;
  checked_at: number | null;
  detail: string | null;
}

const fromStatement = (r: StatementSql): StoredStatement => ({
  id: r.id,
  kind: r.kind,
  signer: r.signer,
  iat: r.iat,
  hash: r.hash,
  record: r.record,
  subject: r.subject,
  uri: r.uri,
  level: r.level,
  content: r.content,
  publicKey: r.public_key ? new Uint8Array(r.public_key) : undefined,
  receivedAt: r.received_at,
});
const fromRecord = (r: RecordSql): RecordRow => ({
  id: r.id,
  hash: r.hash,
  size: r.size,
  name: r.name,
  language: r.language,
  licence: JSON.parse(r.licence) as Licence,
  format: r.format,
  signer: r.signer,
  iat: r.iat,
  status: r.status,
  receivedAt: r.received_at,
});
const fromUri = (r: UriSql): UriRow => ({
  hash: r.hash,
  uri: r.uri,
  addedBy: r.added_by,
  state: r.state,
  checkedAt: r.checked_at,
  detail: r.detail,
});

const escapeLike = (text: string) => text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

export type RegistryRepo = ReturnType<typeof createRegistryRepo>;

export function createRegistryRepo(db: Database) {
  const q = {
    statement: db.prepare<[string], StatementSql>('SELECT * FROM registry_statements WHERE id = ?'),
    insertStatement: db.prepare(
      `INSERT INTO registry_statements (id, kind, signer, iat, hash, record, subject, uri, level, content, public_key, via, peer_id, received_at)
       VALUES (@id, @kind, @signer, @iat, @hash, @record, @subject, @uri, @level, @content, @publicKey, @via, @peerId, @receivedAt)`,
    ),
    deleteStatement: db.prepare<[string]>('DELETE FROM registry_statements WHERE id = ?'),
    record: db.prepare<[string], RecordSql>('SELECT * FROM registry_records WHERE id = ?'),
    recordsOfHash: db.prepare<[string], RecordSql>('SELECT * FROM registry_records WHERE hash = ? ORDER BY iat, id'),
    insertRecord: db.prepare(
      `INSERT INTO registry_records (id, hash, size, name, name_lower, language, language_lower, licence, licence_ids, format, signer, iat, status, received_at)
       VALUES (@id, @hash, @size, @name, @nameLower, @language, @languageLower, @licence, @licenceIds, @format, @signer, @iat, @status, @receivedAt)`,
    ),
    setStatusOfHash: db.prepare<[RecordStatus, string]>('UPDATE registry_records SET status = ? WHERE hash = ?'),
    verifiedOfHash: db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM registry_records WHERE hash = ? AND status = 'verified'",
    ),
    unverified: db.prepare<[], RecordSql>(
      "SELECT * FROM registry_records WHERE status = 'unverified' ORDER BY received_at",
    ),
    byKindRecord: db.prepare<[string, string], StatementSql>(
      'SELECT * FROM registry_statements WHERE record = ? AND kind = ? ORDER BY iat, id',
    ),
    bySignerRecord: db.prepare<[string, string, string], { id: string }>(
      'SELECT id FROM registry_statements WHERE kind = ? AND signer = ? AND record = ?',
    ),
    trustSlot: db.prepare<[string, string], StatementSql>(
      "SELECT * FROM registry_statements WHERE kind = 'trust' AND signer = ? AND subject = ?",
    ),
    trustAll: db.prepare<[], StatementSql>("SELECT * FROM registry_statements WHERE kind = 'trust'"),
    trustBySigner: db.prepare<[string], StatementSql>(
      "SELECT * FROM registry_statements WHERE kind = 'trust' AND signer = ? ORDER BY iat DESC",
    ),
    trustBySubject: db.prepare<[string], StatementSql>(
      "SELECT * FROM registry_statements WHERE kind = 'trust' AND subject = ? ORDER BY iat DESC",
    ),
    uris: db.prepare<[string], UriSql>(
      'SELECT * FROM registry_uris WHERE hash = ? ORDER BY added_by IS NOT NULL, rowid',
    ),
    uri: db.prepare<[string, string], UriSql>('SELECT * FROM registry_uris WHERE hash = ? AND uri = ?'),
    addUri: db.prepare<[string, string, string | null, UriState, number | null, string | null]>(
      'INSERT OR IGNORE INTO registry_uris (hash, uri, added_by, state, checked_at, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setUri: db.prepare<[UriState, number, string | null, string, string]>(
      'UPDATE registry_uris SET state = ?, checked_at = ?, detail = ? WHERE hash = ? AND uri = ?',
    ),
    uriHashesToCheck: db.prepare<[number], { hash: string }>(
      `SELECT DISTINCT u.hash FROM registry_uris u JOIN registry_records r ON r.hash = u.hash
       WHERE r.status != 'unverified' AND (u.checked_at IS NULL OR u.checked_at < ?) LIMIT 100`,
    ),
    reconcileItems: db.prepare<[], { iat: number; id: string }>('SELECT iat, id FROM registry_statements'),
    counts: db.prepare<[], { statements: number; records: number }>(
      'SELECT (SELECT count(*) FROM registry_statements) AS statements, (SELECT count(*) FROM registry_records) AS records',
    ),
    relatedFrom: db.prepare<[string], { id: string; name: string; type: string }>(
      'SELECT r.id, r.name, l.type FROM registry_relations l JOIN registry_records r ON r.id = l.record WHERE l.target = ? LIMIT 50',
    ),
    addRelation: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO registry_relations (record, type, target) VALUES (?, ?, ?)',
    ),
    blob: db.prepare<[string], { hash: string; size: number; source: string }>(
      'SELECT * FROM registry_blobs WHERE hash = ?',
    ),
    blobs: db.prepare<[], { hash: string; size: number; source: string }>('SELECT * FROM registry_blobs'),
    addBlob: db.prepare<[string, number, string, number]>(
      'INSERT OR IGNORE INTO registry_blobs (hash, size, source, stored_at) VALUES (?, ?, ?, ?)',
    ),
    bucket: db.prepare<
      [],
      { enabled: number; rule: string; max_bytes: number; identity: string | null; last_error: string | null }
    >('SELECT * FROM registry_bucket WHERE one = 1'),
    setBucket: db.prepare<[number, string, number, string | null]>(
      `INSERT INTO registry_bucket (one, enabled, rule, max_bytes, identity, last_error) VALUES (1, ?, ?, ?, ?, NULL)
       ON CONFLICT (one) DO UPDATE SET enabled = excluded.enabled, rule = excluded.rule, max_bytes = excluded.max_bytes,
         identity = excluded.identity, last_error = NULL`,
    ),
    bucketError: db.prepare<[string | null]>('UPDATE registry_bucket SET last_error = ? WHERE one = 1'),
    failure: db.prepare<[string], { failed_at: number }>(
      'SELECT failed_at FROM registry_mirror_failures WHERE hash = ?',
    ),
    setFailure: db.prepare<[string, number, string]>(
      'INSERT OR REPLACE INTO registry_mirror_failures (hash, failed_at, detail) VALUES (?, ?, ?)',
    ),
  };

  function insertStatement(s: Statement, via: Via, peerId: string | null, at: number): void {
    const p = s.payload as unknown as Record<string, unknown>;
    q.insertStatement.run({
      id: s.id,
      kind: s.kind,
      signer: s.signer,
      iat: s.iat,
      hash: typeof p.hash === 'string' ? p.hash : null,
      record: typeof p.record === 'string' ? p.record : null,
      subject: typeof p.subject === 'string' ? p.subject : null,
      uri: typeof p.uri === 'string' ? p.uri : null,
      level: typeof p.level === 'string' ? p.level : null,
      content: s.content,
      publicKey: Buffer.from(s.publicKey),
      via,
      peerId,
      receivedAt: at,
    });
  }

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    statement: (id: string) => {
      const r = q.statement.get(id);
      return r ? fromStatement(r) : undefined;
    },
    insertStatement,
    /** Replaces a trust slot's statement (the caller decided it is newer). */
    replaceTrust(s: Statement, via: Via, peerId: string | null, at: number): void {
      const old = q.trustSlot.get(s.signer, (s.payload as { subject: string }).subject);
      if (old) q.deleteStatement.run(old.id);
      insertStatement(s, via, peerId, at);
    },
    insertRecord(s: Extract<Statement, { kind: 'record' }>, status: RecordStatus, at: number): void {
      const p = s.payload;
      const ids = 'spdx' in p.licence ? spdxLicences(p.licence.spdx) : undefined;
      q.insertRecord.run({
        id: s.id,
        hash: p.hash,
        size: p.size,
        name: p.name,
        nameLower: p.name.toLowerCase(),
        language: p.language,
        languageLower: p.language.toLowerCase(),
        licence: JSON.stringify(p.licence),
        licenceIds: ids && 'ids' in ids ? ` ${ids.ids.join(' ')} ` : null,
        format: p.format,
        signer: s.signer,
        iat: s.iat,
        status,
        receivedAt: at,
      });
      for (const r of p.relations) q.addRelation.run(s.id, r.type, r.hash);
    },
    relatedFrom: (hash: string) => q.relatedFrom.all(hash),
    record: (id: string) => {
      const r = q.record.get(id);
      return r ? fromRecord(r) : undefined;
    },
    recordsOfHash: (hash: string) => q.recordsOfHash.all(hash).map(fromRecord),
    contentVerified: (hash: string) => q.verifiedOfHash.get(hash)!.n > 0 || q.blob.get(hash) !== undefined,
    setStatusOfHash: (hash: string, status: RecordStatus) => q.setStatusOfHash.run(status, hash),
    unverified: () => q.unverified.all().map(fromRecord),
    statementsOf: (record: string, kind: 'cosign' | 'witness') => q.byKindRecord.all(record, kind).map(fromStatement),
    hasSignerRecord: (kind: 'cosign' | 'witness', signer: string, record: string) =>
      q.bySignerRecord.get(kind, signer, record) !== undefined,
    trustSlot: (signer: string, subject: string) => {
      const r = q.trustSlot.get(signer, subject);
      return r ? fromStatement(r) : undefined;
    },
    trustAll: () => q.trustAll.all().map(fromStatement),
    trustBySigner: (did: string) => q.trustBySigner.all(did).map(fromStatement),
    trustBySubject: (did: string) => q.trustBySubject.all(did).map(fromStatement),
    uris: (hash: string) => q.uris.all(hash).map(fromUri),
    uri: (hash: string, uri: string) => {
      const r = q.uri.get(hash, uri);
      return r ? fromUri(r) : undefined;
    },
    addUri: (
      hash: string,
      uri: string,
      addedBy: string | null,
      state: UriState,
      at: number | null,
      detail: string | null,
    ) => q.addUri.run(hash, uri, addedBy, state, at, detail),
    setUri: (hash: string, uri: string, state: UriState, at: number, detail: string | null) =>
      q.setUri.run(state, at, detail, hash, uri),
    hashesToRecheck: (checkedBefore: number) => q.uriHashesToCheck.all(checkedBefore).map((r) => r.hash),
    reconcileItems: () =>
      q.reconcileItems.all().map((r) => ({ ts: r.iat, id: Buffer.from(r.id, 'hex') as Uint8Array })),
    counts: () => q.counts.get()!,
    search(f: SearchFilter): RecordRow[] {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.text) {
        where.push("(name_lower LIKE ? ESCAPE '\\' OR hash = ? OR id = ?)");
        args.push(`%${escapeLike(f.text)}%`, f.text.toLowerCase(), f.text.toLowerCase());
      }
      if (f.language && f.language !== '*') {
        where.push("(language_lower = ? OR language_lower LIKE ? ESCAPE '\\')");
        args.push(f.language.toLowerCase(), `${escapeLike(f.language)}-%`);
      }
      if (f.licence) {
        where.push("licence_ids LIKE ? ESCAPE '\\'");
        args.push(`% ${f.licence.replace(/[\\%_]/g, (c) => `\\${c}`)} %`);
      }
      if (f.format) {
        if (f.format.endsWith('/*')) {
          where.push("format LIKE ? ESCAPE '\\'");
          args.push(`${escapeLike(f.format.slice(0, -1))}%`);
        } else {
          where.push('format = ?');
          args.push(f.format);
        }
      }
      if (f.signer) {
        where.push('signer = ?');
        args.push(f.signer);
      }
      if (f.before) {
        where.push('(received_at < ? OR (received_at = ? AND id < ?))');
        args.push(f.before.receivedAt, f.before.receivedAt, f.before.id);
      }
      const sql = `SELECT * FROM registry_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY received_at DESC, id DESC LIMIT ?`;
      return db
        .prepare<unknown[], RecordSql>(sql)
        .all(...args, f.limit)
        .map(fromRecord);
    },
    /** Every record, one per content hash (the earliest), for bucket rules. */
    allRecords: () =>
      db.prepare<[], RecordSql>('SELECT * FROM registry_records ORDER BY iat, id').all().map(fromRecord),
    blob: (hash: string) => q.blob.get(hash),
    blobs: () => q.blobs.all(),
    addBlob: (hash: string, size: number, source: 'upload' | 'mirror', at: number) =>
      q.addBlob.run(hash, size, source, at),
    bucket(): BucketRow | undefined {
      const r = q.bucket.get();
      return r
        ? {
            enabled: r.enabled === 1,
            rule: JSON.parse(r.rule),
            maxBytes: r.max_bytes,
            identity: r.identity,
            lastError: r.last_error,
          }
        : undefined;
    },
    setBucket: (b: Omit<BucketRow, 'lastError'>) =>
      q.setBucket.run(b.enabled ? 1 : 0, JSON.stringify(b.rule), b.maxBytes, b.identity),
    setBucketError: (e: string | null) => q.bucketError.run(e),
    mirrorFailedAt: (hash: string) => q.failure.get(hash)?.failed_at,
    setMirrorFailure: (hash: string, at: number, detail: string) => q.setFailure.run(hash, at, detail),
  };
}
