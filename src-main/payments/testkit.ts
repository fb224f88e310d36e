// For the payments tests: an `identities` component over the pure identity core (keys held in
// memory, records signed for real and verified like the registry does), and a wallet whose sends,
// failures and transactions the test controls. Real parts everywhere else.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bech32 } from '@scure/base';
import { addressOfKey } from '../../src-shared/identity/compact.ts';
import { fail } from '../../src-shared/identity/errors.ts';
import {
  newMetadataKey,
  openMetadata as openSealed,
  sealMetadata,
  type MetadataFields,
} from '../../src-shared/identity/metadata.ts';
import { buildProfilePayload, buildTombstonePayload, type ProfileInput } from '../../src-shared/identity/profile.ts';
import { verifyRecord } from '../../src-shared/identity/records.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../../src-shared/identity/verify.ts';
import { signCompact } from '../../src-shared/identity/compact.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { SeenPayment } from '../../src-shared/payments/status.ts';
import type { Identities, ResolvedIdentity } from '../identity/index.ts';
import { schemasOf } from '../core/modules.ts';
import { openStore, type StoreDatabase } from '../store/index.ts';
import { m0001Payments } from './migrations/0001_payments.ts';
import type { PayWallet } from './wallet-ops.ts';

export interface TestIdentity {
  readonly did: string;
  readonly secretKey: Uint8Array;
}

/** A did:is identity from a fixed 32-byte seed value (tests are reproducible). */
export function testIdentity(seed: number): TestIdentity {
  const secretKey = new Uint8Array(32);
  secretKey[31] = seed;
  secretKey[0] = 0x11;
  return { did: `did:is:${addressOfKey(secp256k1.getPublicKey(secretKey, true))}`, secretKey };
}

/** A signed profile JWS (or tombstone) for `id`. */
export function profileRecord(id: TestIdentity, iat: number, fields: ProfileInput | 'deleted'): string {
  const payload = fields === 'deleted' ? buildTombstonePayload(id.did, iat) : buildProfilePayload(id.did, iat, fields);
  return signDidIsJws(didIsHeaderJson(id.did.slice('did:is:'.length)), payload, keySigner(id.secretKey));
}

export class FakeIdentities implements Identities {
  readonly records = new Map<string, string>();
  readonly metadata = new Map<string, { jwe: string; key: string } | null>();
  readonly own = new Map<string, TestIdentity>();
  private listeners = new Set<(c: { did: string; kind: 'profile' | 'metadata' | 'link' | 'backup' }) => void>();

  /** Stores a profile as the registry would after verifying it. */
  publishProfile(id: TestIdentity, fields: ProfileInput | 'deleted', iat = 1_800_000_000_000): void {
    this.records.set(id.did, profileRecord(id, iat, fields));
    for (const l of this.listeners) l({ did: id.did, kind: 'profile' });
  }
  /** Makes `id` one of ours (its key signs). */
  adopt(id: TestIdentity): void {
    this.own.set(id.did, id);
  }
  async setMetadata(id: TestIdentity, fields: MetadataFields): Promise<string> {
    const key = newMetadataKey();
    this.metadata.set(id.did, { jwe: await sealMetadata(fields, key, id.did), key });
    return key;
  }
  withdrawMetadata(id: TestIdentity): void {
    this.metadata.set(id.did, null);
  }

  readonly asked: string[] = [];
  /** What peers would answer when asked (a lookup stores it, as the registry does). */
  readonly atPeers = new Map<string, string>();

  async resolve(did: string, opts?: { askPeers?: boolean }): Promise<ResolvedIdentity | undefined> {
    if (!this.records.has(did) && opts?.askPeers !== false) {
      this.asked.push(did);
      const found = this.atPeers.get(did);
      if (found) this.records.set(did, found);
    }
    return this.resolved(did);
  }

  private resolved(did: string): ResolvedIdentity | undefined {
    const content = this.records.get(did);
    if (!content) return undefined;
    const r = verifyRecord(content);
    if (r.kind !== 'profile') return undefined;
    const p = r.profile;
    return {
      did,
      address: r.address,
      deleted: r.tombstone,
      profile: {
        name: p.name,
        shortname: p.shortname,
        alias: p.alias,
        title: p.title,
        email: p.email,
        url: p.url,
        image: p.image,
        hubs: p.hubs,
      },
      iat: r.iat,
      recordId: r.id,
      publicKey: r.publicKey,
      content,
      mine: this.own.has(did),
      seen: { firstSeenAt: 1, storedAt: 1, via: 'gossip' },
    };
  }
  mine() {
    return [...this.own.values()].map((id, index) => ({
      did: id.did,
      address: id.did.slice('did:is:'.length),
      scheme: 'wallet' as const,
      index,
      label: null,
      current: this.resolved(id.did),
    }));
  }
  sign(did: string, digest32: Uint8Array): Uint8Array {
    const id = this.own.get(did);
    if (!id) fail('NOT_FOUND', `${did} is not ours`);
    return signCompact(digest32, id.secretKey);
  }
  links(): [] {
    return [];
  }
  async openMetadata(did: string, identityKey: string): Promise<MetadataFields | undefined> {
    const m = this.metadata.get(did);
    if (!m) return undefined;
    return openSealed(m.jwe, identityKey, did);
  }
  /** Records published by slot, verified as the registry would. */
  readonly slots = new Map<string, string>();
  async publish(content: string): Promise<'stored' | 'unchanged'> {
    const r = verifyRecord(content);
    const old = this.slots.get(r.slot);
    if (old && verifyRecord(old).iat >= r.iat) return 'unchanged';
    this.slots.set(r.slot, content);
    if (r.kind !== 'order-key') for (const l of this.listeners) l({ did: r.did, kind: r.kind });
    return 'stored';
  }
  slot(slot: string): string | undefined {
    return this.slots.get(slot);
  }
  onChanged(listener: (c: { did: string; kind: 'profile' | 'metadata' | 'link' | 'backup' }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

interface Sent {
  txid: string;
  address: string;
  amount: bigint;
  comment: string;
  fee: bigint;
  confirmations: number;
}

/** A wallet for the runner's tests: what it holds, what it sent, and how the next send behaves. */
export class FakeWallet implements PayWallet {
  balance = 10_000_000_000n;
  fee = 1_692n;
  rate = 10n;
  sent: Sent[] = [];
  receivedBy = new Map<string, SeenPayment[]>();
  /** The next send: ok, fails with this error (thrown), or hangs until released. */
  nextSend: { kind: 'ok' } | { kind: 'throw'; error: unknown } | { kind: 'sends-then-throws'; error: unknown } = {
    kind: 'ok',
  };
  down = false;
  /** Called inside send before anything happens (the test checks what was stored by then). */
  onSend: () => void = () => undefined;
  private n = 0;

  private check(): void {
    if (this.down) throw Object.assign(new Error('wallet down'), { name: 'Down' });
  }
  async send(_coin: CoinParams, address: string, amount: bigint, comment: string): Promise<string> {
    this.onSend();
    const next = this.nextSend;
    this.nextSend = { kind: 'ok' };
    if (next.kind === 'throw') throw next.error;
    const txid = (++this.n).toString(16).padStart(64, '0');
    this.sent.push({ txid, address, amount, comment, fee: this.fee, confirmations: 0 });
    this.balance -= amount + this.fee;
    if (next.kind === 'sends-then-throws') throw next.error;
    return txid;
  }
  /** Lookups asked of the wallet (findSent), answered or not. */
  lookups = 0;
  async findSent(_coin: CoinParams, comment: string): Promise<string | undefined> {
    this.lookups++;
    this.check();
    return this.sent.find((s) => s.comment === comment)?.txid;
  }
  async transaction(_coin: CoinParams, txid: string) {
    this.check();
    const s = this.sent.find((x) => x.txid === txid);
    if (!s) throw new Error(`no transaction ${txid}`);
    return { confirmations: s.confirmations, fee: s.fee };
  }
  async quote(): Promise<bigint> {
    this.check();
    return this.fee;
  }
  async feeRate(): Promise<bigint> {
    return this.rate;
  }
  async spendable(): Promise<bigint> {
    this.check();
    return this.balance;
  }
  async received(_coin: CoinParams, _label: string, address: string): Promise<SeenPayment[]> {
    this.check();
    return this.receivedBy.get(address) ?? [];
  }
  sendsWith(comment: string): number {
    return this.sent.filter((s) => s.comment === comment).length;
  }
}

/** An in-memory store with every module's tables and the payments domain's. */
export function paymentsStore(): StoreDatabase {
  const schemas = schemasOf();
  const payments = { domain: 'payments', migrations: [m0001Payments] };
  return openStore(':memory:', {
    schemas: schemas.some((s) => s.domain === 'payments') ? schemas : [...schemas, payments],
  });
}

/** A fresh, valid regtest Litecoin (devnet) segwit address. */
export function devnetAddress(n: number): string {
  const program = new Uint8Array(20);
  program[19] = n & 0xff;
  program[18] = (n >> 8) & 0xff;
  program[0] = 0xaa;
  return bech32.encode('rltc', [0, ...bech32.toWords(program)]);
}
