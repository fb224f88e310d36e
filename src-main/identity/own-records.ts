// Records our identities sign besides profiles: links to accounts (the address's wallet signs the
// statement, the identity signs back) and domains, sealed private metadata with its key kept
// sealed by the vault and domain linkage credentials (order-key attestations: order-identity.ts).
// docs/identity.md §6–9.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { didConfiguration, signDomainLinkage } from '../../src-shared/identity/domain.ts';
import { fail } from '../../src-shared/identity/errors.ts';
import {
  buildLinkPayload,
  buildLinkTombstonePayload,
  checkOrigin,
  linkStatement,
  parseAccountId,
  type ChainLookup,
} from '../../src-shared/identity/links.ts';
import {
  buildMetadataPayload,
  newMetadataKey,
  openMetadata,
  sealMetadata,
  type MetadataFields,
} from '../../src-shared/identity/metadata.ts';
import { nextIat } from '../../src-shared/identity/profile.ts';
import { linkSlot, metadataSlot } from '../../src-shared/identity/records.ts';
import { decodeAddress } from '../../src-shared/orders/index.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { SecretBox } from '../wallets/index.ts';
import { linkChainOf } from './chains.ts';
import type { Own } from './own.ts';
import type { IdentityRepo } from './repo.ts';

export interface OwnRecordsDeps {
  readonly own: Own;
  readonly repo: IdentityRepo;
  readonly chains: ChainLookup;
  readonly coin: (ticker: string) => CoinParams;
  readonly rpc: (ticker: string) => RpcClient;
  readonly secrets: () => SecretBox;
  readonly now: () => number;
}

export interface OwnRecords {
  statement(did: string, account: string): { statement: string; iat: number };
  linkAccount(did: string, account: string, iat: number, signature: string): string;
  linkWallet(did: string, ticker: string, address?: string): Promise<string>;
  linkDomain(did: string, origin: string): string;
  unlink(did: string, target: string): string;
  setMetadata(did: string, fields: MetadataFields): Promise<{ identityKey: string; iat: number }>;
  removeMetadata(did: string): { iat: number };
  /** Our stored key of a DID's metadata (ours only), opened by the vault. */
  metadataKey(did: string): string | undefined;
  open(did: string, identityKey: string): Promise<MetadataFields | undefined>;
  credential(did: string, origin: string, days: number): { jwt: string; configuration: unknown };
}

/** A fresh legacy (P2PKH) address of the wallet: the only kind Bitcoin Core's signmessage signs for. */
async function newLegacyAddress(rpc: RpcClient, ticker: string): Promise<string> {
  const address = await rpc.call('getnewaddress', ['hashlock identity link', 'legacy']);
  if (typeof address !== 'string') throw new ApiError('WALLET_RPC_ERROR', `The ${ticker} wallet gave no address.`);
  return address;
}

/**
 * The wallet's account to link: a legacy address of it (given, or a new one) on the chain its
 * daemon runs, as a CAIP-10 account id.
 */
async function walletAccount(
  rpc: RpcClient,
  { coin, chain, ticker }: { coin: CoinParams; chain: ReturnType<typeof linkChainOf>; ticker: string },
  given: string | undefined,
): Promise<{ address: string; account: string }> {
  const address = given ?? (await newLegacyAddress(rpc, ticker));
  const decoded = decodeAddress(address, chain);
  if (!decoded) fail('LINK_INVALID', `${address} is not a ${coin.name} address`);
  if (decoded.kind !== 'p2pkh') {
    fail(
      'LINK_INVALID',
      `${address} is a ${decoded.kind} address. Wallets sign messages (BIP137 signmessage) only with legacy addresses; ` +
        `Litecoin Core 0.21 has no BIP322 for segwit. Make a legacy address in your wallet (getnewaddress "" legacy) and link that.`,
    );
  }
  const genesis = await rpc.call('getblockhash', [0], { wallet: false });
  if (typeof genesis !== 'string' || `bip122:${genesis.slice(0, 32)}` !== chain.caip2) {
    throw new ApiError('WALLET_RPC_ERROR', `The ${ticker} wallet's daemon does not run ${chain.name}.`);
  }
  return { address, account: `${chain.caip2}:${address}` };
}

/** The wallet signs the link statement with the address's key (BIP137 signmessage). */
async function walletSignature(rpc: RpcClient, ticker: string, address: string, text: string): Promise<string> {
  let signature: unknown;
  try {
    signature = await rpc.call('signmessage', [address, text]);
  } catch (err) {
    const why = (err as Error).message;
    throw new ApiError(
      'WALLET_RPC_ERROR',
      /private key|not available|locked|passphrase/i.test(why)
        ? `The ${ticker} wallet cannot sign for ${address}: it does not hold its key, or it is locked (${why.slice(0, 120)}).`
        : `The ${ticker} wallet refused to sign the link statement: ${why.slice(0, 160)}`,
    );
  }
  if (typeof signature !== 'string') throw new ApiError('WALLET_RPC_ERROR', 'signmessage returned no signature');
  return signature;
}

/** The sealed metadata (JWE) in a stored metadata record's JWS payload. */
function metadataJwe(content: string): string {
  const payload = JSON.parse(new TextDecoder().decode(Buffer.from(content.split('.')[1]!, 'base64url'))) as {
    jwe: string;
  };
  return payload.jwe;
}

/** Active profile of one of ours, or an error that says why not. */
function requireLive(repo: IdentityRepo, own: Own, did: string): void {
  own.mineRow(did);
  const profile = repo.get(did);
  if (profile?.tombstone) fail('DELETED_BEFORE', `${did} is deleted; recreate it first`);
}

export function createOwnRecords(d: OwnRecordsDeps): OwnRecords {
  const iatFor = (slot: string) => nextIat(d.now(), d.repo.get(slot)?.iat);

  const linkAccount = (did: string, account: string, iat: number, signature: string): string => {
    requireLive(d.repo, d.own, did);
    const parsed = parseAccountId(account, d.chains);
    const payload = buildLinkPayload(did, iat, { account: parsed.id, signature }, d.chains);
    d.own.write(did, payload);
    return linkSlot(did, parsed.id);
  };

  const statement = (did: string, account: string) => {
    requireLive(d.repo, d.own, did);
    const parsed = parseAccountId(account, d.chains);
    const iat = iatFor(linkSlot(did, parsed.id));
    return { statement: linkStatement(did, parsed.id, iat), iat };
  };

  return {
    statement,
    linkAccount,
    async linkWallet(did, ticker, given) {
      requireLive(d.repo, d.own, did);
      const coin = d.coin(ticker);
      const chain = linkChainOf(coin);
      const rpc = d.rpc(ticker);
      const { address, account } = await walletAccount(rpc, { coin, chain, ticker }, given);
      const { statement: text, iat } = statement(did, account);
      return linkAccount(did, account, iat, await walletSignature(rpc, ticker, address, text));
    },
    linkDomain(did, origin) {
      requireLive(d.repo, d.own, did);
      checkOrigin(origin);
      d.own.write(did, buildLinkPayload(did, iatFor(linkSlot(did, origin)), { origin }, d.chains));
      return linkSlot(did, origin);
    },
    unlink(did, target) {
      d.own.mineRow(did);
      const slot = linkSlot(did, target);
      const stored = d.repo.get(slot);
      if (!stored || stored.tombstone) fail('NOT_FOUND', `${did} has no live link to ${target.slice(0, 120)}`);
      const which = target.startsWith('https://') ? { origin: target } : { account: target };
      d.own.write(did, buildLinkTombstonePayload(did, iatFor(slot), which));
      return slot;
    },
    async setMetadata(did, fields) {
      requireLive(d.repo, d.own, did);
      const identityKey = newMetadataKey();
      const sealedKey = d.secrets().seal(identityKey);
      const jwe = await sealMetadata(fields, identityKey, did);
      const iat = iatFor(metadataSlot(did));
      d.own.write(did, buildMetadataPayload(did, iat, jwe));
      d.repo.mine.setMetadataKey(did, sealedKey);
      return { identityKey, iat };
    },
    removeMetadata(did) {
      d.own.mineRow(did);
      const slot = metadataSlot(did);
      const stored = d.repo.get(slot);
      if (!stored || stored.tombstone) fail('NOT_FOUND', `${did} has no published metadata`);
      const iat = iatFor(slot);
      d.own.write(did, buildMetadataPayload(did, iat, null));
      d.repo.mine.setMetadataKey(did, null);
      return { iat };
    },
    metadataKey(did) {
      const sealed = d.repo.mine.get(did)?.metadataKey;
      return sealed ? d.secrets().open(sealed) : undefined;
    },
    async open(did, identityKey) {
      const stored = d.repo.get(metadataSlot(did));
      if (!stored || stored.tombstone) return undefined;
      return openMetadata(metadataJwe(stored.content), identityKey, did);
    },
    credential(did, origin, days) {
      requireLive(d.repo, d.own, did);
      const jwt = signDomainLinkage(did, origin, d.now(), days, d.own.signer(did));
      return { jwt, configuration: didConfiguration([jwt]) };
    },
  };
}
