// The order entry form as data: what the user typed (decimal strings, never numbers), checked
// as they type against the coins' decimals and their spendable balance, and turned into the
// exact params of makeOrder / takeOrder. All arithmetic is bigint (src-shared/money).
import type { Params, Result } from '../../src-shared/api/contract.ts';
import { isCoded } from '../../src-shared/errors.ts';
import { formatAmount, parseAmount, parsePrice, quoteFor, type Price } from '../../src-shared/money/index.ts';
import { normalizeDecimalInput } from '../format/decimal.ts';

export type OrderSide = 'buy' | 'sell';
export type OrderKind = 'limit' | 'market' | 'stop';
export type OrderField = 'amount' | 'price' | 'priceCap' | 'triggerPrice' | 'minAmount';

export interface OrderFormValues {
  side: OrderSide;
  kind: OrderKind;
  amount: string;
  price: string;
  priceCap: string;
  triggerPrice: string;
  /** How a stop order fires: as a market order (within priceCap) or as a limit order (at price). */
  stopThen: 'market' | 'limit';
  /** Allow partial fills down to minAmount; the rest stays on the book. */
  partial: boolean;
  minAmount: string;
  /** Limit orders: split a coin of exactly the order's size off the wallet first if none is free (§10). */
  prepareCoins: boolean;
}

export const EMPTY_ORDER_FORM: OrderFormValues = {
  side: 'buy',
  kind: 'limit',
  amount: '',
  price: '',
  priceCap: '',
  triggerPrice: '',
  stopThen: 'market',
  partial: false,
  minAmount: '',
  prepareCoins: false,
};

export interface OrderFormContext {
  base: string;
  quote: string;
  baseDecimals: number;
  quoteDecimals: number;
  decimalSeparator: '.' | ',';
  /** Spendable balances as the node reported them; undefined when not known (no wallet, loading). */
  spendable: { base?: string | undefined; quote?: string | undefined };
}

export interface Leg {
  ticker: string;
  amount: string;
}

export interface OrderCheck {
  /** One message per field that is wrong or missing. */
  errors: Partial<Record<OrderField, string>>;
  /** The exact makeOrder params when everything is valid. */
  params: Params<'orders.make'> | null;
  /** Most the order spends (a buy at its price or cap, rounded up; a sell's amount). */
  spend: Leg | null;
  /** Least the order receives, when a price bounds it. */
  receive: Leg | null;
}

type Parsed<T> = { ok: true; value: T; text: string } | { ok: false; message: string };

function readAmount(raw: string, decimals: number, sep: '.' | ',', what: string): Parsed<bigint> {
  if (raw.trim() === '') return { ok: false, message: `Enter ${what}.` };
  const n = normalizeDecimalInput(raw, sep);
  if (!n.ok) return { ok: false, message: n.message };
  try {
    const units = parseAmount(n.value, decimals);
    if (units === 0n) return { ok: false, message: `${capital(what)} must be more than zero.` };
    return { ok: true, value: units, text: formatAmount(units, decimals) };
  } catch (err) {
    return { ok: false, message: amountMessage(err, decimals) };
  }
}

function readPrice(raw: string, ctx: OrderFormContext, what: string): Parsed<Price> {
  if (raw.trim() === '') return { ok: false, message: `Enter ${what}.` };
  const n = normalizeDecimalInput(raw, ctx.decimalSeparator);
  if (!n.ok) return { ok: false, message: n.message };
  try {
    const p = parsePrice(n.value, ctx.baseDecimals, ctx.quoteDecimals);
    return { ok: true, value: p, text: formatAmount(parseAmount(n.value, ctx.quoteDecimals), ctx.quoteDecimals) };
  } catch (err) {
    return {
      ok: false,
      message: isCoded(err, 'PRICE_NOT_POSITIVE', 'AMOUNT_NOT_POSITIVE')
        ? `${capital(what)} must be more than zero.`
        : amountMessage(err, ctx.quoteDecimals),
    };
  }
}

function amountMessage(err: unknown, decimals: number): string {
  const text = err instanceof Error ? err.message : '';
  if (/decimal places/.test(text)) return `At most ${decimals} digits after the point.`;
  if (/too large/.test(text)) return 'That number is too large.';
  return 'Not a number: use digits and one decimal point, e.g. 1.25';
}

function capital(s: string): string {
  const t = s.replace(/^(an?|the) /, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function spendableUnits(text: string | undefined, decimals: number): bigint | null {
  if (text === undefined) return null;
  try {
    return parseAmount(text, decimals);
  } catch {
    return null;
  }
}

/** The price that bounds what the order pays or gets: limit price, market cap, or the stop's. */
export function boundingPriceField(v: Pick<OrderFormValues, 'kind' | 'stopThen'>): 'price' | 'priceCap' {
  if (v.kind === 'limit') return 'price';
  if (v.kind === 'market') return 'priceCap';
  return v.stopThen === 'limit' ? 'price' : 'priceCap';
}

/** Whether partial fills can be chosen: for orders that may rest on the book. */
export function partialApplies(v: Pick<OrderFormValues, 'kind' | 'stopThen'>): boolean {
  return v.kind === 'limit' || (v.kind === 'stop' && v.stopThen === 'limit');
}

export function checkOrder(v: OrderFormValues, ctx: OrderFormContext): OrderCheck {
  const errors: Partial<Record<OrderField, string>> = {};
  const amount = readAmount(v.amount, ctx.baseDecimals, ctx.decimalSeparator, 'an amount');
  if (!amount.ok) errors.amount = amount.message;

  const priceField = boundingPriceField(v);
  const price = readPrice(v[priceField], ctx, priceField === 'price' ? 'a price' : 'a price cap');
  if (!price.ok) errors[priceField] = price.message;

  let trigger: Parsed<Price> | null = null;
  if (v.kind === 'stop') {
    trigger = readPrice(v.triggerPrice, ctx, 'a trigger price');
    if (!trigger.ok) errors.triggerPrice = trigger.message;
  }

  let min: Parsed<bigint> | null = null;
  if (partialApplies(v) && v.partial) {
    min = readAmount(v.minAmount, ctx.baseDecimals, ctx.decimalSeparator, 'a minimum fill');
    if (!min.ok) errors.minAmount = min.message;
    else if (amount.ok && min.value > amount.value)
      errors.minAmount = 'The minimum fill cannot be more than the amount.';
  }

  let spend: Leg | null = null;
  let receive: Leg | null = null;
  if (amount.ok && v.side === 'sell') {
    // A sell spends its amount whatever the price, so the balance is checked as soon as it is typed.
    spend = { ticker: ctx.base, amount: amount.text };
    if (price.ok)
      receive = {
        ticker: ctx.quote,
        amount: formatAmount(quoteFor(price.value, amount.value, 'down'), ctx.quoteDecimals),
      };
    const have = spendableUnits(ctx.spendable.base, ctx.baseDecimals);
    if (have !== null && amount.value > have)
      errors.amount = `You can spend ${formatAmount(have, ctx.baseDecimals)} ${ctx.base}.`;
  } else if (amount.ok) {
    receive = { ticker: ctx.base, amount: amount.text };
    if (price.ok) {
      const quoteUp = quoteFor(price.value, amount.value, 'up');
      spend = { ticker: ctx.quote, amount: formatAmount(quoteUp, ctx.quoteDecimals) };
      const have = spendableUnits(ctx.spendable.quote, ctx.quoteDecimals);
      if (have !== null && quoteUp > have) {
        errors.amount = `This costs up to ${spend.amount} ${ctx.quote}; you can spend ${formatAmount(have, ctx.quoteDecimals)} ${ctx.quote}.`;
      }
    }
  }

  const valid = Object.keys(errors).length === 0 && amount.ok && price.ok;
  let params: Params<'orders.make'> | null = null;
  if (valid) {
    params = { base: ctx.base, quote: ctx.quote, side: v.side, kind: v.kind, amount: amount.text };
    if (priceField === 'price') params.price = price.text;
    else params.priceCap = price.text;
    if (trigger?.ok) params.triggerPrice = trigger.text;
    if (min?.ok) params.minAmount = min.text;
    if (v.kind === 'limit' && v.prepareCoins) params.prepareCoins = true;
  }
  return { errors, params, spend, receive };
}

/**
 * The largest amount of base the form can ask for with the spendable balance: all of it for a
 * sell; for a buy, what the quote balance pays at the bounding price (rounded down). Null when
 * the balance or (for a buy) the price is not known yet.
 */
export function maxAmount(v: OrderFormValues, ctx: OrderFormContext): string | null {
  if (v.side === 'sell') {
    const have = spendableUnits(ctx.spendable.base, ctx.baseDecimals);
    return have === null ? null : formatAmount(have, ctx.baseDecimals);
  }
  const have = spendableUnits(ctx.spendable.quote, ctx.quoteDecimals);
  const price = readPrice(v[boundingPriceField(v)], ctx, 'a price');
  if (have === null || !price.ok) return null;
  return formatAmount((have * price.value.den) / price.value.num, ctx.baseDecimals);
}

export type OrderView = Result<'orders.get'>;

export interface TakeCheck {
  error: string | null;
  params: Params<'orders.take'> | null;
  spend: Leg | null;
  receive: Leg | null;
}

/**
 * Taking one order from the book. The taker is on the other side of the maker: taking a sell
 * order buys base. Without partial fills the whole remainder is taken (no amount is sent).
 */
export function checkTake(order: OrderView, amountText: string, ctx: OrderFormContext): TakeCheck {
  let units: bigint;
  const remaining = parseAmount(order.remainingBase, ctx.baseDecimals);
  if (!order.partial.allowed || amountText.trim() === '') {
    units = remaining;
  } else {
    const a = readAmount(amountText, ctx.baseDecimals, ctx.decimalSeparator, 'an amount');
    if (!a.ok) return { error: a.message, params: null, spend: null, receive: null };
    units = a.value;
    const minBase = parseAmount(order.partial.minBase, ctx.baseDecimals);
    if (units > remaining)
      return {
        error: `This order has ${order.remainingBase} ${ctx.base} left.`,
        params: null,
        spend: null,
        receive: null,
      };
    if (units < minBase && units !== remaining)
      return {
        error: `The maker accepts fills of at least ${order.partial.minBase} ${ctx.base}.`,
        params: null,
        spend: null,
        receive: null,
      };
  }
  const p = parsePrice(order.price, ctx.baseDecimals, ctx.quoteDecimals);
  const amount = formatAmount(units, ctx.baseDecimals);
  const takerBuys = order.side === 'sell';
  const quoteUp = quoteFor(p, units, 'up');
  const quoteDown = quoteFor(p, units, 'down');
  const spend = takerBuys
    ? { ticker: ctx.quote, amount: formatAmount(quoteUp, ctx.quoteDecimals) }
    : { ticker: ctx.base, amount };
  const receive = takerBuys
    ? { ticker: ctx.base, amount }
    : { ticker: ctx.quote, amount: formatAmount(quoteDown, ctx.quoteDecimals) };
  const have = takerBuys
    ? spendableUnits(ctx.spendable.quote, ctx.quoteDecimals)
    : spendableUnits(ctx.spendable.base, ctx.baseDecimals);
  const need = takerBuys ? quoteUp : units;
  if (have !== null && need > have) {
    return {
      error: `This needs ${spend.amount} ${spend.ticker}; you can spend ${formatAmount(have, takerBuys ? ctx.quoteDecimals : ctx.baseDecimals)} ${spend.ticker}.`,
      params: null,
      spend,
      receive,
    };
  }
  const params: Params<'orders.take'> = { orderId: order.id };
  if (order.partial.allowed && units !== remaining) params.amount = amount;
  return { error: null, params, spend, receive };
}
