// The engine's wiring, with two engines (maker and taker) talking through an in-memory p2p bridge,
// real SQLite stores, chain watchers whose tips the test sets and wallets whose daemons are down:
// enough to see the parts meet (proposal, agreement, accept, funding waits), refusals, the user's
// abort, locked balances and a resume after a restart. The chains themselves are the integration
// suite's (test/integration/swap).
import { hexToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { pubkeyOf, START } from '../../src-shared/swaps/testkit.ts';
import { waitFor } from '../kernel/time.ts';
import { peerRequestError, type RequestHandler } from '../p2p/reqres.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import { openTestStore } from '../core/test-store.ts';
import { createSwapEngine, type SwapEngine, type SwapEngineDeps } from './engine.ts';
import { createSwapRepo } from './repo.ts';
import { COINS, devAddress, fakeWatcher, recordingLog } from './testkit.ts';

const MAKER = '12D3KooWMakerNode000000000000000000000000000000';
const TAKER = '12D3KooWTakerNode000000000000000000000000000000';
const DEVA = (amount: bigint) => ({ ticker: 'DEVA', amount });
const DEVB = (amount: bigint) => ({ ticker: 'DEVB', amount });

/** Two peers connected in memory: a request runs the other side's handler; its ApiError comes back as a refusal. */
function bridge() {
  const handlers = new Map<string, RequestHandler>();
  const sent: Array<{ from: string; type: string }> = [];
  let takerAnswers = true;
  const host = (peerId: string, other: string): SwapEngineDeps['p2p'] => ({
    peerId,
    async handleRequest(_protocol, handler) {
      handlers.set(peerId, handler);
    },
    async request(to, protocol, body) {
      sent.push({ from: peerId, type: (body as { type: string }).type });
      const handler = handlers.get(to);
      if (to === TAKER && !takerAnswers) throw peerRequestError('timeout', 'no answer');
      if (!handler) throw peerRequestError('unsupported', 'no such protocol');
      try {
        return await handler(JSON.parse(JSON.stringify(body)), { peerId, protocol });
      } catch (err) {
        if (err instanceof ApiError)
          throw peerRequestError('remote', `The peer ${to} refused the request: ${err.message}`, err.code);
        throw err;
      }
    },
    async ban() {},
    isBanned: () => false,
    peers: () => [{ peerId: other, addrs: [`/ip4/127.0.0.1/tcp/1/p2p/${other}`] }],
    async dial() {
      return other;
    },
    knownAddrs: async () => [],
    lookupAddrs: async () => [],
  });
  return { host, sent, handlers, silenceTaker: () => (takerAnswers = false) };
}

const engines: SwapEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

function node(peerId: string, p2p: SwapEngineDeps['p2p'], db = openTestStore()) {
  const updates: SwapSummary[] = [];
  let n = peerId === MAKER ? 50 : 70;
  const engine = createSwapEngine({
    coins: COINS.all,
    repo: createSwapRepo(db),
    settings: createSettingsRepo(db),
    vault: {
      status: () => 'unlocked',
      swapPublicKey: (i) => hexToBytes(pubkeyOf((peerId === MAKER ? 100 : 150) + (i % 40))),
      signSwapDigest: (_i, digest) => new Uint8Array(64).map((_, k) => digest[k % digest.length]!),
    },
    wallets: {
      // The daemons tell their tips (at the swap's start heights) and refuse everything else.
      rpc: (ticker: string) => ({
        callAs: async (_schema: unknown, method: string) => {
          if (method === 'getblockcount') return ticker === 'DEVA' ? START.makerChain : START.takerChain;
          throw new ApiError('WALLET_UNREACHABLE', 'the daemon is down in this test');
        },
      }),
      newAddress: async () => ({ address: devAddress(n++) }),
      balanceUnits: async () => ({ spendable: 10n ** 12n }),
      feeEstimate: async () => ({ satPerVb: 10 }),
    } as never,
    p2p,
    log: recordingLog(),
    tickMs: 3_600_000,
    onUpdate: (s) => updates.push(s),
    chainWatcher: (o) => {
      const w = fakeWatcher(o.ticker);
      w.setTip(o.ticker === 'DEVA' ? START.makerChain : START.takerChain);
      return w;
    },
  });
  engines.push(engine);
  return { engine, updates, db };
}

function pair() {
  const net = bridge();
  return { net, maker: node(MAKER, net.host(MAKER, TAKER)), taker: node(TAKER, net.host(TAKER, MAKER)) };
}

const phaseOf = (e: SwapEngine, id: string) => e.list().find((s) => s.swapId === id)?.state;

describe('the swap engine, wired', () => {
  it('registers the swap protocol on start, and a swap the peer agreed to goes from proposal to the maker locking', async () => {
    const { net, maker, taker } = pair();
    await maker.engine.start();
    await taker.engine.start();
    expect([...net.handlers.keys()].sort()).toEqual([MAKER, TAKER].sort());
    taker.engine.allow({ peerId: MAKER, sell: DEVB(4_000_000n), buy: DEVA(1_000_000n) });
    const s = await maker.engine.startSwap({ peerId: TAKER, sell: DEVA(1_000_000n), buy: DEVB(4_000_000n) });
    expect(s).toMatchObject({ role: 'maker', counterparty: TAKER, sell: { ticker: 'DEVA', amount: '0.01' } });
    await waitFor(() => phaseOf(maker.engine, s.swapId) === 'funding', { timeoutMs: 5000, what: 'maker funding' });
    expect(phaseOf(taker.engine, s.swapId)).toBe('accepted');
    expect(net.sent.map((m) => `${m.from === MAKER ? 'maker' : 'taker'} ${m.type}`)).toEqual([
      'maker swap.propose',
      'taker swap.accept',
    ]);
    // The maker's coins are promised but not yet in its HTLC (its wallet's daemon is down).
    expect(maker.engine.lockedAmount('DEVA')).toBe(1_000_000n);
    expect(taker.engine.lockedAmount('DEVB')).toBe(4_000_000n);
    expect(maker.updates.map((u) => u.state)).toEqual(['proposed', 'funding']);
    expect(maker.engine.stats().liveSwaps).toBe(1);
    expect(maker.engine.get(s.swapId).timeline.map((t) => t.event)).toEqual(['MakerStarted', 'CounterpartyAccepted']);
  });

  it("ends the maker's swap at once with the peer's words when the peer never agreed", async () => {
    const { maker, taker } = pair();
    await maker.engine.start();
    await taker.engine.start();
    const s = await maker.engine.startSwap({ peerId: TAKER, sell: DEVA(1_000_000n), buy: DEVB(4_000_000n) });
    await waitFor(() => maker.engine.list()[0]?.terminal, { timeoutMs: 5000, what: 'maker refused' });
    const done = maker.engine.get(s.swapId);
    expect(done).toMatchObject({ state: 'failedBeforeFunding', reason: { code: 'refused' } });
    expect(done.reason?.message).toContain('no matching swaps.allow');
    expect(maker.engine.stats().liveSwaps).toBe(0);
    expect(maker.engine.lockedAmount('DEVA')).toBe(0n);
    expect(taker.engine.list()).toEqual([]);
  });

  it("stops a swap before any lock on the user's abort, keeps it while the abort waits to go out, and refuses a second abort", async () => {
    const { net, maker } = pair();
    net.silenceTaker();
    await maker.engine.start();
    const s = await maker.engine.startSwap({ peerId: TAKER, sell: DEVA(1_000_000n), buy: DEVB(4_000_000n) });
    const stopped = await maker.engine.abort(s.swapId);
    expect(stopped).toMatchObject({ state: 'failedBeforeFunding', terminal: true });
    expect(maker.engine.stats().liveSwaps).toBe(1);
    expect(maker.engine.lockedAmount('DEVA')).toBe(0n);
    await expect(maker.engine.abort(s.swapId)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(maker.engine.abort('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(() => maker.engine.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('takes an unfinished swap up again after a restart and sends its pending proposal again', async () => {
    const net = bridge();
    net.silenceTaker();
    const db = openTestStore();
    const first = node(MAKER, net.host(MAKER, TAKER), db);
    await first.engine.start();
    const s = await first.engine.startSwap({ peerId: TAKER, sell: DEVA(1_000_000n), buy: DEVB(4_000_000n) });
    await first.engine.stop();
    const proposalsBefore = net.sent.filter((m) => m.type === 'swap.propose').length;

    const second = node(MAKER, net.host(MAKER, TAKER), db);
    await second.engine.start();
    await waitFor(() => net.sent.filter((m) => m.type === 'swap.propose').length > proposalsBefore, {
      timeoutMs: 5000,
      what: 'the proposal sent again',
    });
    expect(second.engine.stats().liveSwaps).toBe(1);
    expect(second.engine.get(s.swapId).state).toBe('proposed');
  });

  it('keeps an agreement across a restart', async () => {
    const net = bridge();
    const db = openTestStore();
    const first = node(TAKER, net.host(TAKER, MAKER), db);
    first.engine.allow({ peerId: MAKER, sell: DEVB(4_000_000n), buy: DEVA(1_000_000n) });
    const maker = node(MAKER, net.host(MAKER, TAKER));
    const second = node(TAKER, net.host(TAKER, MAKER), db);
    await second.engine.start();
    await maker.engine.start();
    const s = await maker.engine.startSwap({ peerId: TAKER, sell: DEVA(1_000_000n), buy: DEVB(4_000_000n) });
    await waitFor(() => phaseOf(second.engine, s.swapId) === 'accepted', { timeoutMs: 5000, what: 'taker accepted' });
  });
});
