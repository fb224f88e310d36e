// Words and form checks of the Coins view (docs/orders.md §10): what locks a coin, and the
// split form read into exact API params.
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { decimalUnits, normalizeDecimalInput } from '../format/decimal.ts';

export type CoinViewRow = Result<'orders.coins'>['coins'][number];

const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}\u2026` : id);

/** What holds a coin back, in words. */
export function lockText(lock: CoinViewRow['lockedBy']): string {
  if (!lock) return 'Free';
  if (lock.kind === 'order') return `Backs order ${short(lock.orderId)}`;
  if (lock.kind === 'swap') return `Funding swap ${short(lock.swapId)}`;
  return 'Locked outside Hashlock';
}

export interface SplitForm {
  amount: string;
  count: string;
}

/** The split form as orders.splitCoins params (a dry run), or what is wrong with it. */
export function splitParams(
  ticker: string,
  form: SplitForm,
  decimalSeparator: '.' | ',',
): { ok: true; params: Params<'orders.splitCoins'> } | { ok: false; message: string } {
  const amount = normalizeDecimalInput(form.amount, decimalSeparator);
  if (!amount.ok) return amount;
  try {
    if (decimalUnits(amount.value) <= 0n) return { ok: false, message: 'The amount must be more than 0.' };
  } catch {
    return { ok: false, message: 'The amount is not a number.' };
  }
  const count = Number(form.count);
  if (!/^[0-9]+$/.test(form.count.trim()) || count < 1 || count > 50)
    return { ok: false, message: 'Make 1 to 50 coins at a time.' };
  return { ok: true, params: { ticker, amount: amount.value, count, dryRun: true } };
}
