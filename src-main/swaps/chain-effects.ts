// The two effects that move coins: paying our HTLC from the user's wallet, and building, signing
// and broadcasting a claim or refund. Both are safe to run again after a crash: funding first
// looks for a payment it already made, and a broadcast of a transaction the chain already has
// counts as done.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import type { Effect } from '../../src-shared/swaps/types.ts';
import {
  buildClaimTx,
  buildRefundTx,
  htlcAddress,
  htlcOutputScript,
  type BuiltTx,
  type SwapSigner,
} from '../chain/htlc.ts';
import { CoinJsonAmount, type RpcClient } from '../chain/rpc.ts';

export type FundEffect = Extract<Effect, { type: 'FundHtlc' }>;
export type SpendEffect = Extract<Effect, { type: 'BroadcastClaim' | 'BroadcastRefund' }>;

export type FundOutcome =
  | { readonly type: 'OwnFundingBroadcast'; readonly txid: string; readonly vout: number }
  | { readonly type: 'OwnFundingFailed'; readonly reason: string }
  /** Nothing decided (daemon unreachable, vault locked): try again later. */
  | { readonly type: 'retry'; readonly reason: string };

export interface FundDeps {
  coin: CoinParams;
  wallet: RpcClient;
  /** Current tip of the chain `notAfter` is measured on. */
  heightOf(chain: FundEffect['notAfter']['chain']): Promise<number>;
  feeRate(): Promise<bigint>;
  /** Test hook: called right after the wallet accepted the payment, before anything is recorded. */
  afterSend?(): void;
}

const WalletTxs = z.array(
  z
    .object({
      category: z.string(),
      address: z.string().optional(),
      amount: CoinJsonAmount,
      vout: z.number().int().optional(),
      txid: z.string(),
      confirmations: z.number().int(),
      abandoned: z.boolean().optional(),
    })
    .loose(),
);
const WalletTx = z.object({ hex: z.string() }).loose();

/** A payment of exactly `amount` to `address` this wallet already made (and that is not conflicted or abandoned). */
async function existingPayment(
  wallet: RpcClient,
  address: string,
  amount: bigint,
  decimals: number,
): Promise<{ txid: string; vout: number } | undefined> {
  const txs = await wallet.callAs(WalletTxs, 'listtransactions', ['*', 1000, 0, true]);
  const hit = txs.find(
    (t) =>
      t.category === 'send' &&
      t.address === address &&
      t.vout !== undefined &&
      t.confirmations >= 0 &&
      t.abandoned !== true &&
      amountFromCoinJson(t.amount, decimals) === -amount,
  );
  return hit ? { txid: hit.txid, vout: hit.vout! } : undefined;
}

function permanentWalletFailure(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'INSUFFICIENT_FUNDS' || err.code === 'WALLET_RPC_ERROR');
}

/**
 * Pays our HTLC once. `OwnFundingFailed` is reported only while nothing can have been sent: before
 * `sendtoaddress`, or when the wallet refused it and shows no payment to the HTLC address. After
 * that every error is a retry, whose first step finds the payment: coins that may sit in the HTLC
 * must never be taken for "failed before funding" (that swap would never refund them).
 */
export async function fundHtlc(e: FundEffect, d: FundDeps): Promise<FundOutcome> {
  const script = hexToBytes(e.witnessScript);
  const address = htlcAddress(script, d.coin);
  let txid: string;
  try {
    const paid = await existingPayment(d.wallet, address, e.amount, d.coin.decimals);
    if (paid) return { type: 'OwnFundingBroadcast', ...paid };
    const height = await d.heightOf(e.notAfter.chain);
    if (height > e.notAfter.height) {
      return {
        type: 'OwnFundingFailed',
        reason: `too late to lock coins: block ${height} is past the last safe block ${e.notAfter.height}`,
      };
    }
    const rate = await d.feeRate();
    txid = await send(d.wallet, address, e.amount, d.coin.decimals, rate);
  } catch (err) {
    const reason = errorReason(err);
    if (!permanentWalletFailure(err)) return { type: 'retry', reason };
    // A refusal of the payment itself: make sure the wallet kept nothing it might still send.
    try {
      if (await existingPayment(d.wallet, address, e.amount, d.coin.decimals)) return { type: 'retry', reason };
    } catch (again) {
      return { type: 'retry', reason: `${reason}; then ${errorReason(again)}` };
    }
    return { type: 'OwnFundingFailed', reason };
  }
  try {
    d.afterSend?.();
    return await paidOutput(d.wallet, txid, script, e.amount);
  } catch (err) {
    return { type: 'retry', reason: `paid in ${txid}, not yet recorded: ${errorReason(err)}` };
  }
}

const errorReason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function send(wallet: RpcClient, address: string, amount: bigint, decimals: number, rate: bigint): Promise<string> {
  return wallet.callAs(z.string(), 'sendtoaddress', [
    address,
    formatAmount(amount, decimals),
    '',
    '',
    false,
    false,
    null,
    'unset',
    null,
    Number(rate),
  ]);
}

/** The HTLC output of the wallet's payment; one that does not show it is retried (found by amount next time). */
async function paidOutput(wallet: RpcClient, txid: string, script: Uint8Array, amount: bigint): Promise<FundOutcome> {
  const tx = Transaction.fromHex((await wallet.callAs(WalletTx, 'gettransaction', [txid])).hex);
  const out = bytesToHex(htlcOutputScript(script));
  const vout = tx.outs.findIndex((o) => bytesToHex(o.script) === out && o.value === amount);
  if (vout < 0) return { type: 'retry', reason: `the wallet's transaction ${txid} does not show the HTLC output yet` };
  return { type: 'OwnFundingBroadcast', txid, vout };
}

export interface SpendDeps {
  coin: CoinParams;
  signer: SwapSigner;
  feeRate: bigint;
  /** The preimage for a claim (our own secret, or the one learned from the chain). */
  secret?: Uint8Array;
}

export function buildSpend(e: SpendEffect, d: SpendDeps): BuiltTx {
  const common = {
    fundingTxid: e.outpoint.txid,
    vout: e.outpoint.vout,
    value: e.amount,
    script: hexToBytes(e.witnessScript),
    feeRateSatPerVb: d.feeRate,
    coin: d.coin,
    signer: d.signer,
  };
  if (e.type === 'BroadcastClaim') {
    if (!d.secret) throw new Error('a claim needs the secret');
    return buildClaimTx({ ...common, destination: e.payoutAddress, preimage: d.secret });
  }
  return buildRefundTx({ ...common, destination: e.refundAddress, locktime: e.locktime });
}

export type BroadcastOutcome = 'sent' | 'known' | { readonly retry: string } | { readonly spent: string };

/** sendrawtransaction where "already in the chain" is success and "inputs spent" is left to the watcher. */
export async function broadcast(node: RpcClient, hex: string): Promise<BroadcastOutcome> {
  try {
    await node.callAs(z.string(), 'sendrawtransaction', [hex], { wallet: false });
    return 'sent';
  } catch (err) {
    const details =
      err instanceof ApiError ? (err.details as { rpcCode?: number; rpcMessage?: string } | undefined) : undefined;
    const message = details?.rpcMessage ?? (err instanceof Error ? err.message : String(err));
    if (details?.rpcCode === -27 || /already in block chain|txn-already-known|txn-already-in-mempool/i.test(message))
      return 'known';
    if (/missingorspent|missing-inputs|txn-mempool-conflict/i.test(message)) return { spent: message };
    return { retry: message };
  }
}
