// The chain watcher against a real Litecoin regtest daemon: it finds an HTLC payment in the mempool
// and in blocks, follows its confirmations, sees the claim that spends it and the secret in its
// witness, catches up on history after a late start, follows reorgs (back to the mempool, back
// into a block, conflicted away), finds a transaction by txid whatever it pays to, and carries on
// across a daemon restart.
import { z } from 'zod';
import * as ecc from '@bitcoinerlab/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCoin } from '../../../src-shared/coins/registry.ts';
import { amountFromCoinJson, formatAmount } from '../../../src-shared/money/index.ts';
import {
  buildClaimTx,
  extractSecret,
  htlcAddress,
  htlcOutputScript,
  htlcScript,
} from '../../../src-main/chain/htlc.ts';
import type { RegtestDaemon } from '../../../src-main/chain/regtest-daemon.ts';
import { createChainWatcher, type ChainWatcher } from '../../../src-main/chain/watcher.ts';
import { payAt, startChains, type Chains } from '../../support/regtest.ts';

const DEVA = getCoin('DEVA');
const ECPair = ECPairFactory(ecc);

let chains: Chains;
let chain: RegtestDaemon;
const watchers: ChainWatcher[] = [];

const node = () => chain.rpc;
const height = () => node().callAs(z.number(), 'getblockcount', [], { wallet: false });

function newWatcher(): ChainWatcher {
  const w = createChainWatcher({ ticker: 'DEVA', rpc: () => chain.rpc, pollMs: 60_000 });
  watchers.push(w);
  w.start();
  return w;
}

function newHtlc(locktimeOffset = 50) {
  const secret = sha256(new TextEncoder().encode(`secret ${Math.random()}`));
  const claimer = ECPair.makeRandom();
  return {
    secret,
    claimer,
    build: async () => {
      const script = htlcScript({
        secretHash: sha256(secret),
        claimPubkey: claimer.publicKey,
        refundPubkey: ECPair.makeRandom().publicKey,
        locktime: (await height()) + locktimeOffset,
      });
      return { script, outputScript: bytesToHex(htlcOutputScript(script)), address: htlcAddress(script, DEVA) };
    },
  };
}

const pay = (address: string, amount: bigint) => payAt(node(), address, amount);

beforeAll(async () => {
  chains = await startChains(1);
  chain = chains.chains[0]!;
});

afterAll(async () => {
  await Promise.all(watchers.map((w) => w.stop()));
  await chains?.cleanup();
});

describe('chain watcher on a real Litecoin regtest daemon', () => {
  it('keeps searching history after the daemon fails part way through a catch-up', async () => {
    const { outputScript, address } = await newHtlc().build();
    const txid = await pay(address, 50_000n);
    await chain.mine(3);
    // A real client aimed at a port nobody listens on: every call fails the way a stopped daemon's would.
    const { RpcClient } = await import('../../../src-main/chain/rpc.ts');
    const dead = new RpcClient({
      host: '127.0.0.1',
      port: 1,
      auth: { username: 'x', password: 'x' },
      retry: false,
      timeoutMs: 2000,
    });
    let failing = false;
    const w = createChainWatcher({ ticker: 'DEVA', rpc: () => (failing ? dead : chain.rpc), pollMs: 60_000 });
    watchers.push(w);
    w.start();
    await w.poke();
    w.setInterest('past', { scripts: [outputScript], fromHeight: (await height()) - 6 });
    failing = true;
    await w.poke().catch(() => {});
    expect(w.outputsTo(outputScript)).toEqual([]);
    failing = false;
    await w.poke();
    expect(w.outputsTo(outputScript).map((o) => o.txid)).toEqual([txid]);
  });

  it('finds an HTLC payment in the mempool, follows its confirmations, and reads the secret from the claim', async () => {
    const w = newWatcher();
    await w.poke();
    const h = newHtlc();
    const { script, outputScript, address } = await h.build();
    w.setInterest('swap-a', { scripts: [outputScript], fromHeight: w.tip()!.height });
    const amount = 2_000_000n;
    const txid = await pay(address, amount);
    await w.poke();
    let outs = w.outputsTo(outputScript);
    expect(outs).toHaveLength(1);
    expect(outs[0]).toMatchObject({ txid, value: amount, confirmations: 0 });
    await chain.mine(2);
    await w.poke();
    outs = w.outputsTo(outputScript);
    expect(outs[0]!.confirmations).toBe(2);
    expect(w.tip()!.height).toBe(await height());

    const vout = outs[0]!.vout;
    const destination = await node().callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const claim = buildClaimTx({
      fundingTxid: txid,
      vout,
      value: amount,
      script,
      destination,
      preimage: h.secret,
      feeRateSatPerVb: 10n,
      coin: DEVA,
      signer: { publicKey: h.claimer.publicKey, signDigest: (d) => h.claimer.sign(d, true) },
    });
    await node().call('sendrawtransaction', [claim.hex], { wallet: false });
    await w.poke();
    let spends = w.spendsOf({ txid, vout });
    expect(spends).toHaveLength(1);
    expect(spends[0]).toMatchObject({ txid: claim.txid, confirmations: 0 });
    expect(extractSecret(spends[0]!.tx, { script })).toEqual(h.secret);
    await chain.mine(1);
    await w.poke();
    spends = w.spendsOf({ txid, vout });
    expect(spends[0]!.confirmations).toBe(1);

    // A watcher started later, asked to look back, finds both from blocks alone.
    const late = newWatcher();
    await late.poke();
    late.setInterest('swap-a', { scripts: [outputScript], fromHeight: (await height()) - 5 });
    await late.poke();
    expect(late.outputsTo(outputScript)[0]).toMatchObject({ txid, confirmations: 3 });
    const lateSpend = late.spendsOf({ txid, vout });
    expect(lateSpend).toHaveLength(1);
    expect(extractSecret(lateSpend[0]!.tx, { script })).toEqual(h.secret);
  });

  it('walks a long catch-up and a long run of new blocks several blocks at a time, in order, finding what they hold', async () => {
    // The daemon's client, counting the block requests in flight at once.
    let inFlight = 0;
    let most = 0;
    const counting = new Proxy(chain.rpc, {
      get(target, prop, receiver) {
        if (prop !== 'callAs') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<typeof target.callAs>) => {
          if (args[1] !== 'getblock') return target.callAs(...args);
          most = Math.max(most, ++inFlight);
          try {
            return await target.callAs(...args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const w = createChainWatcher({ ticker: 'DEVA', rpc: () => counting, pollMs: 60_000 });
    watchers.push(w);
    w.start();
    await w.poke();
    const from = await height();
    const old = await newHtlc().build();
    const oldTx = await pay(old.address, 40_000n);
    await chain.mine(120);
    // A catch-up of 121 blocks: the payment at the first of them.
    w.setInterest('history', { scripts: [old.outputScript], fromHeight: from });
    await w.poke();
    expect(w.outputsTo(old.outputScript)).toMatchObject([{ txid: oldTx, confirmations: 120 }]);
    expect(most).toBeGreaterThan(1);
    // 60 new blocks between two polls, a payment in the first: taken in order, the tip at the last.
    most = 0;
    const next = await newHtlc().build();
    const nextTx = await pay(next.address, 40_000n);
    w.setInterest('next', { scripts: [next.outputScript], fromHeight: await height() });
    await chain.mine(60);
    await w.poke();
    expect(w.tip()!.height).toBe(await height());
    expect(w.outputsTo(next.outputScript)).toMatchObject([{ txid: nextTx, confirmations: 60 }]);
    expect(most).toBeGreaterThan(1);
  });

  it('follows a reorg: back to the mempool at 0 confirmations, back into a block, then gone when a conflicting block wins', async () => {
    const w = newWatcher();
    await w.poke();
    const { outputScript, address } = await newHtlc().build();
    w.setInterest('swap-b', { scripts: [outputScript], fromHeight: w.tip()!.height });
    const txid = await pay(address, 3_000_000n);
    const [blockHash] = await chain.mine(1);
    await w.poke();
    expect(w.outputsTo(outputScript)[0]!.confirmations).toBe(1);

    await node().call('invalidateblock', [blockHash], { wallet: false });
    await w.poke();
    expect(w.outputsTo(outputScript)[0]).toMatchObject({ txid, confirmations: 0 });
    expect(w.transaction(txid)?.inMempool).toBe(true);

    await node().call('reconsiderblock', [blockHash], { wallet: false });
    await w.poke();
    expect(w.outputsTo(outputScript)[0]!.confirmations).toBe(1);
    expect(w.transaction(txid)?.blockHash).toBe(blockHash);

    // Drop the block again and mine a competing one that double-spends the funding's input.
    await node().call('invalidateblock', [blockHash], { wallet: false });
    const funding = Transaction.fromHex(
      await node().callAs(z.string(), 'getrawtransaction', [txid], { wallet: false }),
    );
    const input = funding.ins[0]!;
    const prevTxid = bytesToHex(Uint8Array.from(input.hash).reverse());
    const prev = await node().callAs(
      z.object({ vout: z.array(z.object({ value: z.string() }).loose()) }).loose(),
      'getrawtransaction',
      [prevTxid, true],
      {
        wallet: false,
      },
    );
    const value = amountFromCoinJson(prev.vout[input.index]!.value, 8);
    const elsewhere = await node().callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const raw = await node().callAs(z.string(), 'createrawtransaction', [
      [{ txid: prevTxid, vout: input.index }],
      { [elsewhere]: formatAmount(value - 10_000n, 8) },
    ]);
    const signed = await node().callAs(
      z.object({ hex: z.string(), complete: z.boolean() }).loose(),
      'signrawtransactionwithwallet',
      [raw],
    );
    expect(signed.complete).toBe(true);
    await node().call('generateblock', [elsewhere, [signed.hex]], { wallet: false });
    await w.poke();
    const seen = w.transaction(txid);
    expect(seen?.inMempool).toBe(false);
    expect(seen?.confirmations).toBe(0);
    expect(seen?.goneSinceHeight).toBe(await height());
  });

  it('finds a transaction by txid whatever it pays to, and keeps going across a daemon restart', async () => {
    const w = newWatcher();
    await w.poke();
    const txid = await pay(await node().callAs(z.string(), 'getnewaddress', ['', 'bech32']), 1_000_000n);
    await chain.mine(1);
    w.setInterest('notice', { txids: [txid], fromHeight: (await height()) - 1 });
    await w.poke();
    expect(w.transaction(txid)?.confirmations).toBe(1);

    await chain.restart();
    await chain.mine(2);
    await w.poke();
    expect(w.transaction(txid)?.confirmations).toBe(3);
    expect(w.tip()!.height).toBe(await height());
  });
});
