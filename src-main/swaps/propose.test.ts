import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { POLICY, pubkeyOf, START } from '../../src-shared/swaps/testkit.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import type { StartSwapInput } from './engine-types.ts';
import { createProposer } from './propose.ts';
import type { StoredSwap } from './repo.ts';
import { secretHashHex } from './secret.ts';
import { SETTINGS_NEXT_KEY } from './setup.ts';
import { COINS, devAddress, memoryRunner, memorySettings, PEER } from './testkit.ts';

const OURSELVES = '12D3KooWPeerOurselves00000000000000000000000000';
const input = (over: Partial<StartSwapInput> = {}): StartSwapInput => ({
  peerId: PEER,
  sell: { ticker: 'DEVA', amount: 1_000_000n },
  buy: { ticker: 'DEVB', amount: 4_000_000n },
  swapId: 'swap-1',
  ...over,
});

interface Options {
  vault?: 'locked' | 'unlocked';
  connected?: boolean;
  banned?: boolean;
  spendable?: bigint;
  rows?: StoredSwap[];
  confirmations?: number;
}

function setup(o: Options = {}) {
  const runner = memoryRunner();
  const settings = memorySettings();
  const addresses: string[] = [];
  let n = 30;
  const proposer = createProposer({
    coins: COINS,
    runner,
    repo: { get: (id) => o.rows?.find((r) => r.swapId === id) },
    settings,
    vault: {
      status: () => o.vault ?? 'unlocked',
      swapPublicKey: (i) => hexToBytes(pubkeyOf(40 + i)),
      // Deterministic stand-in for the vault's signature: the secret derives from it.
      signSwapDigest: (_i, digest) => new Uint8Array(64).map((_, k) => digest[k % digest.length]!),
    },
    wallets: {
      newAddress: async (ticker: string) => (addresses.push(ticker), { address: devAddress(n++) }),
      balanceUnits: async () => ({ spendable: o.spendable ?? 10n ** 12n }),
    } as never,
    p2p: { peerId: OURSELVES, isBanned: () => o.banned ?? false },
    chains: { freshHeight: async (t) => (t === 'DEVA' ? START.makerChain : START.takerChain) },
    outbox: { reach: () => Promise.resolve(o.connected ?? true), addrsOf: () => ['/ip4/10.0.0.2/tcp/4001'] },
    creation: createSerialQueue(),
    confirmationsFor: () => o.confirmations ?? 1,
    now: () => 1_700_000_000_000,
  });
  return { proposer, runner, settings, addresses };
}

const code = (c: string) => expect.objectContaining({ code: c });

describe('starting a swap as the maker', () => {
  it('stores MakerStarted with locks, its secret hash and fresh addresses, whose effect sends the proposal', async () => {
    const t = setup();
    const live = await t.proposer.startSwap(input({ orderId: 'order-9' }));
    expect(live.state.phase).toBe('proposed');
    const [event] = t.runner.logs.get('swap-1')!;
    if (event?.type !== 'MakerStarted') throw new Error('the first event starts the maker');
    expect(event.proposal).toMatchObject({
      swapId: 'swap-1',
      orderId: 'order-9',
      makerLeg: { ticker: 'DEVA', amount: 1_000_000n, confirmations: 1 },
      takerLeg: { ticker: 'DEVB', amount: 4_000_000n, confirmations: 1 },
      makerPubkeys: { makerChain: pubkeyOf(40), takerChain: pubkeyOf(41) },
      makerAddresses: { refund: devAddress(30), payout: devAddress(31) },
    });
    expect(event.proposal.makerLeg.locktime).toBeGreaterThan(START.makerChain);
    expect(event.proposal.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(event.proposal.secretHash).not.toBe(secretHashHex(new Uint8Array(32)));
    expect(event).toMatchObject({ heights: START, policy: POLICY });
    expect(t.addresses).toEqual(['DEVA', 'DEVB']);
    expect(t.settings.get(SETTINGS_NEXT_KEY)).toBe(2);
    expect(live.context).toMatchObject({ role: 'maker', peerId: PEER, peerAddrs: ['/ip4/10.0.0.2/tcp/4001'] });
    expect(t.runner.effects.map((e) => e.effect.type)).toEqual(['SendMessage']);
  });

  it('gives a direct swap (no order) a random id and uses it as the order id', async () => {
    const t = setup();
    const { swapId: _omit, ...rest } = input();
    const live = await t.proposer.startSwap(rest);
    expect(live.id).toMatch(/^[0-9a-f]{32}$/);
    const [event] = t.runner.logs.get(live.id)!;
    expect(event?.type === 'MakerStarted' && event.proposal.orderId).toBe(live.id);
  });

  it.each<[string, Options, Partial<StartSwapInput>, string]>([
    ['with itself', {}, { peerId: OURSELVES }, 'INVALID_PARAMS'],
    ['with a banned peer', { banned: true }, {}, 'PEER_REFUSED'],
    ['of one coin for itself', {}, { buy: { ticker: 'DEVA', amount: 1n } }, 'INVALID_PARAMS'],
    ['of a coin this node does not handle', {}, { buy: { ticker: 'DOGE', amount: 1n } }, 'NOT_FOUND'],
    ['while the vault is locked', { vault: 'locked' }, {}, 'VAULT_LOCKED'],
    ['with a peer it cannot reach', { connected: false }, {}, 'PEER_UNREACHABLE'],
  ])('refuses a swap %s, before any key or address is spent', async (_case, o, over, expected) => {
    const t = setup(o);
    await expect(t.proposer.startSwap(input(over))).rejects.toEqual(code(expected));
    expect(t.settings.get(SETTINGS_NEXT_KEY)).toBeUndefined();
    expect(t.addresses).toEqual([]);
  });

  it('refuses an id already used by a live or a stored swap', async () => {
    const row = { swapId: 'old-1' } as StoredSwap;
    const t = setup({ rows: [row] });
    await expect(t.proposer.startSwap(input({ swapId: 'old-1' }))).rejects.toEqual(code('CONFLICT'));
    await t.proposer.startSwap(input());
    await expect(t.proposer.startSwap(input())).rejects.toEqual(code('CONFLICT'));
  });

  it('refuses to lock more than the wallet has free, before asking it for addresses', async () => {
    const t = setup({ spendable: 999_999n });
    await expect(t.proposer.startSwap(input())).rejects.toEqual(code('INSUFFICIENT_FUNDS'));
    expect(t.addresses).toEqual([]);
    expect(t.runner.get('swap-1')).toBeUndefined();
  });

  it('refuses terms that fail its own checks (an amount below the HTLC dust floor)', async () => {
    const t = setup();
    await expect(t.proposer.startSwap(input({ sell: { ticker: 'DEVA', amount: 1000n } }))).rejects.toEqual(
      code('SWAP_REFUSED'),
    );
    expect(t.addresses).toEqual([]);
  });
});
