// The identity domain's slice of the API contract: methods with params and result schemas, and the
// events the node pushes. src-shared/api/contract.ts merges it; src-main/identity implements it.
// docs/identity.md §10.
import { z } from 'zod';
import { Empty } from '../api/schemas.ts';
import { method } from '../api/method.ts';
import { MetadataFields } from './metadata.ts';
import { ProfileInput } from './profile.ts';
import { MAX_RECORD_CHARS } from './records.ts';

const Did = z.string().min(8).max(200);
const Account = z.number().int().min(0).max(0x7fffffff);
const Days = z.number().int().min(1);
const RecordStatus = z.enum(['created', 'updated', 'deleted', 'recreated', 'unchanged']);
const RecordKind = z.enum(['profile', 'metadata', 'link']);

export const ProfileView = z.object({
  name: z.string().nullable(),
  shortname: z.string().nullable(),
  alias: z.string().nullable(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  url: z.string().nullable(),
  image: z.string().nullable(),
  hubs: z.array(z.string()).nullable(),
});

export const IdentityView = z.object({
  did: z.string(),
  address: z.string(),
  /** Made with a key of this node's vault. */
  mine: z.boolean(),
  deleted: z.boolean(),
  iat: z.number().int(),
  /** UTC, no fractions. */
  updated: z.string(),
  recordId: z.string(),
  profile: ProfileView,
  /** The signed record as stored (compact JWS). */
  content: z.string(),
});
export type IdentityView = z.infer<typeof IdentityView>;

export const LinkView = z.object({
  did: z.string(),
  /** CAIP-10 account id or https origin. */
  target: z.string(),
  kind: z.enum(['account', 'domain']),
  iat: z.number().int(),
  /** Removed by the DID or revoked by the address. */
  removed: z.boolean(),
  /** For domains: whether the origin's did-configuration.json was fetched and holds a valid credential. */
  domainVerified: z.boolean().nullable(),
});
export type LinkView = z.infer<typeof LinkView>;

const AccountLinkInput = z
  .object({ did: Did, account: z.string().max(200), iat: z.number().int().min(0), signature: z.string().length(88) })
  .strict();
const DomainLinkInput = z.object({ did: Did, origin: z.string().max(300) }).strict();

export const methods = {
  'identity.create': method(
    z.object({ account: Account.optional(), profile: ProfileInput }).strict(),
    IdentityView,
    "Create an identity with the vault's key m/302'/616'/account'/0/0 (default account: the next unused) and publish its profile.",
  ),
  'identity.update': method(
    z.object({ did: Did, profile: ProfileInput }).strict(),
    IdentityView,
    'Publish a new profile for one of our identities (fields left out become empty); its iat is above the stored one.',
  ),
  'identity.delete': method(
    z.object({ did: Did }).strict(),
    IdentityView,
    'Delete one of our identities: a tombstone (@state 999, fields null) that is kept and replicated; its links and metadata are retired.',
  ),
  'identity.get': method(z.object({ did: Did }).strict(), IdentityView, 'The stored profile of any identity.'),
  'identity.list': method(
    z
      .object({
        mine: z.boolean().optional(),
        query: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(500).optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ items: z.array(IdentityView), cursor: z.string().nullable() }),
    'Stored identities, ours or all, optionally matching a name or address; paged.',
  ),
  'identity.resolve': method(
    z.object({ did: Did, accept: z.string().max(1024).optional() }).strict(),
    z.object({ status: z.number().int(), contentType: z.string(), body: z.unknown() }),
    'W3C DID resolution, as GET /1.0/identifiers/{did} answers it.',
  ),
  'identity.publish': method(
    z.object({ content: z.string().min(1).max(MAX_RECORD_CHARS) }).strict(),
    z.object({ did: z.string(), kind: RecordKind, status: RecordStatus }),
    'Ingest a signed record (profile, metadata, link) made elsewhere, as PUT /api/identity does.',
  ),
  'identity.links.list': method(
    z.object({ did: Did }).strict(),
    z.object({ links: z.array(LinkView) }),
    "An identity's linked accounts and domains.",
  ),
  'identity.links.statement': method(
    z.object({ did: Did, account: z.string().max(200) }).strict(),
    z.object({ statement: z.string(), iat: z.number().int() }),
    "The statement the account's wallet signs (signmessage) to link it to one of our identities.",
  ),
  'identity.links.add': method(
    z.union([AccountLinkInput, DomainLinkInput]),
    LinkView,
    'Link an account (with its wallet signature of the statement) or an https origin to one of our identities.',
  ),
  'identity.links.remove': method(
    z.object({ did: Did, target: z.string().max(300) }).strict(),
    LinkView,
    'Remove a link of one of our identities (a link tombstone).',
  ),
  'identity.metadata.set': method(
    z.object({ did: Did, fields: MetadataFields }).strict(),
    z.object({ identityKey: z.string(), iat: z.number().int() }),
    'Seal private metadata under a new identity-key and publish it; payment requests carry that key.',
  ),
  'identity.metadata.get': method(
    z.object({ did: Did, identityKey: z.string().max(64).optional() }).strict(),
    z.object({ fields: MetadataFields.nullable(), published: z.boolean() }),
    "Open an identity's metadata with a key (ours open with the key the node keeps).",
  ),
  'identity.metadata.remove': method(
    z.object({ did: Did }).strict(),
    z.object({ iat: z.number().int() }),
    'Withdraw the metadata of one of our identities.',
  ),
  'identity.domain.credential': method(
    z.object({ did: Did, origin: z.string().max(300), days: Days.max(3660).optional() }).strict(),
    z.object({ jwt: z.string(), configuration: z.unknown() }),
    'A DomainLinkageCredential and the did-configuration.json to serve at the origin.',
  ),
  'identity.attest': method(
    z.object({ did: Did, days: Days.max(30).optional() }).strict(),
    z.object({ attestation: z.string(), orderKey: z.string(), exp: z.number().int() }),
    "Vouch for this node's order key with one of our identities, so our orders show it.",
  ),
  'identity.sync.status': method(
    Empty,
    z.object({
      records: z.number().int(),
      peersReconciled: z.number().int(),
      recordsFetched: z.number().int(),
      lastSyncAt: z.number().int().nullable(),
      lastError: z.string().nullable(),
    }),
    'Replication: how many records are stored and how the last catch-up went.',
  ),
} as const;

export const events = {
  'identity.updated': z.object({ did: z.string(), kind: RecordKind, status: RecordStatus, mine: z.boolean() }),
  'identity.sync': z.object({
    phase: z.enum(['reconciling', 'fetching', 'done', 'failed']),
    need: z.number().int(),
    fetched: z.number().int(),
  }),
} as const;
