import { describe, expect, it } from 'vitest';
import { MAKER_PATH, TAKER_PATH } from '../../src-shared/swaps/testkit.ts';
import { resumeEffects } from '../../src-shared/swaps/machine.ts';
import type { SwapEvent } from '../../src-shared/swaps/types.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { FundDeps, FundEffect, FundOutcome } from './chain-effects.ts';
import { createFunding } from './funding.ts';
import { COINS, makerLive, recordingLog, takerLive, type TestLive } from './testkit.ts';

function fundEffectOf(live: TestLive): FundEffect {
  const e = resumeEffects(live.state).find((x): x is FundEffect => x.type === 'FundHtlc');
  if (!e) throw new Error('the state funds');
  return e;
}

function setup(outcomes: Array<FundOutcome | Error>, over: { running?: () => boolean } = {}) {
  const reported: SwapEvent[] = [];
  const sleeps: number[] = [];
  const calls: FundDeps[] = [];
  const log = recordingLog();
  const heights: string[] = [];
  const wallets = {
    rpc: (ticker: string) => ({ ticker }) as unknown as RpcClient,
    feeEstimate: async (ticker: string, target: number) => {
      heights.push(`fee ${ticker} ${target}`);
      return { satPerVb: 12 };
    },
  };
  const funding = createFunding({
    coins: COINS,
    wallets: wallets as never,
    freshHeight: async (ticker) => (heights.push(`height ${ticker}`), 300),
    report: async (_live, e) => reported.push(e),
    isRunning: over.running ?? (() => true),
    log,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (sleeps.length > 50) throw new Error('the loop never ended');
    },
    payHtlc: async (_e, deps) => {
      calls.push(deps);
      const next = outcomes.shift() ?? { type: 'retry', reason: 'script ran out' };
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return { funding, reported, sleeps, calls, log, heights };
}

describe('the fund loop', () => {
  it('reports the payment once the wallet made it', async () => {
    const { funding, reported, calls } = setup([{ type: 'OwnFundingBroadcast', txid: 'a1'.repeat(32), vout: 1 }]);
    const live = makerLive(MAKER_PATH.funding);
    await funding.fund(live, fundEffectOf(live));
    expect(reported).toEqual([{ type: 'OwnFundingBroadcast', txid: 'a1'.repeat(32), vout: 1 }]);
    expect(calls[0]?.coin.ticker).toBe('DEVA');
  });

  it('reports a wallet refusal as the funding failing', async () => {
    const { funding, reported } = setup([{ type: 'OwnFundingFailed', reason: 'insufficient funds' }]);
    const live = takerLive(TAKER_PATH.funding);
    await funding.fund(live, fundEffectOf(live));
    expect(reported).toEqual([{ type: 'OwnFundingFailed', reason: 'insufficient funds' }]);
  });

  it('retries while the daemon does not answer (a throw counts as retry), waiting 0.5 s more each time up to 3 s', async () => {
    const outcomes: Array<FundOutcome | Error> = [
      ...Array.from({ length: 7 }, () => ({ type: 'retry' as const, reason: 'connection refused' })),
      new Error('vault locked'),
      { type: 'OwnFundingBroadcast', txid: 'b1'.repeat(32), vout: 0 },
    ];
    const { funding, reported, sleeps, log } = setup(outcomes);
    const live = takerLive(TAKER_PATH.funding);
    await funding.fund(live, fundEffectOf(live));
    expect(sleeps).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3000, 3000]);
    expect(reported.map((e) => e.type)).toEqual(['OwnFundingBroadcast']);
    // Said once at first, then every tenth try: the log does not fill up.
    expect(log.lines.filter((l) => l.msg === 'funding the HTLC must wait')).toHaveLength(1);
  });

  it('stops once the swap left funding (an abort was decided meanwhile) without reporting', async () => {
    const { funding, reported, sleeps } = setup([{ type: 'retry', reason: 'busy' }]);
    const live = makerLive(MAKER_PATH.funding);
    const e = fundEffectOf(live);
    const done = funding.fund(live, e);
    live.state = makerLive(MAKER_PATH.funded).state;
    await done;
    expect(sleeps).toEqual([500]);
    expect(reported).toEqual([]);
  });

  it('stops when the engine stops', async () => {
    let running = true;
    const { funding, reported, calls } = setup([{ type: 'retry', reason: 'busy' }], { running: () => running });
    const live = makerLive(MAKER_PATH.funding);
    const done = funding.fund(live, fundEffectOf(live));
    running = false;
    await done;
    expect(calls).toHaveLength(1);
    expect(reported).toEqual([]);
  });

  it('runs one loop per swap: a second start while one runs does nothing', async () => {
    const outcomes: Array<FundOutcome | Error> = [
      { type: 'retry', reason: 'busy' },
      { type: 'OwnFundingBroadcast', txid: 'a1'.repeat(32), vout: 0 },
    ];
    const { funding, calls } = setup(outcomes);
    const live = makerLive(MAKER_PATH.funding);
    const e = fundEffectOf(live);
    await Promise.all([funding.fund(live, e), funding.fund(live, e)]);
    expect(calls).toHaveLength(2);
    // A later start (a resume) runs again: the payment itself finds what was already paid.
    outcomes.push({ type: 'OwnFundingBroadcast', txid: 'a1'.repeat(32), vout: 0 });
    await funding.fund(live, e);
    expect(calls).toHaveLength(3);
  });

  it("measures notAfter on the chain the effect names, by that chain's ticker, and asks a 2-block fee", async () => {
    const { funding, calls, heights } = setup([{ type: 'OwnFundingBroadcast', txid: 'a1'.repeat(32), vout: 0 }]);
    const live = makerLive(MAKER_PATH.funding);
    await funding.fund(live, fundEffectOf(live));
    const deps = calls[0]!;
    await deps.heightOf('takerChain');
    expect(await deps.feeRate()).toBe(12n);
    expect(heights).toEqual(['height DEVB', 'fee DEVA 2']);
  });
});
