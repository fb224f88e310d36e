// Every wallet call the payments domain makes, over the wallets component's RPC client: sending
// with the payment's comment, finding that send again, quoting the fee, reading confirmations and
// what a request's address received. Also which failures prove nothing was sent (§9.2).
import { CoinJsonAmount } from '../chain/rpc.ts';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import { findSentPayment, type WalletTx } from '../../src-shared/payments/pay-machine.ts';
import type { SeenPayment } from '../../src-shared/payments/status.ts';
import type { FeeChoice } from '../../src-shared/payments/views.ts';
import type { WalletService } from '../wallets/index.ts';

/** Confirmation targets of the fee choices, in blocks. */
export const FEE_TARGETS: Readonly<Record<FeeChoice, number>> = { economy: 24, normal: 6, priority: 2 };
const LOOKUP_PAGE = 100;
const LOOKUP_MAX_PAGES = 20;
const RECEIVED_MAX = 1000;

const TxList = z.array(
  z
    .object({
      txid: z.string().optional(),
      category: z.string(),
      address: z.string().optional(),
      amount: CoinJsonAmount,
      vout: z.number().int().optional(),
      confirmations: z.number().int().optional(),
      timereceived: z.number().int().optional(),
      comment: z.string().optional(),
    })
    .loose(),
);
const Transaction = z.object({ confirmations: z.number().int(), fee: CoinJsonAmount.optional() }).loose();
const Funded = z.object({ fee: CoinJsonAmount }).loose();
const Txid = z.string().regex(/^[0-9a-f]{64}$/);

export interface PayWallet {
  /** `sendtoaddress` with the payment's comment and fee rate; the txid. Never retried. */
  send(coin: CoinParams, address: string, amount: bigint, comment: string, feeRate: bigint): Promise<string>;
  /** The txid of the wallet's send carrying `comment`, searched newest first. */
  findSent(coin: CoinParams, comment: string): Promise<string | undefined>;
  /** Confirmations (negative: conflicted) and the fee the wallet paid. */
  transaction(coin: CoinParams, txid: string): Promise<{ confirmations: number; fee: bigint | undefined }>;
  /** The fee the wallet would pay now for this payment at `feeRate`, keeping nothing. */
  quote(coin: CoinParams, address: string, amount: bigint, feeRate: bigint): Promise<bigint>;
  feeRate(coin: CoinParams, choice: FeeChoice): Promise<bigint>;
  /** Spendable after every reservation; also proves the wallet answers. */
  spendable(coin: CoinParams): Promise<bigint>;
  /** Outputs paying `address` among the wallet's transactions labelled `label`. */
  received(coin: CoinParams, label: string, address: string): Promise<SeenPayment[]>;
}

export function createPayWallet(wallets: WalletService): PayWallet {
  const units = (coin: CoinParams, v: string | number) => amountFromCoinJson(v, coin.decimals);
  return {
    async send(coin, address, amount, comment, feeRate) {
      // Positional: address amount comment comment_to subtractfee replaceable conf_target estimate_mode avoid_reuse fee_rate
      const args = [address, formatAmount(amount, coin.decimals), comment, '', false, true, null, 'unset', null];
      return wallets.rpc(coin.ticker).callAs(Txid, 'sendtoaddress', [...args, Number(feeRate)]);
    },
    async findSent(coin, comment) {
      const rpc = wallets.rpc(coin.ticker);
      for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
        const txs = await rpc.callAs(TxList, 'listtransactions', ['*', LOOKUP_PAGE, page * LOOKUP_PAGE, true]);
        const found = findSentPayment(
          txs.flatMap((t) => walletTx(coin, t)),
          comment,
        );
        if (found !== undefined || txs.length < LOOKUP_PAGE) return found;
      }
      return undefined;
    },
    async transaction(coin, txid) {
      const tx = await wallets.rpc(coin.ticker).callAs(Transaction, 'gettransaction', [txid, true]);
      const fee = tx.fee === undefined ? undefined : -units(coin, tx.fee);
      return { confirmations: tx.confirmations, fee };
    },
    async quote(coin, address, amount, feeRate) {
      const outputs = [{ [address]: formatAmount(amount, coin.decimals) }];
      const options = { fee_rate: Number(feeRate), lockUnspents: false, replaceable: true };
      try {
        const funded = await wallets
          .rpc(coin.ticker)
          .callAs(Funded, 'walletcreatefundedpsbt', [[], outputs, 0, options]);
        return units(coin, funded.fee);
      } catch (err) {
        throw insufficient(err, coin, amount) ?? err;
      }
    },
    async feeRate(coin, choice) {
      return BigInt((await wallets.feeEstimate(coin.ticker, FEE_TARGETS[choice])).satPerVb);
    },
    async spendable(coin) {
      return (await wallets.balanceUnits(coin.ticker)).spendable;
    },
    async received(coin, label, address) {
      const txs = await wallets.rpc(coin.ticker).callAs(TxList, 'listtransactions', [label, RECEIVED_MAX, 0, true]);
      return txs.flatMap((t) =>
        t.category === 'receive' && t.address === address && t.txid !== undefined && t.vout !== undefined
          ? [
              {
                txid: t.txid,
                vout: t.vout,
                amount: units(coin, t.amount),
                confirmations: t.confirmations ?? 0,
                seenAt: (t.timereceived ?? 0) * 1000,
              },
            ]
          : [],
      );
    },
  };
}

function walletTx(coin: CoinParams, t: z.infer<typeof TxList>[number]): WalletTx[] {
  if (t.txid === undefined) return [];
  return [
    {
      txid: t.txid,
      category: t.category,
      amount: amountFromCoinJson(t.amount, coin.decimals),
      ...(t.address !== undefined ? { address: t.address } : {}),
      ...(t.comment !== undefined ? { comment: t.comment } : {}),
    },
  ];
}

/** Funding answers "Insufficient funds" as a plain wallet error (-4); say it as what it is. */
function insufficient(err: unknown, coin: CoinParams, amount: bigint): ApiError | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const d = (err.details ?? {}) as { rpcCode?: unknown; rpcMessage?: unknown };
  if (err.code === 'INSUFFICIENT_FUNDS' || (d.rpcCode === -4 && /insufficient funds/i.test(String(d.rpcMessage)))) {
    return new ApiError(
      'INSUFFICIENT_FUNDS',
      `The ${coin.ticker} wallet cannot pay ${formatAmount(amount, coin.decimals)} ${coin.ticker} and its network fee: it has too little. Nothing was sent.`,
      { ticker: coin.ticker },
    );
  }
  return undefined;
}

const NEVER_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a failed send certainly sent nothing: the wallet answered with an error, refused the
 * login, was too busy to take it, or was never reached. A timeout, a connection dropped after the
 * request left, or a reply that is not JSON-RPC prove nothing: the payment must be looked up.
 */
export function isDefiniteFailure(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const d = (err.details ?? {}) as { rpcCode?: unknown; httpStatus?: unknown; cause?: unknown; cookiePath?: unknown };
  switch (err.code) {
    case 'WALLET_NOT_CONFIGURED':
    case 'VAULT_LOCKED':
    case 'WALLET_AUTH_FAILED':
    case 'WALLET_NOT_LOADED':
    case 'WALLET_WRONG_NETWORK':
    case 'INSUFFICIENT_FUNDS':
    case 'NOT_FOUND':
      return true;
    case 'WALLET_TIMEOUT':
      return false;
    case 'WALLET_UNREACHABLE':
      return (
        typeof d.rpcCode === 'number' ||
        d.httpStatus === 503 ||
        d.cookiePath !== undefined ||
        (typeof d.cause === 'string' && NEVER_REACHED.has(d.cause))
      );
    default:
      // An answered JSON-RPC error (insufficient funds, invalid address, fee too low …).
      return typeof d.rpcCode === 'number';
  }
}

/** Words for a definite refusal the user can act on. */
export function sendErrorWords(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) {
    const d = (err.details ?? {}) as { rpcCode?: unknown; rpcMessage?: unknown };
    if (d.rpcCode === -6)
      return { code: 'INSUFFICIENT_FUNDS', message: `The wallet has too little: ${String(d.rpcMessage)}` };
    return { code: err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
