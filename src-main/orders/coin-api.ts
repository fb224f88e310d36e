// The orders.coins and orders.splitCoins answers (docs/orders.md §10): the API's decimal strings
// turned into base units for the coin preparation, and its results back into decimal strings.
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import type { CoinPrep, SplitDone } from './coin-prep.ts';
import type { OrderParams } from './params.ts';

export interface CoinApiDeps {
  coins: CoinTable;
  prep: CoinPrep;
  params: Pick<OrderParams, 'amount'>;
  /** The coins this node's markets trade. */
  tickers: readonly string[];
}

function known(d: CoinApiDeps, ticker: string): string {
  if (!d.tickers.includes(ticker))
    throw new ApiError('NOT_FOUND', `No market of this node trades ${ticker}.`, { ticker });
  return ticker;
}

export function splitView(coins: CoinTable, ticker: string, s: SplitDone): Result<'orders.splitCoins'> {
  const dec = coins.decimals(ticker);
  const p = s.plan;
  return {
    ticker,
    inputs: p.inputs.map((c) => ({ outpoint: c.outpoint, amount: formatAmount(c.amount, dec) })),
    outputs: p.outputs.map((a) => formatAmount(a, dec)),
    change: formatAmount(p.change, dec),
    changeToFee: formatAmount(p.changeToFee, dec),
    fee: formatAmount(p.fee, dec),
    feeRate: p.feeRate.toString(),
    vsize: Number(p.vsize),
    txid: s.txid,
    outpoints: s.outpoints,
  };
}

export async function coinsView(d: CoinApiDeps, p: Params<'orders.coins'>): Promise<Result<'orders.coins'>> {
  const ticker = known(d, p.ticker);
  const dec = d.coins.decimals(ticker);
  const rows = await d.prep.rows(ticker);
  const sum = (locked: boolean) => rows.filter((r) => (r.lock !== null) === locked).reduce((a, r) => a + r.amount, 0n);
  return {
    ticker,
    free: formatAmount(sum(false), dec),
    locked: formatAmount(sum(true), dec),
    coins: rows.map((r) => ({
      outpoint: r.outpoint,
      amount: formatAmount(r.amount, dec),
      confirmations: r.confirmations,
      state: r.lock ? 'locked' : 'free',
      lockedBy: r.lock,
    })),
  };
}

export async function splitCoins(d: CoinApiDeps, p: Params<'orders.splitCoins'>): Promise<Result<'orders.splitCoins'>> {
  const ticker = known(d, p.ticker);
  const amount = d.params.amount(p.amount, ticker, 'amount');
  const maxFee = p.maxFee !== undefined ? d.params.amount(p.maxFee, ticker, 'maxFee') : undefined;
  const done = await d.prep.split({
    ticker,
    amount,
    count: p.count,
    dryRun: p.dryRun ?? false,
    ...(maxFee !== undefined ? { maxFee } : {}),
  });
  return splitView(d.coins, ticker, done);
}
