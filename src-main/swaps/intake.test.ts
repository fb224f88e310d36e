import { hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { encodeSwapMessage } from '../../src-shared/swaps/messages.ts';
import { makerStarted, NOW, proposal, pubkeyOf, START, TAKER_KEYS } from '../../src-shared/swaps/testkit.ts';
import type { SwapMessage, SwapProposal } from '../../src-shared/swaps/types.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import { createAllowances } from './allowances.ts';
import type { Live } from './durable.ts';
import { createIntake } from './intake.ts';
import type { StoredSwap } from './repo.ts';
import { SETTINGS_NEXT_KEY } from './setup.ts';
import {
  COINS,
  devAddress,
  fakeWatcher,
  memoryRunner,
  memorySettings,
  metaFor,
  OTHER_PEER,
  PEER,
  recordingLog,
} from './testkit.ts';

const offNetwork = bech32.encode('ltc', [0, ...bech32.toWords(new Uint8Array(20).fill(9))]);
const goodProposal = (over: Partial<SwapProposal> = {}): SwapProposal =>
  proposal({ makerAddresses: { refund: devAddress(1), payout: devAddress(2) }, ...over });
const wire = (m: SwapMessage) => encodeSwapMessage(m);
const propose = (over: Partial<SwapProposal> = {}) => wire({ type: 'swap.propose', ...goodProposal(over) });

function setup(o: { vault?: 'locked' | 'unlocked'; confirmations?: number; rows?: StoredSwap[] } = {}) {
  const runner = memoryRunner();
  const settings = memorySettings();
  const log = recordingLog();
  const breaches: string[] = [];
  const evaluated: string[] = [];
  const addresses: string[] = [];
  const watchers = { DEVA: fakeWatcher('DEVA'), DEVB: fakeWatcher('DEVB') };
  let addressN = 10;
  const allowances = createAllowances({ settings, coins: COINS, log, now: () => NOW });
  const intake = createIntake({
    coins: COINS,
    runner,
    repo: { get: (id) => o.rows?.find((r) => r.swapId === id) },
    settings,
    vault: { status: () => o.vault ?? 'unlocked', swapPublicKey: (i) => hexToBytes(pubkeyOf(20 + i)) },
    wallets: {
      newAddress: async (ticker: string) => {
        addresses.push(ticker);
        return { address: devAddress(addressN++) };
      },
    } as never,
    allowances,
    chains: {
      freshHeight: async (t) => (t === 'DEVA' ? START.makerChain : START.takerChain),
      watcher: (t) => watchers[t as 'DEVA' | 'DEVB'],
    },
    outbox: {
      breach: async (peerId, reason) => void breaches.push(`${peerId}: ${reason}`),
      addrsOf: () => ['/ip4/10.0.0.1/tcp/4001'],
    },
    evaluateNow: (live) => void evaluated.push(live.id),
    creation: createSerialQueue(),
    confirmationsFor: () => o.confirmations ?? 1,
    log,
    now: () => NOW,
  });
  const agree = () =>
    allowances.add({
      peerId: PEER,
      sell: { ticker: 'DEVB', amount: 4_000_000n },
      buy: { ticker: 'DEVA', amount: 1_000_000n },
    });
  const agreed = () => allowances.match(PEER, goodProposal().makerLeg, goodProposal().takerLeg) !== undefined;
  return { intake, runner, settings, breaches, evaluated, addresses, watchers, agree, agreed };
}

const refused = (words: string) =>
  expect.objectContaining({ code: 'SWAP_REFUSED', message: expect.stringContaining(words) });

describe('taking a proposal (this node as the taker)', () => {
  it('takes a proposal the user agreed to: the swap starts as taker, answers accept, and uses the agreement up', async () => {
    const t = setup();
    t.agree();
    await expect(t.intake.onMessage(propose(), { peerId: PEER })).resolves.toEqual({ ok: true });
    const live = t.runner.get('swap-1')!;
    expect(live.state.phase).toBe('accepted');
    expect(live.context).toMatchObject({
      role: 'taker',
      peerId: PEER,
      peerAddrs: ['/ip4/10.0.0.1/tcp/4001'],
      keys: { makerChain: 0, takerChain: 1 },
      startHeights: START,
    });
    expect(
      t.runner.effects.map((e) => (e.effect.type === 'SendMessage' ? e.effect.message.type : e.effect.type)),
    ).toContain('swap.accept');
    expect(t.settings.get(SETTINGS_NEXT_KEY)).toBe(2);
    expect(t.addresses).toEqual(['DEVB', 'DEVA']);
    expect(t.evaluated).toEqual(['swap-1']);
    expect(t.agreed()).toBe(false);
  });

  it('refuses a proposal nobody agreed to, naming the amounts, and sets nothing up', async () => {
    const t = setup();
    await expect(t.intake.onMessage(propose(), { peerId: PEER })).rejects.toEqual(
      refused('has not agreed to swap 0.04 DEVB for 0.01 DEVA with you (no matching swaps.allow)'),
    );
    expect(t.runner.get('swap-1')).toBeUndefined();
    expect(t.settings.get(SETTINGS_NEXT_KEY)).toBeUndefined();
    expect(t.addresses).toEqual([]);
  });

  it('refuses while the vault is locked', async () => {
    const t = setup({ vault: 'locked' });
    t.agree();
    await expect(t.intake.onMessage(propose(), { peerId: PEER })).rejects.toEqual(refused('the node is locked'));
    expect(t.agreed()).toBe(true);
  });

  it('refuses coins this node does not handle, naming them', async () => {
    const t = setup();
    const p = goodProposal();
    await expect(
      t.intake.onMessage(propose({ takerLeg: { ...p.takerLeg, ticker: 'DOGE' } }), { peerId: PEER }),
    ).rejects.toEqual(refused('this node does not handle DOGE'));
  });

  it("treats maker addresses off the swap's networks as a breach, and keeps the agreement", async () => {
    const t = setup();
    t.agree();
    const bad = propose({ makerAddresses: { refund: offNetwork, payout: devAddress(2) } });
    await expect(t.intake.onMessage(bad, { peerId: PEER })).rejects.toEqual(refused("addresses are not on the swap's"));
    expect(t.breaches).toEqual([`${PEER}: its addresses are not on the swap's networks`]);
    expect(t.agreed()).toBe(true);
  });

  it('refuses terms its own checks refuse (fewer confirmations than its setting) before spending keys or addresses, and keeps the agreement', async () => {
    const t = setup({ confirmations: 3 });
    t.agree();
    await expect(t.intake.onMessage(propose(), { peerId: PEER })).rejects.toEqual(
      refused("the terms do not pass this node's checks"),
    );
    expect(t.addresses).toEqual([]);
    expect(t.settings.get(SETTINGS_NEXT_KEY)).toBeUndefined();
    expect(t.agreed()).toBe(true);
  });

  it('answers a repeated proposal from the same peer as taken, and refuses the id to anyone else', async () => {
    const t = setup();
    t.agree();
    await t.intake.onMessage(propose(), { peerId: PEER });
    await expect(t.intake.onMessage(propose(), { peerId: PEER })).resolves.toEqual({ ok: true });
    await expect(t.intake.onMessage(propose(), { peerId: OTHER_PEER })).rejects.toEqual(refused('already in use'));
  });
});

describe('messages for a running swap', () => {
  /** A maker swap that proposed to PEER, as the runner holds it. */
  async function withMaker(t: ReturnType<typeof setup>): Promise<Live> {
    const live = t.runner.create('swap-1', { role: 'maker', phase: 'new' }, metaFor('maker'));
    await t.runner.send(live, makerStarted);
    return live;
  }
  const accept = (refund: string) =>
    wire({
      type: 'swap.accept',
      swapId: 'swap-1',
      takerPubkeys: TAKER_KEYS,
      takerAddresses: { refund, payout: devAddress(4) },
    });

  it('bans the sender of a message that does not decode and answers INVALID_PARAMS', async () => {
    const t = setup();
    await expect(t.intake.onMessage({ type: 'swap.abort', swapId: '../etc' }, { peerId: OTHER_PEER })).rejects.toEqual(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(t.breaches).toHaveLength(1);
    expect(t.breaches[0]).toMatch(new RegExp(`^${OTHER_PEER}: `));
  });

  it("feeds the counterparty's accept to the maker, which then funds", async () => {
    const t = setup();
    const live = await withMaker(t);
    await expect(t.intake.onMessage(accept(devAddress(3)), { peerId: PEER })).resolves.toEqual({ ok: true });
    expect(live.state.phase).toBe('funding');
    expect(t.evaluated).toEqual(['swap-1']);
  });

  it("stops the swap when the taker's addresses are off the swap's networks, and counts it a breach", async () => {
    const t = setup();
    const live = await withMaker(t);
    await t.intake.onMessage(accept(offNetwork), { peerId: PEER });
    expect(live.state.phase).toBe('failedBeforeFunding');
    expect(t.breaches).toEqual([`${PEER}: its addresses are not on the swap's networks`]);
  });

  it('refuses a message about the swap from any other peer', async () => {
    const t = setup();
    await withMaker(t);
    await expect(t.intake.onMessage(accept(devAddress(3)), { peerId: OTHER_PEER })).rejects.toEqual(
      refused('with another peer'),
    );
  });

  it('refuses a message the role does not take', async () => {
    const t = setup();
    await withMaker(t);
    const claimed = wire({ type: 'swap.makerClaimed', swapId: 'swap-1', txid: 'c1'.repeat(32) });
    await expect(t.intake.onMessage(claimed, { peerId: PEER })).rejects.toEqual(
      refused('A maker does not take swap.makerClaimed'),
    );
  });

  it('answers a late message for a finished swap from its peer as finished, and NOT_FOUND otherwise', async () => {
    const row: StoredSwap = {
      swapId: 'old-1',
      role: 'maker',
      state: 'completed',
      terminal: true,
      data: { meta: metaFor('maker') },
      createdAt: 1,
      updatedAt: 2,
    };
    const t = setup({ rows: [row] });
    const abort = wire({ type: 'swap.abort', swapId: 'old-1', reason: 'user-abort', message: 'bye' });
    await expect(t.intake.onMessage(abort, { peerId: PEER })).resolves.toEqual({ ok: true, finished: true });
    await expect(t.intake.onMessage(abort, { peerId: OTHER_PEER })).rejects.toEqual(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it("looks at the maker chain at once on the maker's funding notice (the chain decides, the notice hurries it)", async () => {
    const t = setup();
    t.agree();
    await t.intake.onMessage(propose(), { peerId: PEER });
    const funded = wire({
      type: 'swap.makerFunded',
      swapId: 'swap-1',
      txid: 'a1'.repeat(32),
      vout: 0,
      witnessScript: '00',
    });
    await t.intake.onMessage(funded, { peerId: PEER });
    expect([t.watchers.DEVA.pokes, t.watchers.DEVB.pokes]).toEqual([1, 0]);
  });
});
