// Coin preparation (docs/orders.md §10): the wallet's coins with what locks each, and a split of
// free confirmed coins into order-sized outputs paid to the wallet's own fresh addresses —
// previewed (dry run), then sent only for the fee the user was shown. The planning is pure
// (src-shared/orders/coin-prep.ts); this file reads the wallet and sends.
import { Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import {
  coinRows,
  exactCoin,
  planSplit,
  scriptKind,
  type CoinLock,
  type CoinRow,
  type PrepCoin,
  type SplitPlan,
} from '../../src-shared/orders/coin-prep.ts';
import { minLegAmount } from '../../src-shared/orders/minimum.ts';
import { CoinJsonAmount } from '../chain/rpc.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/index.ts';
import { fundingSoon } from './coin-locks.ts';
import { parseOutpoint } from './chain.ts';
import { LISTING_ALIVE, type OrderRecord } from './records.ts';

export interface CoinPrepDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'feeEstimate'>;
  records: { all(): Iterable<OrderRecord> };
  log: Logger;
  /** The user's fee cap per coin, sat/vB (swaps.maxFeeSatPerVb): a split's rate never exceeds it. */
  feeCap?: (ticker: string) => bigint | undefined;
}

export interface SplitParams {
  ticker: string;
  amount: bigint;
  count: number;
  dryRun: boolean;
  /** The fee the user consented to (required to send). */
  maxFee?: bigint;
}

export interface SplitDone {
  plan: SplitPlan;
  /** Null on a dry run. */
  txid: string | null;
  /** The new order-sized coins (vouts 0..count-1), once sent. */
  outpoints: string[];
}

export interface CoinPrep {
  rows(ticker: string): Promise<CoinRow[]>;
  split(p: SplitParams): Promise<SplitDone>;
  /**
   * A free coin of exactly `amount` for an order (prepareCoins), or the split that would make
   * one: sent unless `dryRun`. Null plan when a coin of that size is already free.
   */
  exactCoin(
    ticker: string,
    amount: bigint,
    dryRun: boolean,
  ): Promise<{ coin: PrepCoin | null; split: SplitDone | null }>;
}

const Unspent = z
  .array(
    z
      .object({
        txid: z.string(),
        vout: z.number().int().optional(),
        amount: CoinJsonAmount,
        confirmations: z.number().int(),
        scriptPubKey: z.string().optional(),
      })
      .loose(),
  )
  .max(100_000);
const Locked = z.array(z.object({ txid: z.string(), vout: z.number().int() }).loose()).max(100_000);
const TxOut = z.object({ value: CoinJsonAmount, confirmations: z.number().int() }).loose().nullable();
const Signed = z.object({ hex: z.string(), complete: z.boolean() }).loose();

/** What this node's own orders hold: backing coins of open orders and coins about to fund a swap. */
export function heldByOrders(records: Iterable<OrderRecord>): Map<string, CoinLock> {
  const out = new Map<string, CoinLock>();
  for (const r of records) {
    if (r.role !== 'maker' || r.kind === 'stop') continue;
    const utxos = (r.order?.makerUtxos as string[] | undefined) ?? [];
    const funding = r.fills.find((f) => fundingSoon({ ...r, fills: [f] }));
    let lock: CoinLock | null = null;
    if (funding) lock = { kind: 'swap', swapId: funding.holdId ?? '', orderId: r.id };
    else if (LISTING_ALIVE.includes(r.state)) lock = { kind: 'order', orderId: r.id };
    if (lock) for (const u of utxos) out.set(u, lock);
  }
  return out;
}

/** Signs and sends a planned split: outputs first (vouts 0..n-1), change last, not replaceable. */
async function sendSplit(d: CoinPrepDeps, ticker: string, p: SplitPlan): Promise<SplitDone> {
  const rpc = d.wallets.rpc(ticker);
  const dec = d.coins.decimals(ticker);
  const inputs = p.inputs.map((c) => parseOutpoint(c.outpoint));
  // Locked while it is built, so an order posted meanwhile cannot pick the same coins.
  await rpc.call('lockunspent', [false, inputs]);
  try {
    const outputs: Array<Record<string, string>> = [];
    for (const a of p.outputs)
      outputs.push({ [(await d.wallets.newAddress(ticker, 'hashlock coin split')).address]: formatAmount(a, dec) });
    if (p.change > 0n)
      outputs.push({
        [(await d.wallets.newAddress(ticker, 'hashlock split change')).address]: formatAmount(p.change, dec),
      });
    const raw = await rpc.callAs(z.string(), 'createrawtransaction', [inputs, outputs, 0, false]);
    const signed = await rpc.callAs(Signed, 'signrawtransactionwithwallet', [raw]);
    if (!signed.complete)
      throw new ApiError('WALLET_RPC_ERROR', `The ${ticker} wallet could not sign the split (is it locked?).`);
    const vsize = BigInt(Transaction.fromHex(signed.hex).virtualSize());
    if (vsize > p.vsize)
      throw new ApiError(
        'INTERNAL',
        `The signed split is ${vsize} vB, more than the ${p.vsize} vB its fee was counted for.`,
      );
    const txid = await rpc.callAs(z.string(), 'sendrawtransaction', [signed.hex]);
    d.log.info('coins split', { ticker, txid, outputs: p.outputs.length, fee: p.fee });
    return { plan: p, txid, outpoints: p.outputs.map((_, i) => `${txid}:${i}`) };
  } finally {
    await rpc
      .call('lockunspent', [true, inputs])
      .catch((err: unknown) => d.log.info('split inputs already spent', { ticker, error: errorText(err) }));
  }
}

export function createCoinPrep(d: CoinPrepDeps): CoinPrep {
  async function unlocked(ticker: string): Promise<PrepCoin[]> {
    const dec = d.coins.decimals(ticker);
    const list = await d.wallets.rpc(ticker).callAs(Unspent, 'listunspent', [0]);
    // MWEB outputs (no vout) cannot be named by an order or a plain transaction.
    return list
      .filter((u): u is typeof u & { vout: number } => u.vout !== undefined)
      .map((u) => ({
        outpoint: `${u.txid}:${u.vout}`,
        amount: amountFromCoinJson(u.amount, dec),
        confirmations: u.confirmations,
        script: scriptKind(u.scriptPubKey ?? ''),
      }));
  }

  /** Coins neither locked in the wallet nor held by one of our orders. */
  async function free(ticker: string): Promise<PrepCoin[]> {
    const held = heldByOrders(d.records.all());
    return (await unlocked(ticker)).filter((c) => !held.has(c.outpoint));
  }

  async function rows(ticker: string): Promise<CoinRow[]> {
    const rpc = d.wallets.rpc(ticker);
    const dec = d.coins.decimals(ticker);
    const walletLocked: Array<Omit<CoinRow, 'lock'>> = [];
    for (const o of await rpc.callAs(Locked, 'listlockunspent', [])) {
      const out = await rpc.callAs(TxOut, 'gettxout', [o.txid, o.vout, true], { wallet: false });
      // A locked coin already spent is no coin of the wallet any more.
      if (out)
        walletLocked.push({
          outpoint: `${o.txid}:${o.vout}`,
          amount: amountFromCoinJson(out.value, dec),
          confirmations: out.confirmations,
        });
    }
    return coinRows(await unlocked(ticker), walletLocked, heldByOrders(d.records.all()));
  }

  async function plan(ticker: string, amount: bigint, count: number): Promise<{ plan: SplitPlan; coins: PrepCoin[] }> {
    const coin = d.coins.get(ticker);
    const estimate = BigInt((await d.wallets.feeEstimate(ticker, 6)).satPerVb);
    const cap = d.feeCap?.(ticker);
    const feeRate = cap !== undefined && cap < estimate ? cap : estimate;
    const coins = await free(ticker);
    const r = planSplit(coins, { amount, count, feeRate, minOutput: minLegAmount(coin), dust: coin.dustP2wpkh });
    if (r.ok) return { plan: r.plan, coins };
    if (r.reason === 'insufficient')
      throw new ApiError('INSUFFICIENT_FUNDS', `The ${ticker} wallet cannot make this split: ${r.message}.`);
    throw new ApiError('INVALID_PARAMS', `The split is refused (${r.reason}): ${r.message}.`, { reason: r.reason });
  }

  async function split(p: SplitParams): Promise<SplitDone> {
    const planned = (await plan(p.ticker, p.amount, p.count)).plan;
    if (p.dryRun) return { plan: planned, txid: null, outpoints: [] };
    if (p.maxFee === undefined)
      throw new ApiError('INVALID_PARAMS', 'A split is sent only with maxFee: the network fee its preview showed.');
    if (planned.fee > p.maxFee)
      throw new ApiError(
        'CONFLICT',
        `The split's network fee is now ${formatAmount(planned.fee, d.coins.decimals(p.ticker))} ${p.ticker}, more than the ${formatAmount(p.maxFee, d.coins.decimals(p.ticker))} you accepted; preview it again.`,
      );
    return sendSplit(d, p.ticker, planned);
  }

  return {
    rows,
    split,
    async exactCoin(ticker, amount, dryRun) {
      const found = exactCoin(await free(ticker), amount);
      if (found) return { coin: found, split: null };
      // prepareCoins is the consent; the fee is the clamped estimate the dry run showed.
      const planned = (await plan(ticker, amount, 1)).plan;
      if (dryRun) return { coin: null, split: { plan: planned, txid: null, outpoints: [] } };
      const done = await sendSplit(d, ticker, planned);
      const coin = { outpoint: done.outpoints[0]!, amount, confirmations: 0, script: 'p2wpkh' as const };
      return { coin, split: done };
    },
  };
}
