// The registry domain's slice of the API contract (docs/registry.md §8): publishing, submitting
// and reading records, co-signatures, URIs, trust and buckets. src-shared/api/contract.ts merges
// it; src-main/registry implements it; the CLI gets `hashlock registry …` from it.
import { z } from 'zod';
import { Empty } from '../api/schemas.ts';
import { method } from '../api/method.ts';
import { MAX_STATEMENT_CHARS, RELATION_TYPES, TRUST_LEVELS } from './statements.ts';
import { MAX_TRUST_DEPTH } from './trust.ts';

const Did = z.string().min(8).max(200);
const Id = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-hex record id');
const Hash = z.string().regex(/^[0-9a-f]{128}$/, 'a 128-hex SHA-512');
const Uri = z.string().min(1).max(2000);
const Depth = z.number().int().min(1).max(MAX_TRUST_DEPTH);
const Licence = z.union([
  z.object({ spdx: z.string().max(200) }).strict(),
  z.object({ text: z.string().max(500) }).strict(),
]);
const Relation = z.object({ type: z.enum(RELATION_TYPES), hash: Hash }).strict();
const Status = z.enum(['verified', 'unverified', 'mismatch']);
export const UriState = z.enum(['unchecked', 'ok', 'bad', 'unreachable', 'refused']);

export const UriView = z.object({
  uri: z.string(),
  state: UriState,
  checkedAt: z.number().int().nullable(),
  detail: z.string().nullable(),
  /** Who signed the added URI; null for the record's own URIs. */
  addedBy: z.string().nullable(),
});
/**
 * A verification badge: a link of the signer's identity that this node checked and found good
 * (a domain serving its credential, an address a chain here shows). Email and social accounts
 * have no link kind in did:is yet, so there are none of those.
 */
export const Badge = z.object({
  kind: z.enum(['domain', 'account']),
  /** The domain's host, or the account's chain and a shortened address. */
  label: z.string(),
  /** The link's target as signed (https origin or CAIP-10 account). */
  target: z.string(),
});
export type Badge = z.infer<typeof Badge>;

export const CosignerView = z.object({
  did: z.string(),
  name: z.string().nullable(),
  iat: z.number().int(),
  /** Trusted by one of our identities for the record's language within the default depth. */
  trusted: z.boolean(),
  depth: z.number().int().nullable(),
  /** Named in the record's parties (an agreement's approval). */
  party: z.boolean(),
  badges: z.array(Badge),
});
export const RecordSummary = z.object({
  id: z.string(),
  hash: z.string(),
  size: z.number().int(),
  name: z.string(),
  language: z.string(),
  licence: Licence,
  format: z.string(),
  signer: z.string(),
  signerName: z.string().nullable(),
  /** Signed by a DID we trust (depth ≤ default) for the record's language, or one of ours. */
  signerTrusted: z.boolean(),
  iat: z.number().int(),
  status: Status,
  witnesses: z.number().int(),
  settled: z.boolean(),
  cosigners: z.number().int(),
  trustedCosigners: z.number().int(),
  receivedAt: z.number().int(),
});
export type RecordSummary = z.infer<typeof RecordSummary>;

export const RecordView = RecordSummary.extend({
  uris: z.array(UriView),
  relations: z.array(
    Relation.extend({
      /** Records of the related content this node holds. */
      known: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  /** Records of other content that point at this one's hash. */
  relatedFrom: z.array(z.object({ id: z.string(), name: z.string(), type: z.enum(RELATION_TYPES) })),
  parties: z.array(z.string()),
  signerBadges: z.array(Badge),
  cosignerList: z.array(CosignerView),
  witnessList: z.array(z.object({ node: z.string(), at: z.number().int() })),
  settleWitnesses: z.number().int(),
  /** The earliest witness time: when the network first accepted it. */
  acceptedAt: z.number().int().nullable(),
  /** Other records describing the same content. */
  sameContent: z.array(z.object({ id: z.string(), name: z.string(), signer: z.string() })),
  /** This node holds the bytes (mirror or published file). */
  mirrored: z.boolean(),
  content: z.string(),
});
export type RecordView = z.infer<typeof RecordView>;

export const TrustView = z.object({
  signer: z.string(),
  subject: z.string(),
  subjectName: z.string().nullable(),
  level: z.enum(TRUST_LEVELS),
  languages: z.array(z.string()).nullable(),
  iat: z.number().int(),
  mutual: z.boolean(),
});
export type TrustView = z.infer<typeof TrustView>;

export const BucketView = z.object({
  enabled: z.boolean(),
  rule: z.unknown(),
  maxBytes: z.number().int(),
  identity: z.string().nullable(),
  mirrored: z.number().int(),
  bytes: z.number().int(),
  pending: z.number().int(),
  lastError: z.string().nullable(),
});
export type BucketView = z.infer<typeof BucketView>;

export const DryRunView = z.object({
  items: z.array(
    z.object({ hash: z.string(), id: z.string(), name: z.string(), size: z.number().int(), mirrored: z.boolean() }),
  ),
  count: z.number().int(),
  totalBytes: z.number().int(),
  alreadyBytes: z.number().int(),
  newBytes: z.number().int(),
  freeBytes: z.number().int(),
  maxBytes: z.number().int(),
  fits: z.boolean(),
  reason: z.string().nullable(),
});
export type DryRunView = z.infer<typeof DryRunView>;

const SubmitResult = z.object({
  id: z.string(),
  kind: z.enum(['record', 'cosign', 'uri', 'witness', 'trust']),
  status: z.enum(['created', 'updated', 'unchanged']),
});
const BucketInput = z
  .object({
    rule: z.unknown(),
    maxBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 53 - 1),
    identity: Did.nullable().optional(),
  })
  .strict();

export const methods = {
  'registry.info': method(
    Empty,
    z.object({
      did: z.string(),
      peerId: z.string(),
      records: z.number().int(),
      statements: z.number().int(),
      trustEdges: z.number().int(),
      settleWitnesses: z.number().int(),
    }),
    "This node's registry identity (the key its witnesses and mirror URIs are signed with) and counts.",
  ),
  'registry.publish': method(
    z
      .object({
        did: Did,
        name: z.string().max(300),
        language: z.string().max(64),
        licence: Licence,
        format: z.string().max(127),
        uris: z.array(Uri).max(8).optional(),
        hash: Hash.optional(),
        size: z.number().int().min(0).optional(),
        relations: z.array(Relation).max(16).optional(),
        parties: z.array(Did).max(16).optional(),
      })
      .strict(),
    RecordView,
    'Sign a record with one of our identities and accept it: the content is hashed from a held blob or fetched from a URI (hash and size are computed when not given). Without URIs the blob is served over the overlay.',
  ),
  'registry.submit': method(
    z.object({ content: z.string().max(MAX_STATEMENT_CHARS) }).strict(),
    SubmitResult,
    'Accept a signed statement made elsewhere (record, co-signature, URI, witness, trust), in the order of docs/registry.md §4.',
  ),
  'registry.cosign': method(
    z.object({ did: Did, id: Id }).strict(),
    RecordView,
    'Co-sign a record with one of our identities (approval of an agreement, or vouching).',
  ),
  'registry.uri.add': method(
    z.object({ did: Did, hash: Hash, uri: Uri }).strict(),
    SubmitResult,
    'Add a URI where some content is available, signed by one of our identities; the node fetches it and checks the hash first.',
  ),
  'registry.search': method(
    z
      .object({
        text: z.string().max(200).optional(),
        language: z.string().max(64).optional(),
        licence: z.string().max(200).optional(),
        format: z.string().max(127).optional(),
        signer: Did.optional(),
        /** Only records signed by someone our identities trust within this depth for the record's language. */
        trustDepth: Depth.optional(),
        limit: z.number().int().min(1).max(200).optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ items: z.array(RecordSummary), cursor: z.string().nullable() }),
    'Browse and search records (newest first) by text, language range, SPDX licence id, format (type/* allowed), signer and trust.',
  ),
  'registry.get': method(
    z.object({ id: z.union([Id, Hash]) }).strict(),
    RecordView,
    'One record by its id (or the first record of a content hash) with URIs and their state, co-signers with trust marks, witnesses and relations.',
  ),
  'registry.recheck': method(
    z.object({ id: Id }).strict(),
    RecordView,
    "Fetch a record's URIs again now and mark each ok, bad or unreachable.",
  ),
  'registry.trust.set': method(
    z
      .object({
        did: Did,
        subject: Did,
        level: z.enum(TRUST_LEVELS),
        languages: z.array(z.string().max(64)).min(1).max(16).nullable().optional(),
      })
      .strict(),
    TrustView,
    'State (or revoke with level none) trust from one of our identities in another, for every language or some.',
  ),
  'registry.trust.list': method(
    z.object({ did: Did.optional() }).strict(),
    z.object({ items: z.array(TrustView), trustedBy: z.array(TrustView) }),
    'Trust statements made by an identity (default: all of ours) and those naming it.',
  ),
  'registry.trust.query': method(
    z
      .object({ roots: z.array(Did).max(16).optional(), language: z.string().max(64).optional(), depth: Depth })
      .strict(),
    z.object({
      items: z.array(
        z.object({ did: z.string(), name: z.string().nullable(), depth: z.number().int(), via: z.string() }),
      ),
    }),
    'Who the roots (default: our identities) trust for a language within a depth, each at its shortest depth.',
  ),
  'registry.bucket.get': method(Empty, BucketView, "This node's bucket: its rule, quota and mirroring progress."),
  'registry.bucket.dryRun': method(
    BucketInput,
    DryRunView,
    'What a rule would mirror, its total size, and whether it fits the quota and the disk.',
  ),
  'registry.bucket.set': method(
    BucketInput.extend({ enabled: z.boolean() }).strict(),
    BucketView,
    'Set the bucket rule; refused (BUCKET_TOO_BIG) when its dry run does not fit.',
  ),
  'registry.content.upload': method(
    z.object({ uploadId: z.string().max(64).optional(), data: z.string().max(700_000), done: z.boolean() }).strict(),
    z.object({
      uploadId: z.string(),
      received: z.number().int(),
      hash: z.string().nullable(),
      size: z.number().int().nullable(),
      uri: z.string().nullable(),
    }),
    'Upload a file in base64url chunks (≤ 512 KiB each); the last chunk (done) stores it as a blob served over the overlay.',
  ),
  'registry.content.add': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ hash: z.string(), size: z.number().int(), uri: z.string() }),
    'Store a file of this machine as a blob served over the overlay (headless nodes, the CLI).',
  ),
  'registry.content.probe': method(
    z.object({ uri: Uri }).strict(),
    z.object({ hash: z.string(), size: z.number().int(), contentType: z.string().nullable() }),
    'Fetch a URL (with the same caps and address rules) and say its SHA-512, size and type.',
  ),
} as const;

export const events = {
  'registry.updated': z.object({
    id: z.string(),
    kind: z.enum(['record', 'cosign', 'uri', 'witness', 'trust']),
    hash: z.string().nullable(),
  }),
  'registry.bucketChanged': BucketView,
} as const;
