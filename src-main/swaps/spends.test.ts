import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { resumeEffects } from '../../src-shared/swaps/machine.ts';
import { driveMaker, MAKER_PATH, SECRET, TAKER_PATH, terms, tick } from '../../src-shared/swaps/testkit.ts';
import type { SwapEvent } from '../../src-shared/swaps/types.ts';
import type { BuiltTx } from '../chain/htlc.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { BroadcastOutcome, SpendDeps, SpendEffect } from './chain-effects.ts';
import { createSpends } from './spends.ts';
import {
  COINS,
  fakeWatcher,
  liveOf,
  makerLive,
  metaFor,
  recordingLog,
  settle,
  takerLive,
  type TestLive,
} from './testkit.ts';

const OWN_SECRET = new Uint8Array(32).fill(7);

function spendOf(live: TestLive): SpendEffect {
  const e = resumeEffects(live.state).find(
    (x): x is SpendEffect => x.type === 'BroadcastClaim' || x.type === 'BroadcastRefund',
  );
  if (!e) throw new Error('the state spends');
  return e;
}

/** A maker whose refund the machine asked for: refunding, its lock open. */
function refundingMaker(): TestLive {
  const r = driveMaker([...MAKER_PATH.refunding, tick(terms().makerLeg.locktime, terms().takerLeg.locktime)]);
  return liveOf(r.state, metaFor('maker'));
}

function setup(outcomes: BroadcastOutcome[] = [], tip = 0) {
  const reported: SwapEvent[] = [];
  const builds: Array<{ e: SpendEffect; d: SpendDeps }> = [];
  const sent: string[] = [];
  const crashes: string[] = [];
  const fees: string[] = [];
  const watchers = { DEVA: fakeWatcher('DEVA'), DEVB: fakeWatcher('DEVB') };
  let running = true;
  const spends = createSpends({
    coins: COINS,
    wallets: {
      rpc: (ticker: string) => ({ ticker }) as unknown as RpcClient,
      feeEstimate: async (ticker: string, target: number) => (fees.push(`${ticker} ${target}`), { satPerVb: 15 }),
    } as never,
    vault: { swapPublicKey: (i) => new Uint8Array(33).fill(i), signSwapDigest: () => new Uint8Array(64) },
    watcher: (t) => watchers[t as 'DEVA' | 'DEVB'],
    freshHeight: async () => tip,
    ownSecret: () => OWN_SECRET,
    report: async (_live, e) => reported.push(e),
    isRunning: () => running,
    log: recordingLog(),
    background: (task) => void task.catch(() => undefined),
    crashAt: (p) => crashes.push(p),
    build: (e, d) => {
      builds.push({ e, d });
      const txid = `${e.type === 'BroadcastClaim' ? 'c' : 'd'}${builds.length}`.padEnd(64, '0');
      return { txid, hex: `hex-${txid}` } as BuiltTx;
    },
    send: async (_rpc, hex) => (sent.push(hex), outcomes.shift() ?? 'sent'),
  });
  return { spends, reported, builds, sent, crashes, fees, watchers, stop: () => (running = false) };
}

describe('claims and refunds', () => {
  it("builds the maker's claim with its own secret, sends it and reports it broadcast", async () => {
    const { spends, reported, builds, sent, crashes, fees } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    expect(bytesToHex(builds[0]!.d.secret!)).toBe(bytesToHex(OWN_SECRET));
    expect(builds[0]!.d.feeRate).toBe(15n);
    expect(fees).toEqual(['DEVB 2']);
    expect(sent).toHaveLength(1);
    expect(crashes).toEqual(['after-claim-send']);
    expect(reported).toEqual([{ type: 'ClaimBroadcast', txid: 'c1'.padEnd(64, '0') }]);
  });

  it("claims with the secret the taker learned from the chain, signed with the swap's key on that chain", async () => {
    const { spends, builds } = setup();
    const live = takerLive(TAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    expect(bytesToHex(builds[0]!.d.secret!)).toBe(SECRET);
    // The taker claims on the maker chain: key index 0 in the test meta.
    expect(builds[0]!.d.signer.publicKey).toEqual(new Uint8Array(33).fill(0));
  });

  it('builds a refund once with a 6-block fee and sends the same transaction again on the retry', async () => {
    const { spends, builds, sent, fees, reported } = setup([{ retry: 'non-final' }]);
    const live = refundingMaker();
    spends.request(live, spendOf(live));
    await settle();
    expect(reported).toEqual([]);
    spends.retry(live);
    await settle();
    expect(builds).toHaveLength(1);
    expect(fees).toEqual(['DEVA 6']);
    expect(sent).toEqual([sent[0], sent[0]]);
    expect(reported.map((e) => e.type)).toEqual(['RefundBroadcast']);
  });

  it('counts a transaction the chain already has as sent', async () => {
    const { spends, reported, crashes } = setup(['known']);
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    expect(reported.map((e) => e.type)).toEqual(['ClaimBroadcast']);
    expect(crashes).toEqual(['after-claim-send']);
  });

  it('leaves inputs already spent to the watcher: nothing is reported', async () => {
    const { spends, reported } = setup([{ spent: 'missingorspent' }]);
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    expect(reported).toEqual([]);
  });

  it('does not send again what the watcher sees in the mempool, and still reports it', async () => {
    const { spends, sent, reported, watchers } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    watchers.DEVB.txs.set('c1'.padEnd(64, '0'), { inMempool: true, confirmations: 0 } as never);
    spends.request(live, spendOf(live));
    await settle();
    expect(sent).toEqual([]);
    expect(reported.map((e) => e.type)).toEqual(['ClaimBroadcast']);
  });

  it('sends again on a new block of its own chain only', async () => {
    const { spends, sent } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    spends.onTip(live, 'DEVA');
    await settle();
    expect(sent).toHaveLength(1);
    spends.onTip(live, 'DEVB');
    await settle();
    expect(sent).toHaveLength(2);
  });

  it('drops a spend the machine no longer wants instead of sending it', async () => {
    const { spends, sent } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    const e = spendOf(live);
    live.state = driveMaker([...MAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: 'c1'.padEnd(64, '0') }]).state;
    spends.request(live, e);
    await settle();
    expect(sent).toEqual([]);
    spends.retry(live);
    await settle();
    expect(sent).toEqual([]);
  });

  it('forgets unwanted spends when pruned after a step', async () => {
    const { spends, sent } = setup([{ retry: 'not yet' }]);
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    live.state = driveMaker([...MAKER_PATH.claiming, { type: 'ClaimConfirmed', txid: 'c1'.padEnd(64, '0') }]).state;
    spends.prune(live);
    spends.retry(live);
    await settle();
    expect(sent).toHaveLength(1);
  });

  it('keeps the built transaction when the same effect is asked again (a resume), and rebuilds for a new one', async () => {
    const { spends, builds } = setup();
    const live = makerLive(MAKER_PATH.claiming);
    const e = spendOf(live);
    spends.request(live, e);
    await settle();
    spends.request(live, { ...e });
    await settle();
    expect(builds).toHaveLength(1);
    if (e.type !== 'BroadcastClaim') throw new Error('a claiming maker claims');
    spends.request(live, { ...e, deadline: e.deadline + 1 });
    await settle();
    expect(builds).toHaveLength(2);
  });

  it('sends nothing once the engine stopped', async () => {
    const { spends, sent, stop } = setup();
    stop();
    const live = makerLive(MAKER_PATH.claiming);
    spends.request(live, spendOf(live));
    await settle();
    expect(sent).toEqual([]);
  });

  it('never sends a claim with our own secret for the first time at or past its deadline (a late claim)', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const { spends, sent, reported } = setup([], claim.deadline);
    spends.request(live, claim);
    await settle();
    expect(sent).toEqual([]);
    expect(reported).toEqual([]);
  });

  it('sends the same claim one block before its deadline', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const { spends, sent } = setup([], claim.deadline - 1);
    spends.request(live, claim);
    await settle();
    expect(sent).toHaveLength(1);
  });

  it("sends the taker's claim (a learned secret reveals nothing) even past its deadline", async () => {
    const live = takerLive(TAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const { spends, sent } = setup([], claim.deadline + 10);
    spends.request(live, claim);
    await settle();
    expect(sent).toHaveLength(1);
  });
});
