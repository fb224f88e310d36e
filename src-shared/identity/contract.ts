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
const RecordKind = z.enum(['profile', 'metadata', 'link', 'order-key', 'backup']);

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

const Label = z.string().max(64);
const Target = z.string().max(300);
const SeenView = z.object({
  /** When this node first stored a record of this DID (ms). */
  firstSeenAt: z.number().int(),
  /** When this node stored the current record (ms). */
  storedAt: z.number().int(),
  via: z.enum(['self', 'api', 'http', 'gossip', 'sync']),
  /** The peer it came from (gossip, sync). */
  peerId: z.string().nullable(),
});
const KeyView = z.object({ scheme: z.enum(['wallet', 'purpose']), index: z.number().int(), path: z.string() });

export const IdentityView = z.object({
  did: z.string(),
  address: z.string(),
  /** Made with a key of this node's vault. */
  mine: z.boolean(),
  deleted: z.boolean(),
  iat: z.number().int(),
  /** UTC, no fractions. */
  updated: z.string(),
  /** UTC: the iat of the first record this node stored for the DID. */
  created: z.string(),
  recordId: z.string(),
  /** 33-byte key recovered from the signature, hex. */
  publicKey: z.string(),
  profile: ProfileView,
  /** The signed record as stored (compact JWS). */
  content: z.string(),
  seen: SeenView,
  /** Ours only: the user's own name for it, never published. */
  label: z.string().nullable(),
  /** Ours only: the vault path of its key. */
  key: KeyView.nullable(),
});
export type IdentityView = z.infer<typeof IdentityView>;

export const LinkCheck = z.object({
  /**
   * Accounts: the signatures always hold (a link is stored only then); `verified` when a chain this
   * node has shows the address (coins or history), `failed` when it has the chain and the address
   * shows nothing. Domains: `verified` when the origin serves a valid credential, `failed` when it
   * serves none or a bad one. `not-checked`: this node cannot look (no such chain, fetch refused).
   */
  state: z.enum(['verified', 'failed', 'not-checked']),
  detail: z.string().nullable(),
  checkedAt: z.number().int().nullable(),
  /** Unspent coins at the address on each chain of this node that matches the account's chain. */
  balances: z.array(z.object({ ticker: z.string(), amount: z.string(), outputs: z.number().int() })),
});
export type LinkCheck = z.infer<typeof LinkCheck>;

export const LinkView = z.object({
  did: z.string(),
  /** CAIP-10 account id or https origin. */
  target: z.string(),
  kind: z.enum(['account', 'domain']),
  iat: z.number().int(),
  /** Removed by the DID or revoked by the address. */
  removed: z.boolean(),
  revokedBy: z.enum(['did', 'address']).nullable(),
  /** Accounts: the chain's name and CAIP-2 id, the address, the did:pkh form. */
  chain: z.string().nullable(),
  caip2: z.string().nullable(),
  address: z.string().nullable(),
  pkh: z.string().nullable(),
  check: LinkCheck,
  /** The signed record as stored. */
  content: z.string(),
});
export type LinkView = z.infer<typeof LinkView>;

export const TradingRecordView = z.object({
  did: z.string(),
  /** Order keys this identity vouched for (attestations this node saw), hex. */
  orderKeys: z.array(z.string()),
  /** Countersigned trade records with one of those keys as maker / as taker. */
  completedAsMaker: z.number().int(),
  completedAsTaker: z.number().int(),
  /** Of those, how many this node checked against chain data. */
  verifiedOnChain: z.number().int(),
  /** This node's own swaps with those keys that ended in a refund. */
  refundsWithUs: z.number().int(),
  lastTradeAt: z.number().int().nullable(),
});

const AccountLinkInput = z
  .object({ did: Did, account: z.string().max(200), iat: z.number().int().min(0), signature: z.string().length(88) })
  .strict();

export const methods = {
  'identity.create': method(
    z.object({ account: Account.optional(), label: Label.nullish(), profile: ProfileInput }).strict(),
    IdentityView,
    "Create an identity with the vault's key m/302'/616'/account'/0/0 (default account: the next unused) and publish its profile. The label stays on this node.",
  ),
  'identity.update': method(
    z.object({ did: Did, profile: ProfileInput }).strict(),
    IdentityView,
    'Publish a new profile for one of our identities (fields left out become empty); its iat is above the stored one.',
  ),
  'identity.delete': method(
    z.object({ did: Did }).strict(),
    IdentityView,
    'Delete one of our identities: a tombstone (@state 999, fields null) that is kept and replicated; its links and metadata are retired. Copies made before may persist elsewhere.',
  ),
  'identity.recreate': method(
    z.object({ did: Did, profile: ProfileInput }).strict(),
    IdentityView,
    'Publish a new profile for one of our deleted identities (an iat above the tombstone).',
  ),
  'identity.label': method(
    z.object({ did: Did, label: Label.nullable() }).strict(),
    IdentityView,
    'Name one of our identities for ourselves; the label is never published.',
  ),
  'identity.scan': method(
    z.object({ gap: z.number().int().min(1).max(100).optional() }).strict(),
    z.object({ found: z.array(IdentityView), checked: z.number().int(), askedPeers: z.number().int() }),
    "After a restore: find our identities published on m/302'/616'/i'/0/0 and m/302'/i' in the local registry and by asking peers, until `gap` unused keys in a row (default 20) on each path.",
  ),
  'identity.get': method(
    z.object({ did: Did }).strict(),
    IdentityView,
    'The stored profile of any identity; one not stored here is asked of the connected peers first.',
  ),
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
    'Ingest a signed record (profile, metadata, link, link revocation) made elsewhere, as PUT /api/identity does.',
  ),
  'identity.links.list': method(
    z.object({ did: Did }).strict(),
    z.object({ links: z.array(LinkView) }),
    "An identity's linked accounts and domains, with what this node could check.",
  ),
  'identity.links.check': method(
    z.object({ did: Did }).strict(),
    z.object({ links: z.array(LinkView) }),
    "Check an identity's links again now: balances on this node's chains, domains' did-configuration.json.",
  ),
  'identity.links.statement': method(
    z.object({ did: Did, account: z.string().max(200) }).strict(),
    z.object({ statement: z.string(), iat: z.number().int() }),
    "The statement the account's wallet signs (signmessage) to link it to one of our identities.",
  ),
  'identity.links.add': method(
    AccountLinkInput,
    LinkView,
    "Link an account to one of our identities with the wallet's BIP137 signature of the statement (identity.links.statement).",
  ),
  'identity.links.wallet': method(
    z.object({ did: Did, ticker: z.string().max(16), address: z.string().max(100).optional() }).strict(),
    LinkView,
    'Link an address of a connected wallet (without one: a new legacy address of that wallet): the wallet signs the statement (signmessage; legacy P2PKH addresses only, as Litecoin Core 0.21 has no BIP322) and the identity signs back.',
  ),
  'identity.links.domain': method(
    z.object({ did: Did, origin: Target }).strict(),
    LinkView,
    'Link an https origin to one of our identities; it is verified once the origin serves the credential (identity.domain.credential).',
  ),
  'identity.links.remove': method(
    z.object({ did: Did, target: Target }).strict(),
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
    z.object({ fields: MetadataFields.nullable(), published: z.boolean(), identityKey: z.string().nullable() }),
    "Open an identity's metadata with a key (ours open with the key the node keeps, which is returned).",
  ),
  'identity.metadata.remove': method(
    z.object({ did: Did }).strict(),
    z.object({ iat: z.number().int() }),
    'Withdraw the metadata of one of our identities.',
  ),
  'identity.domain.credential': method(
    z.object({ did: Did, origin: Target, days: Days.max(3660).optional() }).strict(),
    z.object({ jwt: z.string(), configuration: z.unknown() }),
    'A DomainLinkageCredential and the did-configuration.json to serve at the origin.',
  ),
  'identity.attest': method(
    z.object({ did: Did, days: Days.max(30).optional() }).strict(),
    z.object({ attestation: z.string(), orderKey: z.string(), exp: z.number().int() }),
    "Publish a fresh attestation of this node's order key by one of our identities (signed by both; replicated like a link). identity.orders.set is the usual way.",
  ),
  'identity.orders.get': method(
    Empty,
    z.object({ did: z.string().nullable(), exp: z.number().int().nullable() }),
    'Which of our identities our orders show (none by default: a privacy choice).',
  ),
  'identity.orders.set': method(
    z.object({ did: Did.nullable() }).strict(),
    z.object({ did: z.string().nullable(), exp: z.number().int().nullable() }),
    'Show one of our identities on our orders, or none: publishes an attestation of the order key (renewed before it ends) and withdraws the others, so every node shows the name next to our orders.',
  ),
  'identity.record': method(
    z.object({ did: Did }).strict(),
    TradingRecordView,
    "An identity's trading record from the countersigned trade records this node holds.",
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
