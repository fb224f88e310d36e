// The HTLC against a real Litecoin regtest chain: fund it from a wallet, claim it (the secret
// appears on chain, in the mempool and in the block), refund another after its lock (refused
// before it), and reconcile the funding wallet to the satoshi. The signer is a test ecpair key
// signing low-R, standing in for the vault.
import { z } from 'zod';
import * as ecc from '@bitcoinerlab/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCoin } from '../../../src-shared/coins/registry.ts';
import { amountFromCoinJson } from '../../../src-shared/money/index.ts';
import { decodeHtlcScript, p2wshOutputScript } from '../../../src-shared/swaps/script.ts';
import { buildClaimTx, buildRefundTx, extractSecret, htlcAddress, htlcScript } from '../../../src-main/chain/htlc.ts';
import type { SwapSigner } from '../../../src-main/chain/htlc.ts';
import type { RegtestDaemon } from '../../../src-main/chain/regtest-daemon.ts';
import { CoinJsonAmount, type RpcClient } from '../../../src-main/chain/rpc.ts';
import { WALLET_FEE_RATE as FEE_RATE, payAt, startChains, type Chains } from '../../support/regtest.ts';

const DEVA = getCoin('DEVA');
const ECPair = ECPairFactory(ecc);

function testSigner(): SwapSigner {
  const pair = ECPair.makeRandom();
  return { publicKey: pair.publicKey, signDigest: (d) => pair.sign(d, true) };
}

let chains: Chains;
let chain: RegtestDaemon;
/** A wallet that never receives coinbase, so its balance moves only by what this test does. */
let swapWallet: RpcClient;
let expected = 0n;

const node = () => chain.rpc;
const height = () => node().callAs(z.number(), 'getblockcount', [], { wallet: false });
const balance = () => swapWallet.amount('getbalance', ['*', 0]);
const mineElsewhere = async (n: number) => chain.mine(n, await node().callAs(z.string(), 'getnewaddress'));

function rpcText(err: unknown): string {
  const e = err as { message?: string; details?: unknown };
  return `${e.message ?? ''} ${JSON.stringify(e.details ?? {})}`;
}

/** Pay `amount` to the HTLC from the swap wallet; returns the outpoint and the wallet fee paid. */
async function fund(script: Uint8Array, amount: bigint): Promise<{ txid: string; vout: number; fee: bigint }> {
  const txid = await payAt(swapWallet, htlcAddress(script, DEVA), amount);
  const wtx = await swapWallet.callAs(z.object({ fee: CoinJsonAmount, hex: z.string() }).loose(), 'gettransaction', [
    txid,
  ]);
  const tx = Transaction.fromHex(wtx.hex);
  const out = p2wshOutputScript(script);
  const vout = tx.outs.findIndex((o) => bytesToHex(o.script) === bytesToHex(out));
  expect(vout).toBeGreaterThanOrEqual(0);
  expect(tx.outs[vout]!.value).toBe(amount);
  const fee = -amountFromCoinJson(wtx.fee, 8);
  expect(fee).toBeGreaterThan(0n);
  return { txid, vout, fee };
}

/** A fresh HTLC: its secret, both parties' signers, and its script locked `lockIn` blocks from the tip. */
async function newHtlc(label: string, lockIn: number) {
  const secret = sha256(new TextEncoder().encode(`${label} test secret`));
  const claimer = testSigner();
  const refunder = testSigner();
  const locktime = (await height()) + lockIn;
  const script = htlcScript({
    secretHash: sha256(secret),
    claimPubkey: claimer.publicKey,
    refundPubkey: refunder.publicKey,
    locktime,
  });
  return { secret, claimer, refunder, locktime, script };
}

/** What a claim or a refund of `funding` spends and where it pays, at the wallet's fee rate. */
function spendOf(funding: { txid: string; vout: number }, value: bigint, script: Uint8Array, destination: string) {
  const feeRateSatPerVb = BigInt(FEE_RATE);
  return { fundingTxid: funding.txid, vout: funding.vout, value, script, destination, feeRateSatPerVb, coin: DEVA };
}

/** A transaction as mined in the block `blockHash`, or undefined. */
async function minedIn(blockHash: string, txid: string): Promise<{ txid: string; hex: string } | undefined> {
  const block = await node().callAs(
    z.object({ tx: z.array(z.object({ txid: z.string(), hex: z.string() }).loose()) }).loose(),
    'getblock',
    [blockHash, 2],
    {
      wallet: false,
    },
  );
  return block.tx.find((t) => t.txid === txid);
}

beforeAll(async () => {
  chains = await startChains(1);
  chain = chains.chains[0]!;
  await node().call('createwallet', ['swap'], { wallet: false });
  swapWallet = node().forWallet('swap');
  const start = 10_00000000n;
  await payAt(node(), await swapWallet.callAs(z.string(), 'getnewaddress'), start);
  await mineElsewhere(1);
  expected = start;
  expect(await balance()).toBe(expected);
});

afterAll(async () => {
  await chains?.cleanup();
});

describe('HTLC on a real Litecoin regtest chain', () => {
  it('claim: funded from the wallet, claimed with the secret, which appears in the mempool and the block', async () => {
    const { secret, claimer, refunder, locktime, script } = await newHtlc('claim', 8);
    const amount = 1_25000000n;

    const funding = await fund(script, amount);
    expected -= amount + funding.fee;
    await mineElsewhere(1);
    const utxo = await node().callAs(
      z.object({ value: CoinJsonAmount, scriptPubKey: z.object({ hex: z.string() }).loose() }).loose(),
      'gettxout',
      [funding.txid, funding.vout],
      { wallet: false },
    );
    expect(amountFromCoinJson(utxo.value, 8)).toBe(amount);
    expect(utxo.scriptPubKey.hex).toBe(bytesToHex(p2wshOutputScript(script)));
    expect(decodeHtlcScript(script).locktime).toBe(locktime);

    const destination = await swapWallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const claim = buildClaimTx({ ...spendOf(funding, amount, script, destination), preimage: secret, signer: claimer });
    expect(await node().callAs(z.string(), 'sendrawtransaction', [claim.hex], { wallet: false })).toBe(claim.txid);

    // Any watcher can read the secret from the mempool before the claim confirms.
    const inMempool = await node().callAs(z.string(), 'getrawtransaction', [claim.txid], { wallet: false });
    expect(extractSecret(inMempool, { secretHash: sha256(secret) })).toEqual(secret);

    const [blockHash] = await mineElsewhere(1);
    const mined = await minedIn(blockHash!, claim.txid);
    expect(mined).toBeDefined();
    expect(extractSecret(mined!.hex, { script })).toEqual(secret);

    expected += amount - claim.fee;
    expect(await swapWallet.amount('getreceivedbyaddress', [destination, 1])).toBe(amount - claim.fee);
    expect(await balance()).toBe(expected);

    // Once claimed, the refund can never happen: after the lock it finds its input spent.
    await mineElsewhere(Math.max(0, locktime - (await height())));
    const refund = buildRefundTx({ ...spendOf(funding, amount, script, destination), signer: refunder });
    await expect(node().call('sendrawtransaction', [refund.hex], { wallet: false })).rejects.toSatisfy((e: unknown) =>
      /missingorspent|missing-inputs|already/i.test(rpcText(e)),
    );
  });

  it('refund: refused before the lock, accepted at it, and reveals no secret', async () => {
    const { refunder, locktime, script } = await newHtlc('refund', 6);
    const amount = 50000000n;

    const funding = await fund(script, amount);
    expected -= amount + funding.fee;
    await mineElsewhere(1);

    const destination = await swapWallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const refund = buildRefundTx({ ...spendOf(funding, amount, script, destination), signer: refunder });
    expect(refund.tx.locktime).toBe(locktime);

    // One block short of the lock: the refund is not final yet.
    await mineElsewhere(locktime - 1 - (await height()));
    expect(await height()).toBe(locktime - 1);
    await expect(node().call('sendrawtransaction', [refund.hex], { wallet: false })).rejects.toSatisfy((e: unknown) =>
      /non-final/i.test(rpcText(e)),
    );

    // Tip at the lock: the next block is above it, so the refund is valid.
    await mineElsewhere(1);
    expect(await node().callAs(z.string(), 'sendrawtransaction', [refund.hex], { wallet: false })).toBe(refund.txid);
    const [blockHash] = await mineElsewhere(1);
    const mined = await minedIn(blockHash!, refund.txid);
    expect(mined).toBeDefined();
    expect(extractSecret(mined!.hex, { script })).toBeNull();

    expected += amount - refund.fee;
    expect(await swapWallet.amount('getreceivedbyaddress', [destination, 1])).toBe(amount - refund.fee);
    expect(await balance()).toBe(expected);
  });

  it('a claim asked at 0 sat/vB is built at the wallet floor and relays', async () => {
    const { secret, claimer, script } = await newHtlc('floor', 50);
    const amount = 10000n;
    const funding = await fund(script, amount);
    expected -= amount + funding.fee;
    await mineElsewhere(1);
    const destination = await swapWallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
    const claim = buildClaimTx({
      ...spendOf(funding, amount, script, destination),
      feeRateSatPerVb: 0n,
      preimage: secret,
      signer: claimer,
    });
    expect(claim.feeRate).toBe(10n);
    expect(await node().callAs(z.string(), 'sendrawtransaction', [claim.hex], { wallet: false })).toBe(claim.txid);
    await mineElsewhere(1);
    expected += amount - claim.fee;
    expect(await balance()).toBe(expected);
  });
});
