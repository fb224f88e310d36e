// The two order-network transactions a wallet makes, and the service node's checks of them:
// the maker's ownership proof (a signed transaction, never broadcast, spending exactly the order's
// outpoints back to the maker with the order id in an OP_RETURN) and the taker's fee payment
// (the service node's fee plus an OP_RETURN of the order id, so every trade leaves a record).
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { address as btcAddress, Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import { networkOf } from '../chain/htlc.ts';
import { CoinJsonAmount, type RpcClient } from '../chain/rpc.ts';

export interface Outpoint {
  readonly txid: string;
  readonly vout: number;
}

export const outpointKey = (o: Outpoint): string => `${o.txid}:${o.vout}`;
export function parseOutpoint(s: string): Outpoint {
  const i = s.lastIndexOf(':');
  return { txid: s.slice(0, i), vout: Number(s.slice(i + 1)) };
}

/** Bytes a P2PKH input needs at most (the largest common kind); the proof's fee is sized with it. */
const MAX_INPUT_VBYTES = 150n;

/** The 32-byte order id as an OP_RETURN output script: OP_RETURN PUSH32 <id>. */
export function orderIdScript(orderId: string): Uint8Array {
  return Uint8Array.from([0x6a, 0x20, ...hexToBytes(orderId)]);
}

function opReturnData(script: Uint8Array): string | null {
  return script.length === 34 && script[0] === 0x6a && script[1] === 0x20 ? bytesToHex(script.subarray(2)) : null;
}

const txidOf = (input: Transaction['ins'][number]): string => bytesToHex(Uint8Array.from(input.hash).reverse());

function decodeTx(hex: string): Transaction | null {
  try {
    return Transaction.fromHex(hex);
  } catch {
    return null;
  }
}

const Signed = z.object({ hex: z.string(), complete: z.boolean() }).loose();
const Funded = z.object({ hex: z.string() }).loose();

/**
 * The maker's ownership proof for `orderId`: every outpoint spent back to `refundAddress` (on the
 * coin the maker sells) less a small fee, plus OP_RETURN <orderId>, signed by the wallet. Never
 * broadcast; if anyone does broadcast it the maker loses only that fee.
 */
export async function buildOwnershipProof(
  wallet: RpcClient,
  coin: CoinParams,
  utxos: ReadonlyArray<Outpoint & { amount: bigint }>,
  orderId: string,
  refundAddress: string,
  feeRate: bigint,
): Promise<string> {
  const total = utxos.reduce((a, u) => a + u.amount, 0n);
  const fee = feeRate * (11n + 43n + 43n + MAX_INPUT_VBYTES * BigInt(utxos.length));
  if (total - fee < coin.dustP2wpkh)
    throw new ApiError('INSUFFICIENT_FUNDS', `The ${coin.ticker} coins chosen for the order are too small to prove.`);
  const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
    utxos.map((u) => ({ txid: u.txid, vout: u.vout })),
    [{ data: orderId }, { [refundAddress]: formatAmount(total - fee, coin.decimals) }],
  ]);
  const signed = await wallet.callAs(Signed, 'signrawtransactionwithwallet', [raw]);
  if (!signed.complete)
    throw new ApiError(
      'WALLET_RPC_ERROR',
      `The ${coin.ticker} wallet could not sign for the coins of the order (is it locked?).`,
    );
  return signed.hex;
}

export type ChainCheck = { ok: true } | { ok: false; message: string };

const MempoolAccept = z
  .array(z.object({ allowed: z.boolean().optional(), 'reject-reason': z.string().optional() }).loose())
  .length(1);
const TxOut = z.object({ value: CoinJsonAmount, confirmations: z.number().int().optional() }).loose().nullable();
const MempoolEntry = z.object({ 'bip125-replaceable': z.boolean().optional() }).loose();

/**
 * The service node's check of a proof: it spends exactly the order's outpoints, carries the order
 * id, and the daemon would accept it now (so every input exists, is unspent and is signed by its
 * owner); together the outpoints hold at least `needed`.
 */
export async function checkOwnershipProof(
  node: RpcClient,
  coin: CoinParams,
  hex: string,
  orderId: string,
  outpoints: readonly string[],
  needed: bigint,
): Promise<ChainCheck> {
  const tx = decodeTx(hex);
  if (!tx) return { ok: false, message: 'the ownership proof is not a transaction' };
  const spent = tx.ins.map((i) => `${txidOf(i)}:${i.index}`);
  if (spent.length !== outpoints.length || !outpoints.every((o) => spent.includes(o)))
    return { ok: false, message: "the ownership proof does not spend exactly the order's coins" };
  if (!tx.outs.some((o) => opReturnData(o.script) === orderId))
    return { ok: false, message: 'the ownership proof is not for this order' };
  const verdict = await node.callAs(MempoolAccept, 'testmempoolaccept', [[hex]], { wallet: false });
  if (verdict[0]?.allowed !== true)
    return {
      ok: false,
      message: `the maker's coins are spent, unknown or not the maker's (${verdict[0]?.['reject-reason'] ?? 'refused'})`,
    };
  let total = 0n;
  for (const o of outpoints) {
    const { txid, vout } = parseOutpoint(o);
    const out = await node.callAs(TxOut, 'gettxout', [txid, vout, true], { wallet: false });
    if (!out) return { ok: false, message: `the coin ${o} is spent or unknown` };
    total += amountFromCoinJson(out.value, coin.decimals);
    // Unconfirmed backing is accepted (docs/orders.md §10), unless its maker said it may replace it.
    if ((out.confirmations ?? 0) < 1 && (await replaceable(node, txid)))
      return { ok: false, message: `the coin ${o} is unconfirmed and its transaction signals replacement (BIP 125)` };
  }
  if (total < needed)
    return {
      ok: false,
      message: `the order's coins hold ${formatAmount(total, coin.decimals)} ${coin.ticker}, less than the ${formatAmount(needed, coin.decimals)} it offers`,
    };
  return { ok: true };
}

/**
 * Whether an unconfirmed transaction may be replaced (BIP 125, itself or an ancestor). Gone from
 * the mempool: confirmed meanwhile is not replaceable; otherwise it is refused as replaceable.
 */
async function replaceable(node: RpcClient, txid: string): Promise<boolean> {
  try {
    const e = await node.callAs(MempoolEntry, 'getmempoolentry', [txid], { wallet: false, retry: false });
    return e['bip125-replaceable'] === true;
  } catch {
    const tx = await node
      .callAs(ConfirmedTx, 'getrawtransaction', [txid, true], { wallet: false, retry: false })
      .catch(() => null);
    return (tx?.confirmations ?? 0) < 1;
  }
}
const ConfirmedTx = z.object({ confirmations: z.number().int().optional() }).loose();

export interface PreparedFee {
  readonly txid: string;
  readonly hex: string;
  readonly inputs: readonly Outpoint[];
}

/** Most coins one fee payment spends: the signed transaction rides in the take (cap 12 KiB). */
const MAX_FEE_INPUTS = 8;
const Unspent = z
  .array(z.object({ txid: z.string(), vout: z.number().int(), amount: z.union([z.string(), z.number()]) }).loose())
  .max(100_000);

/**
 * The taker fee transaction, funded and signed by the wallet but not sent: its txid goes into the
 * accept and the signed transaction into the take, and the service node broadcasts it only as it
 * gives the hold (docs/orders.md §7), so a refused take costs nothing. It spends only confirmed
 * coins and does not signal replacement, so once broadcast the fee cannot be taken back.
 * Its inputs stay locked in the wallet until it is sent or released.
 */
export async function prepareFeeTx(
  wallet: RpcClient,
  coin: CoinParams,
  feeAddress: string,
  amount: bigint,
  orderId: string,
): Promise<PreparedFee> {
  // Confirmed coins, largest first, enough for the fee and a generous network fee; the wallet adds change.
  const margin = coin.walletMinFeeSatPerVb * 1000n;
  const confirmed = (await wallet.callAs(Unspent, 'listunspent', [1]))
    .map((u) => ({ txid: u.txid, vout: u.vout, amount: amountFromCoinJson(u.amount, coin.decimals) }))
    .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
  const inputs: Outpoint[] = [];
  let total = 0n;
  for (const u of confirmed) {
    if (total >= amount + margin || inputs.length >= MAX_FEE_INPUTS) break;
    inputs.push({ txid: u.txid, vout: u.vout });
    total += u.amount;
  }
  if (total < amount + margin)
    throw new ApiError(
      'INSUFFICIENT_FUNDS',
      `The ${coin.ticker} wallet has too few confirmed coins to pay the taker fee of ${formatAmount(amount, coin.decimals)} ${coin.ticker}.`,
    );
  const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
    inputs,
    [{ [feeAddress]: formatAmount(amount, coin.decimals) }, { data: orderId }],
    0,
    false,
  ]);
  const funded = await wallet.callAs(Funded, 'fundrawtransaction', [raw, { lockUnspents: true, replaceable: false }]);
  const signed = await wallet.callAs(Signed, 'signrawtransactionwithwallet', [funded.hex]);
  const tx = decodeTx(signed.hex);
  if (!signed.complete || !tx)
    throw new ApiError('WALLET_RPC_ERROR', `The ${coin.ticker} wallet could not sign the fee payment.`);
  return { txid: tx.getId(), hex: signed.hex, inputs: tx.ins.map((i) => ({ txid: txidOf(i), vout: i.index })) };
}

/** Gives the fee transaction's coins back to the wallet (the accept was refused). */
export async function releaseFeeTx(wallet: RpcClient, fee: PreparedFee): Promise<void> {
  await wallet.call('lockunspent', [true, fee.inputs.map((i) => ({ txid: i.txid, vout: i.vout }))]);
}

/** BIP 125: a transaction signals replacement when any input's sequence is below 0xfffffffe. */
export const signalsReplacement = (tx: Transaction): boolean => tx.ins.some((i) => i.sequence < 0xfffffffe);

/**
 * What a taker's fee transaction must be, read from its bytes: it pays at least `fee.amount` to
 * `fee.address`, carries an OP_RETURN of the order id, and does not signal replacement.
 */
export function checkFeeTxBytes(
  coin: CoinParams,
  hex: string,
  fee: { address: string; amount: bigint },
  orderId: string,
): ChainCheck & { tx?: Transaction } {
  const tx = decodeTx(hex);
  if (!tx) return { ok: false, message: 'the fee transaction cannot be read' };
  if (!tx.outs.some((o) => opReturnData(o.script) === orderId))
    return { ok: false, message: 'the fee transaction does not name this order' };
  const network = networkOf(coin);
  const paid = tx.outs.reduce((sum, o) => {
    try {
      return btcAddress.fromOutputScript(o.script, network) === fee.address ? sum + o.value : sum;
    } catch {
      return sum;
    }
  }, 0n);
  if (paid < fee.amount)
    return {
      ok: false,
      message: `the fee transaction pays ${formatAmount(paid, coin.decimals)} ${coin.ticker}, less than the fee`,
    };
  if (signalsReplacement(tx))
    return { ok: false, message: 'the fee transaction signals replacement (BIP 125): it could be taken back' };
  return { ok: true, tx };
}

const ConfirmedOut = z.object({ confirmations: z.number().int() }).loose().nullable();

/** Every input of an unconfirmed fee transaction spends a confirmed coin (a parent cannot be replaced under it). */
export async function feeInputsConfirmed(node: RpcClient, tx: Transaction): Promise<ChainCheck> {
  for (const i of tx.ins) {
    const out = await node.callAs(ConfirmedOut, 'gettxout', [txidOf(i), i.index, false], { wallet: false });
    if (!out || out.confirmations < 1)
      return { ok: false, message: 'the fee transaction spends an unconfirmed or spent coin' };
  }
  return { ok: true };
}

const RawVerbose = z.object({ hex: z.string(), confirmations: z.number().int().optional() }).loose();

/**
 * The service node's check of a taker's fee already on the chain (a taker that sent it itself):
 * the transaction (in the mempool or a block) passes checkFeeTxBytes, and while unconfirmed it
 * spends only confirmed coins.
 */
export async function checkFeeTx(
  node: RpcClient,
  coin: CoinParams,
  txid: string,
  fee: { address: string; amount: bigint },
  orderId: string,
): Promise<ChainCheck> {
  let found: z.output<typeof RawVerbose>;
  try {
    found = await node.callAs(RawVerbose, 'getrawtransaction', [txid, true], { wallet: false, retry: false });
  } catch {
    return { ok: false, message: 'the fee transaction is not on the chain' };
  }
  const bytes = checkFeeTxBytes(coin, found.hex, fee, orderId);
  if (!bytes.ok || (found.confirmations ?? 0) > 0) return bytes.ok ? { ok: true } : bytes;
  return feeInputsConfirmed(node, bytes.tx!);
}

const TxOutWithScript = z
  .object({
    value: CoinJsonAmount,
    confirmations: z.number().int(),
    scriptPubKey: z.object({ address: z.string().optional(), addresses: z.array(z.string()).optional() }).loose(),
  })
  .loose()
  .nullable();

/** What the daemon says about an outpoint (unspent, including the mempool), or null. */
export async function lookupOutput(
  node: RpcClient,
  coin: CoinParams,
  o: Outpoint,
): Promise<{ address: string | null; amount: bigint; confirmations: number } | null> {
  const out = await node.callAs(TxOutWithScript, 'gettxout', [o.txid, o.vout, true], { wallet: false });
  if (!out) return null;
  const address = out.scriptPubKey.address ?? out.scriptPubKey.addresses?.[0] ?? null;
  return { address, amount: amountFromCoinJson(out.value, coin.decimals), confirmations: out.confirmations };
}
