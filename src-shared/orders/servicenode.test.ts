import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import {
  buildRegistration,
  buildServiceNodeAnnounce,
  checkCollateral,
  registrationSigningText,
  validateServiceNodeAnnounce,
  validateServiceNodeRegistration,
  type CollateralPolicy,
  type RegistrationContext,
  type RegistrationFields,
} from './servicenode.ts';
import { ReplayGuard } from './replay.ts';
import { signMessageWithKey } from './signed-message.ts';
import { ARRIVAL, SERVICE_NODE, SN_PEER, STRANGER, TXID_A, testKey } from './testkit.ts';
import type { RefusalReason, Validation } from './validate.ts';

type Wire = Record<string, any>;
const COLLATERAL = testKey(20);
const POLICY: CollateralPolicy = { ticker: 'DEVA', amount: 1_000_000_000n, minConfirmations: 6 };
const FIELDS: RegistrationFields = {
  peerId: SN_PEER,
  collateral: { ticker: 'DEVA', outpoint: `${TXID_A}:1`, address: COLLATERAL.address },
  coins: ['DEVA', 'DEVB'],
  seq: 1,
  ts: ARRIVAL,
};
const signCollateral =
  (key = COLLATERAL) =>
  (text: string) =>
    signMessageWithKey(key.secretKey, utf8ToBytes(text), 'litecoin');
const registration = (
  over: Partial<RegistrationFields> = {},
  signer = SERVICE_NODE.signer,
  collateralKey = COLLATERAL,
): Wire => buildRegistration({ ...FIELDS, ...over }, signer, signCollateral(collateralKey));
const regCtx = (over: Partial<RegistrationContext> = {}): RegistrationContext => ({
  now: ARRIVAL,
  policy: POLICY,
  registeredSeq: () => undefined,
  ...over,
});
const reasonOf = (v: Validation<unknown>): RefusalReason | 'ok' => (v.ok ? 'ok' : v.reason);

describe('service-node registration', () => {
  it('the collateral key signs the same domain-separated text as the service-node key', () => {
    expect(registrationSigningText(FIELDS, SERVICE_NODE.pubkey)).toMatch(
      /^hashlock:sn\.register:v1\n\{"coins":\["DEVA","DEVB"\],"collateral":\{/,
    );
  });
  it('accepts a registration signed by the node key and the collateral address key', () => {
    const v = validateServiceNodeRegistration(registration(), regCtx());
    expect(v.ok && [v.value.pubkey, v.value.collateral.outpoint]).toEqual([SERVICE_NODE.pubkey, `${TXID_A}:1`]);
  });
  it('a newer registration of the same collateral (a new key) replaces the old one', () => {
    expect(
      reasonOf(
        validateServiceNodeRegistration(registration({ seq: 2 }, STRANGER.signer), regCtx({ registeredSeq: () => 1 })),
      ),
    ).toBe('ok');
  });
  const refused: Array<[string, () => unknown, Partial<RegistrationContext>, RefusalReason]> = [
    [
      'a collateral signature by another key',
      () => registration({}, SERVICE_NODE.signer, testKey(21)),
      {},
      'forged-collateral-sig',
    ],
    [
      'a collateral signature over other text',
      () => ({ ...registration(), collateralSig: (registration({ seq: 2 }) as Wire).collateralSig }),
      {},
      'forged-collateral-sig',
    ],
    [
      'a node signature by another key',
      () => ({ ...registration(), sig: (registration({}, STRANGER.signer) as Wire).sig }),
      {},
      'forged-service-node-sig',
    ],
    [
      'a coin list changed after signing',
      () => ({ ...registration(), coins: ['DEVA', 'DEVB', 'rLTC'] }),
      {},
      'forged-service-node-sig',
    ],
    [
      "collateral on another chain than the policy's",
      () => registration({ collateral: { ...FIELDS.collateral, ticker: 'DEVB' } }),
      {},
      'collateral-invalid',
    ],
    [
      'a collateral address of another chain',
      () =>
        registration({ collateral: { ...FIELDS.collateral, address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' } }),
      {},
      'collateral-invalid',
    ],
    ['an unknown coin', () => registration({ coins: ['DEVA', 'NOPE'] }), {}, 'malformed'],
    ['a coin listed twice', () => registration({ coins: ['DEVA', 'DEVA'] }), {}, 'malformed'],
    ['a registration from the future', () => registration({ ts: ARRIVAL + 60_000 }), {}, 'future'],
    [
      'an older registration of known collateral',
      () => registration({ seq: 1 }),
      { registeredSeq: () => 2 },
      'replayed',
    ],
    ['the known registration again', () => registration({ seq: 2 }), { registeredSeq: () => 2 }, 'duplicate'],
    ['a signature that is not base64', () => ({ ...registration(), collateralSig: 'not base64' }), {}, 'malformed'],
    [
      'a registration over the cap',
      () => new TextEncoder().encode(JSON.stringify(registration()).padEnd(3000, ' ')),
      {},
      'oversize',
    ],
  ];
  it.each(refused)('refuses %s', (_n, make, over, reason) =>
    expect(reasonOf(validateServiceNodeRegistration(make(), regCtx(over)))).toBe(reason),
  );
});

describe('checkCollateral', () => {
  const v = validateServiceNodeRegistration(registration(), regCtx());
  if (!v.ok) throw new Error(v.message);
  const reg = v.value;
  const good = { address: COLLATERAL.address, amount: 1_000_000_000n, confirmations: 6 };
  it('accepts an unspent output of the registered address, large and deep enough', () =>
    expect(checkCollateral(reg, good, POLICY)).toBeNull());
  it.each<[string, Parameters<typeof checkCollateral>[1], RegExp]>([
    ['a spent output', null, /spent/],
    ['an output to another address', { ...good, address: testKey(21).address }, /another address/],
    ['a script without an address', { ...good, address: null }, /another address/],
    ['an output one unit too small', { ...good, amount: 999_999_999n }, /smaller/],
    ['an output not yet deep enough', { ...good, confirmations: 5 }, /confirmations/],
  ])('refuses %s', (_n, output, msg) => expect(checkCollateral(reg, output, POLICY)?.message).toMatch(msg));
});

describe('service-node announce', () => {
  const reg = validateServiceNodeRegistration(registration(), regCtx());
  if (!reg.ok) throw new Error(reg.message);
  const fee = { ticker: 'DEVA', address: testKey(22).address, amount: 100_000n };
  const announce = (
    over: Partial<{ coins: string[]; fee: typeof fee; seq: number; ts: number; peerId: string }> = {},
    signer = SERVICE_NODE.signer,
  ): Wire =>
    buildServiceNodeAnnounce({ peerId: SN_PEER, coins: ['DEVA', 'DEVB'], fee, seq: 5, ts: ARRIVAL, ...over }, signer);
  const ctx = (seen = new ReplayGuard()) => ({
    now: ARRIVAL,
    seen,
    registrationOf: (pk: string) => (pk === SERVICE_NODE.pubkey ? reg.value : undefined),
  });

  it("accepts a registered node's heartbeat and reads its fee as bigint", () => {
    const v = validateServiceNodeAnnounce(announce(), ctx());
    expect(v.ok && [v.value.fee.amount, v.value.coins]).toEqual([100_000n, ['DEVA', 'DEVB']]);
    expect(v.ok && v.replay).toEqual([{ sender: SERVICE_NODE.pubkey, seq: 5, ts: ARRIVAL }]);
  });
  const seen5 = new ReplayGuard();
  seen5.commit([{ sender: SERVICE_NODE.pubkey, seq: 5, ts: ARRIVAL - 1 }]);
  it.each<[string, () => unknown, ReplayGuard | undefined, RefusalReason]>([
    ['an unregistered node', () => announce({}, STRANGER.signer), undefined, 'unknown-service-node'],
    [
      'a forged heartbeat',
      () => ({ ...announce(), sig: (announce({ seq: 6 }) as Wire).sig }),
      undefined,
      'forged-service-node-sig',
    ],
    ['a replayed heartbeat', () => announce(), seen5, 'replayed'],
    ['a stale heartbeat', () => announce({ ts: ARRIVAL - 200_000 }), undefined, 'stale'],
    ['a coin the node did not register', () => announce({ coins: ['DEVA', 'rLTC'] }), undefined, 'malformed'],
    ['a fee on a coin it does not serve', () => announce({ coins: ['DEVB'] }), undefined, 'malformed'],
    [
      'a fee address of another chain',
      () => announce({ fee: { ...fee, address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' } }),
      undefined,
      'malformed',
    ],
    [
      'another peer than the registered one',
      () => announce({ peerId: '12D3KooWAnotherPeerAnotherPeerAnotherPeer' }),
      undefined,
      'malformed',
    ],
    ['a zero fee', () => ({ ...announce(), fee: { ...fee, amount: '0' } }), undefined, 'malformed'],
  ])('refuses %s', (_n, make, seen, reason) =>
    expect(reasonOf(validateServiceNodeAnnounce(make(), ctx(seen)))).toBe(reason),
  );
});
