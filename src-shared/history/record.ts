// Trade records: when a swap finishes, maker and taker both sign one record of what was traded
// (pair, amounts, exact price, time, the four HTLC txids). Records are gossiped and stored; any
// node checks both signatures here and may check the txids against chain data.
import { price as makePrice, type Price } from '../money/price.ts';
import {
  secp256k1Verifier,
  signBody,
  verifyBody,
  wireForm,
  type Signer,
  type Verifier,
} from '../protocol/canonical.ts';
import { decodeOrderMessage, unsigned, type TradeRecordMessage, type WireOrderMessage } from '../protocol/orders.ts';
import { fillQuote, marketKey, registryCoins, type CoinLookup } from '../orders/order.ts';
import { DEFAULT_REPLAY_LIMITS, type ReplayLimits } from '../orders/replay.ts';
import type { Refusal, RefusalReason, Validation } from '../orders/validate.ts';

export const TRADE_SIG_TYPE = 'trade.record';

export type TradeRecord = TradeRecordMessage;
export type TradeRecordFields = Omit<TradeRecordMessage, 'type' | 'makerSig' | 'takerSig'>;

/** What candles and stats need of a trade. */
export interface Trade {
  readonly id: string;
  /** When the swap finished, ms since the epoch. */
  readonly time: number;
  readonly price: Price;
  readonly baseAmount: bigint;
  readonly quoteAmount: bigint;
}

function body(fields: TradeRecordFields): Record<string, unknown> {
  return wireForm({ type: 'trade.record', ...fields }) as Record<string, unknown>;
}

/** One party's signature of the record; maker and taker sign the same bytes. */
export function signTradeRecord(fields: TradeRecordFields, signer: Signer): string {
  if (signer.publicKey !== fields.maker && signer.publicKey !== fields.taker)
    throw new Error('only the maker or the taker of a trade signs its record');
  return signBody(TRADE_SIG_TYPE, body(fields), signer);
}

export function assembleTradeRecord(
  fields: TradeRecordFields,
  makerSig: string,
  takerSig: string,
): WireOrderMessage<'trade.record'> {
  return { ...body(fields), makerSig, takerSig } as WireOrderMessage<'trade.record'>;
}

export interface TradeRecordContext {
  readonly now: number;
  readonly coins?: CoinLookup;
  readonly verifier?: Verifier;
  readonly limits?: ReplayLimits;
}

const no = (reason: RefusalReason, message: string): Refusal => ({ ok: false, reason, message });

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * A trade record from the trade topic or a peer's history. Records are facts, not requests, so
 * there is no sequence: the caller stores each tradeId once (a second, different record with the
 * same id is a conflict worth logging, never an overwrite).
 */
export function validateTradeRecord(input: unknown, ctx: TradeRecordContext): Validation<TradeRecord> {
  const d = decodeOrderMessage(input, 'trade.record');
  if (!d.ok) return d;
  const m = d.msg;
  const coins = ctx.coins ?? registryCoins;
  if (!coins(m.market.base) || !coins(m.market.quote) || m.market.base === m.market.quote)
    return no('unknown-market', `no market ${marketKey(m.market)}`);
  if (gcd(m.price.num, m.price.den) !== 1n) return no('price-inconsistent', 'the price is not in lowest terms');
  if (m.quoteAmount !== fillQuote(m.price, m.baseAmount, m.makerSide))
    return no('price-inconsistent', 'the quote amount does not match the price');
  if (m.maker === m.taker) return no('malformed', 'maker and taker are the same key');
  if (new Set(Object.values(m.txids)).size !== 4)
    return no('malformed', 'the four swap transactions must be different');
  if (m.finishedAt > ctx.now + (ctx.limits ?? DEFAULT_REPLAY_LIMITS).maxSkewMs)
    return no('future', 'the trade is dated in the future');
  const signed = unsigned(d.raw, 'makerSig', 'takerSig');
  const verifier = ctx.verifier ?? secp256k1Verifier;
  if (!verifyBody(TRADE_SIG_TYPE, signed, m.makerSig, m.maker, verifier))
    return no('forged-maker-sig', 'the maker did not sign this record');
  if (!verifyBody(TRADE_SIG_TYPE, signed, m.takerSig, m.taker, verifier))
    return no('forged-taker-sig', 'the taker did not sign this record');
  return { ok: true, value: m, replay: [] };
}

export function tradeOf(r: TradeRecord): Trade {
  return {
    id: r.tradeId,
    time: r.finishedAt,
    price: makePrice(r.price.num, r.price.den),
    baseAmount: r.baseAmount,
    quoteAmount: r.quoteAmount,
  };
}
