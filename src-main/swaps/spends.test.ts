import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { resumeEffects } from '../../src-shared/swaps/machine.ts';
import { driveMaker, MAKER_PATH, SECRET, TAKER_PATH, terms, tick } from '../../src-shared/swaps/testkit.ts';
import type { FeeChildSent, SwapEvent } from '../../src-shared/swaps/types.ts';
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

function setup(outcomes: BroadcastOutcome[] = [], tip = 0, feeCap?: bigint) {
  const height = { tip };
  const reported: SwapEvent[] = [];
  const builds: Array<{ e: SpendEffect; d: SpendDeps }> = [];
  const sent: string[] = [];
  const crashes: string[] = [];
  const fees: string[] = [];
  const children: string[] = [];
  const notes: FeeChildSent[] = [];
  const watchers = { DEVA: fakeWatcher('DEVA'), DEVB: fakeWatcher('DEVB') };
  // What the daemon says now, when it differs from the watcher's last poll (a block it has not seen yet).
  const minedSincePoll = new Set<string>();
  let running = true;
  const spends = createSpends({
    coins: COINS,
    wallets: {
      rpc: (ticker: string) => ({ ticker }) as unknown as RpcClient,
      feeEstimate: async (ticker: string, target: number) => (fees.push(`${ticker} ${target}`), { satPerVb: 15 }),
    } as never,
    vault: { swapPublicKey: (i) => new Uint8Array(33).fill(i), signSwapDigest: () => new Uint8Array(64) },
    watcher: (t) => watchers[t as 'DEVA' | 'DEVB'],
    freshHeight: async () => height.tip,
    ...(feeCap !== undefined ? { feeCap: () => feeCap } : {}),
    ownSecret: () => OWN_SECRET,
    report: async (_live, e) => reported.push(e),
    noteChild: (_live, note) => notes.push(note),
    isRunning: () => running,
    log: recordingLog(),
    background: (task) => void task.catch(() => undefined),
    crashAt: (p) => crashes.push(p),
    build: (e, d) => {
      builds.push({ e, d });
      const txid = `${e.type === 'BroadcastClaim' ? 'c' : 'd'}${builds.length}`.padEnd(64, '0');
      const tx = { outs: [{ value: 100_000n, script: new Uint8Array(22) }] };
      return { txid, hex: `hex-${txid}`, feeRate: d.feeRate, fee: 1500n, vsize: 150, tx } as unknown as BuiltTx;
    },
    send: async (_rpc, hex) => (sent.push(hex), outcomes.shift() ?? 'sent'),
    inMempool: async (rpc, txid) => {
      const ticker = (rpc as unknown as { ticker: 'DEVA' | 'DEVB' }).ticker;
      return !minedSincePoll.has(txid) && watchers[ticker].txs.get(txid)?.inMempool === true;
    },
    payForParent: async (_rpc, _coin, pkg, rate) => {
      children.push(`${pkg.txid.slice(0, 2)}@${rate}`);
      // Each child pays 1,000 sat more than the one before: 1,000, 2,000, …
      return { ...pkg, txid: `e${children.length}`.padEnd(64, '0'), fee: pkg.fee + 1000n * BigInt(children.length) };
    },
  });
  return {
    spends,
    reported,
    builds,
    sent,
    crashes,
    fees,
    watchers,
    height,
    children,
    notes,
    minedSincePoll,
    stop: () => (running = false),
  };
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

  it('a claim left unconfirmed in the mempool is replaced at a rising fee block by block, up to the user cap by the lock it races', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const first = claim.raceBy - 10;
    const { spends, sent, builds, reported, watchers, height } = setup([], first, 115n);
    spends.request(live, claim);
    await settle();
    expect(builds.map((b) => b.d.feeRate)).toEqual([15n]);
    const rates: bigint[] = [];
    for (let h = first + 1; h <= claim.raceBy + 1; h++) {
      // Every version so far waits in the mempool, unconfirmed.
      for (const b of builds)
        watchers.DEVB.txs.set(`c${builds.indexOf(b) + 1}`.padEnd(64, '0'), {
          inMempool: true,
          confirmations: 0,
        } as never);
      height.tip = h;
      spends.onTip(live, 'DEVB');
      await settle();
      rates.push(builds.at(-1)!.d.feeRate);
    }
    // 15 → 115 over 10 blocks: +10 a block, each step a replacement; never above the cap.
    expect(rates).toEqual([25n, 35n, 45n, 55n, 65n, 75n, 85n, 95n, 105n, 115n, 115n]);
    expect(sent).toHaveLength(11);
    // The original and ten replacements, each reported as the claim out there; the last stays.
    expect(reported).toHaveLength(12);
    expect(reported.at(-1)).toEqual({ type: 'ClaimBroadcast', txid: 'c11'.padEnd(64, '0') });
  });

  it('no replacement while the rise is below the relay increment (BIP 125)', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const first = claim.raceBy - 100;
    const { spends, sent, builds, watchers, height } = setup([], first, 115n);
    spends.request(live, claim);
    await settle();
    watchers.DEVB.txs.set('c1'.padEnd(64, '0'), { inMempool: true, confirmations: 0 } as never);
    height.tip = first + 1;
    spends.onTip(live, 'DEVB');
    await settle();
    expect(builds).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('a confirmed spend is never replaced', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const { spends, builds, watchers, height } = setup([], claim.raceBy - 10, 115n);
    spends.request(live, claim);
    await settle();
    watchers.DEVB.txs.set('c1'.padEnd(64, '0'), { inMempool: false, confirmations: 1 } as never);
    height.tip = claim.raceBy;
    spends.onTip(live, 'DEVB');
    await settle();
    expect(builds).toHaveLength(1);
  });

  it('a spend mined since the watcher last looked gets no higher fee: no replacement, no child', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const { spends, sent, children, watchers, height, minedSincePoll } = setup(
      ['sent', 'sent'],
      claim.raceBy - 10,
      115n,
    );
    spends.request(live, claim);
    await settle();
    const txid = 'c1'.padEnd(64, '0');
    // The watcher's last poll shows it in the mempool; the daemon has mined it since.
    watchers.DEVB.txs.set(txid, { inMempool: true, confirmations: 0 } as never);
    minedSincePoll.add(txid);
    height.tip = claim.raceBy - 1;
    spends.onTip(live, 'DEVB');
    await settle();
    expect(sent).toHaveLength(1);
    expect(children).toEqual([]);
  });

  it('where the daemon refuses the replacement, a child pays for the spend instead (CPFP), once per rate, and the swap keeps each child with its fee', async () => {
    const live = makerLive(MAKER_PATH.claiming);
    const claim = spendOf(live);
    if (claim.type !== 'BroadcastClaim') throw new Error('a claim');
    const first = claim.raceBy - 10;
    const { spends, children, notes, watchers, height, reported } = setup(
      ['sent', { spent: 'txn-mempool-conflict' }, { spent: 'txn-mempool-conflict' }, { spent: 'txn-mempool-conflict' }],
      first,
      115n,
    );
    spends.request(live, claim);
    await settle();
    watchers.DEVB.txs.set('c1'.padEnd(64, '0'), { inMempool: true, confirmations: 0 } as never);
    height.tip = first + 1;
    spends.onTip(live, 'DEVB');
    await settle();
    spends.retry(live);
    await settle();
    expect(children).toEqual(['c1@25']);
    // A block later the rate rises again: a child of the first child (the first cannot be replaced).
    height.tip = first + 2;
    spends.onTip(live, 'DEVB');
    await settle();
    expect(children).toEqual(['c1@25', 'e1@35']);
    // The swap's record names each child, what it pays for and what it alone cost.
    const note = { type: 'FeeChildSent', spend: 'claim', ticker: 'DEVB' } as const;
    expect(notes).toEqual([
      { ...note, parent: 'c1'.padEnd(64, '0'), txid: 'e1'.padEnd(64, '0'), fee: 1000n },
      { ...note, parent: 'e1'.padEnd(64, '0'), txid: 'e2'.padEnd(64, '0'), fee: 2000n },
    ]);
    // The parent stays the claim out there.
    expect(reported.at(-1)).toEqual({ type: 'ClaimBroadcast', txid: 'c1'.padEnd(64, '0') });
  });
});
