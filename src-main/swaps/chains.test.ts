import { describe, expect, it } from 'vitest';
import { MAKER_PATH, START } from '../../src-shared/swaps/testkit.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { createSwapChains } from './chains.ts';
import { COINS, fakeWatcher, liveOf, makerLive, metaFor, recordingLog, type FakeWatcher } from './testkit.ts';

function setup() {
  const made: FakeWatcher[] = [];
  const changes: string[] = [];
  // The daemons' tips; a ticker without one does not answer.
  const daemonTips: Record<string, number> = {};
  const chains = createSwapChains({
    coins: COINS,
    rpc: (ticker) =>
      ({
        callAs: async (_schema: unknown, method: string) => {
          if (method !== 'getblockcount') throw new Error(`unexpected ${method}`);
          const tip = daemonTips[ticker];
          if (tip === undefined) throw new Error('connect ECONNREFUSED');
          return tip;
        },
      }) as unknown as RpcClient,
    pollMs: 1000,
    log: recordingLog(),
    onChange: (ticker, tipChanged) => changes.push(`${ticker} ${tipChanged}`),
    createWatcher: (o) => {
      const w = fakeWatcher(o.ticker);
      made.push(w);
      return w;
    },
  });
  const of = (ticker: string) => made.find((w) => w.ticker === ticker)!;
  return { chains, made, changes, of, daemonTips };
}

describe("the swaps' chains", () => {
  it('makes one watcher per coin when first asked, and starts them (also those made later) once running', async () => {
    const { chains, made } = setup();
    const a = chains.watcher('DEVA') as FakeWatcher;
    expect(chains.watcher('DEVA')).toBe(a);
    expect(a.started).toBe(false);
    chains.start();
    expect(a.started).toBe(true);
    const b = chains.watcher('DEVB') as FakeWatcher;
    expect(b.started).toBe(true);
    expect(made).toHaveLength(2);
    await chains.stop();
    expect([a.started, b.started]).toEqual([false, false]);
  });

  it('refuses a coin this node does not handle', () => {
    const { chains } = setup();
    expect(() => chains.watcher('DOGE')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('passes on what a watcher saw, with its ticker', () => {
    const { chains, changes } = setup();
    (chains.watcher('DEVB') as FakeWatcher).emit(true);
    (chains.watcher('DEVA') as FakeWatcher).emit(false);
    expect(changes).toEqual(['DEVB true', 'DEVA false']);
  });

  it('reads the tip without making a watcher for views', () => {
    const { chains, made } = setup();
    expect(chains.tipHeight('DEVA')).toBeUndefined();
    expect(made).toHaveLength(0);
    (chains.watcher('DEVA') as FakeWatcher).setTip(210);
    expect(chains.tipHeight('DEVA')).toBe(210);
  });

  it('asks the daemon for the fresh height, not the watcher (busy with a catch-up it knows an older tip, or none), and says an unreachable daemon does not answer', async () => {
    const { chains, of, daemonTips } = setup();
    chains.watcher('DEVA');
    of('DEVA').setTip(200);
    daemonTips.DEVA = 205;
    expect(await chains.freshHeight('DEVA')).toBe(205);
    expect(of('DEVA').pokes).toBe(0);
    await expect(chains.freshHeight('DEVB')).rejects.toMatchObject({
      code: 'WALLET_UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('knows both heights of a swap only once both chains have a tip', () => {
    const { chains } = setup();
    const meta = metaFor('maker');
    (chains.watcher('DEVA') as FakeWatcher).setTip(201);
    expect(chains.heights(meta)).toBeUndefined();
    (chains.watcher('DEVB') as FakeWatcher).setTip(301);
    expect(chains.heights(meta)).toEqual({ makerChain: 201, takerChain: 301 });
  });

  it("registers what the swap's state needs watched on each chain, searched from the heights the swap started at", () => {
    const { chains, of } = setup();
    const live = makerLive(MAKER_PATH.funded);
    chains.watch(live);
    expect(of('DEVA').interests.get('swap-1')).toMatchObject({
      fromHeight: START.makerChain,
      txids: [expect.any(String)],
    });
    expect(of('DEVB').interests.get('swap-1')).toMatchObject({ fromHeight: START.takerChain, txids: [] });
    chains.forget(live);
    expect(of('DEVA').interests.size + of('DEVB').interests.size).toBe(0);
  });

  it('watches nothing for a swap that has ended', () => {
    const { chains, made } = setup();
    chains.watch(
      liveOf({ role: 'maker', phase: 'failedBeforeFunding', swapId: 's', reason: { code: 'x', message: 'y' } }),
    );
    expect(made).toHaveLength(0);
  });
});
