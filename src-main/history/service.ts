// Trade history on a node: signed trade records from the trade topic (and the ones this node
// signs itself) are validated, stored once, checked against chain data where this node has the
// chains, and turned into fills, OHLCV candles and 24 h stats for the API. When a taker's swap
// completes, the taker signs the record, asks the maker to countersign over
// /hashlock/trades/sign/1, and publishes it (docs/protocol.md §4 trade.record, §10).
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Result } from '../../src-shared/api/contract.ts';

type TradeView = Result<'getOrderFills'>[number];
type CandleView = Result<'getOrderHistory'>['candles'][number];
type MarketStats = Result<'getOrderHistory'>['stats'];
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { aggregateCandles, candleToApi, INTERVAL_MS, type CandleInterval } from '../../src-shared/history/candles.ts';
import {
  assembleTradeRecord,
  signTradeRecord,
  tradeOf,
  validateTradeRecord,
  type TradeRecord,
  type TradeRecordFields,
} from '../../src-shared/history/record.ts';
import { stats24h, statsToApi } from '../../src-shared/history/stats.ts';
import { formatAmount, formatPrice, price as makePrice, type Price } from '../../src-shared/money/index.ts';
import { wireForm, type Signer } from '../../src-shared/protocol/canonical.ts';
import { TRADE_TOPIC, decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import type { Validation } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { TradeVerification, TradeRow, TradeRepo } from './repo.ts';
import { gossipType, publishMessage, type PeerScorer } from '../orders/net.ts';
import { verifyTradeOnChain, type ChainLookup } from './verify.ts';
import { sleep } from '../kernel/time.ts';

/** Taker → maker: the record the taker signed, for the maker's countersignature. */
export const TRADE_SIGN_PROTOCOL = '/hashlock/trades/sign/1';

const SignRequest = z
  .object({ type: z.literal('trade.sign.request'), record: z.record(z.string(), z.unknown()) })
  .strict();
const SignResponse = z.object({ makerSig: z.string().regex(/^[0-9a-f]{128}$/) }).strict();

/** What the maker's node must find true of a record before it countersigns (from its own fill and swap). */
export type MakerCheck = (record: TradeRecord, takerPeerId: string) => string | null;

export interface TradeHistoryDeps {
  p2p: Pick<P2pHost, 'peerId' | 'subscribe' | 'publish' | 'handleRequest' | 'request'>;
  log: Logger;
  now: () => number;
  repo: TradeRepo;
  coins: readonly CoinParams[];
  scorer: PeerScorer;
  chains: ChainLookup;
  /** This node's order key signer, or null while the vault is locked. */
  signer: () => Signer | null;
  makerCheck: MakerCheck;
}

export interface TradeHistory {
  start(): Promise<void>;
  stop(): void;
  ingest(wire: unknown, from: string | null): Promise<Validation<TradeRecord>>;
  /** As the taker of a completed swap: sign, get the maker's signature, store and publish. Retries while the maker is not ready. */
  recordAsTaker(fields: TradeRecordFields, makerPeerId: string): Promise<TradeRecord>;
  fills(opts: { base?: string; quote?: string; mine?: boolean; limit?: number }): TradeView[];
  /** One stored trade as the API shows it (the `trade.new` event), or null. */
  trade(tradeId: string): TradeView | null;
  history(
    base: string,
    quote: string,
    interval: CandleInterval,
    from?: number,
    to?: number,
  ): { candles: CandleView[]; stats: MarketStats };
  lastPrice(base: string, quote: string): Price | null;
  onTrade(cb: (record: TradeRecord) => void): () => void;
}

export function createTradeHistory(d: TradeHistoryDeps): TradeHistory {
  const listeners = new Set<(r: TradeRecord) => void>();
  const unsubs: Array<() => void> = [];
  const decimals = (t: string): number => d.coins.find((c) => c.ticker === t)?.decimals ?? 8;
  const coinKnown = (t: string) => d.coins.some((c) => c.ticker === t);

  const isMine = (r: TradeRecord): boolean => {
    const me = d.signer()?.publicKey;
    return me !== undefined && (r.maker === me || r.taker === me);
  };

  async function check(r: TradeRecord): Promise<void> {
    let result: TradeVerification = 'failed';
    // Claims may still be on their way into blocks: look a few times before calling it failed.
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        result = await verifyTradeOnChain(r, d.chains);
      } catch (err) {
        d.log.warn('could not check a trade against the chain', { tradeId: r.tradeId, error: (err as Error).message });
        result = 'pending';
      }
      if (result === 'yes' || result === 'no-chain') break;
      await sleep(1000 * (attempt + 1));
    }
    d.repo.setVerified(r.tradeId, result);
    if (result === 'failed') d.log.warn('a trade record does not match the chain', { tradeId: r.tradeId });
  }

  function store(r: TradeRecord): boolean {
    const added = d.repo.add({
      tradeId: r.tradeId,
      base: r.market.base,
      quote: r.market.quote,
      finishedAt: r.finishedAt,
      record: wireForm(r),
      verified: 'pending',
      mine: isMine(r),
    });
    if (!added) {
      const held = d.repo.get<Record<string, unknown>>(r.tradeId);
      if (held && JSON.stringify(held.record) !== JSON.stringify(wireForm(r)))
        d.log.warn('two different trade records with one id; keeping the first', { tradeId: r.tradeId });
      return false;
    }
    void check(r);
    for (const cb of [...listeners]) {
      try {
        cb(r);
      } catch (err) {
        d.log.warn('trade listener failed', { error: (err as Error).stack ?? String(err) });
      }
    }
    return true;
  }

  async function ingest(wire: unknown, _from: string | null): Promise<Validation<TradeRecord>> {
    const v = validateTradeRecord(wire, { now: d.now() });
    if (!v.ok) return v;
    if (!coinKnown(v.value.market.base) || !coinKnown(v.value.market.quote))
      return { ok: false, reason: 'unknown-market', message: 'a market of another network' };
    store(v.value);
    return v;
  }

  async function onSignRequest(req: unknown, peerId: string): Promise<unknown> {
    const r = SignRequest.safeParse(req);
    if (!r.success) throw new ApiError('INVALID_PARAMS', 'not a trade sign request');
    const signer = d.signer();
    if (!signer) throw new ApiError('VAULT_LOCKED', "the maker's node is locked");
    const withoutSigs = { ...r.data.record };
    const takerSig = withoutSigs.takerSig;
    delete withoutSigs.takerSig;
    delete withoutSigs.makerSig;
    const decoded = decodeOrderMessage({ ...withoutSigs, makerSig: '00'.repeat(64), takerSig }, 'trade.record');
    if (!decoded.ok) throw new ApiError('INVALID_PARAMS', decoded.message);
    const { type: _t, makerSig: _m, takerSig: _s, ...fields } = decoded.msg;
    if (fields.maker !== signer.publicKey) throw new ApiError('NOT_FOUND', 'this node is not the maker of that trade');
    const problem = d.makerCheck(decoded.msg, peerId);
    if (problem) throw new ApiError('CONFLICT', problem);
    const makerSig = signTradeRecord(fields, signer);
    const full = assembleTradeRecord(fields, makerSig, decoded.msg.takerSig);
    const v = validateTradeRecord(full, { now: d.now() });
    if (!v.ok) throw new ApiError('INVALID_PARAMS', `the record does not check: ${v.message}`);
    store(v.value);
    return { makerSig };
  }

  async function recordAsTaker(fields: TradeRecordFields, makerPeerId: string): Promise<TradeRecord> {
    const signer = d.signer();
    if (!signer) throw new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it to sign the trade record.');
    const takerSig = signTradeRecord(fields, signer);
    const unsignedByMaker = { ...(wireForm({ type: 'trade.record', ...fields }) as Record<string, unknown>), takerSig };
    let lastError = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        const answer = SignResponse.parse(
          await d.p2p.request(
            makerPeerId,
            TRADE_SIGN_PROTOCOL,
            { type: 'trade.sign.request', record: unsignedByMaker },
            { timeoutMs: 10_000 },
          ),
        );
        const v = validateTradeRecord(assembleTradeRecord(fields, answer.makerSig, takerSig), { now: d.now() });
        if (!v.ok) throw new Error(`the maker's signature does not check: ${v.message}`);
        store(v.value);
        await publishMessage(
          d.p2p,
          TRADE_TOPIC,
          assembleTradeRecord(fields, answer.makerSig, takerSig) as { type: 'trade.record' },
          d.log,
        );
        return v.value;
      } catch (err) {
        lastError = (err as Error).message;
        if (attempt % 5 === 0)
          d.log.info('the maker has not signed the trade record yet', {
            tradeId: fields.tradeId,
            attempt,
            error: lastError,
          });
        // The maker's swap finishes when its claim confirms; ours may finish first.
        await sleep(Math.min(500 * (attempt + 1), 5000));
      }
    }
    throw new ApiError('PEER_REFUSED', `The maker did not sign the trade record: ${lastError}`);
  }

  function view(row: TradeRow<Record<string, unknown>>): TradeView | null {
    const m = decodeOrderMessage(row.record, 'trade.record');
    if (!m.ok) return null;
    const r = m.msg;
    const bd = decimals(r.market.base);
    const qd = decimals(r.market.quote);
    const makerTicker = r.makerSide === 'sell' ? r.market.base : r.market.quote;
    const takerTicker = r.makerSide === 'sell' ? r.market.quote : r.market.base;
    return {
      id: r.tradeId,
      base: r.market.base,
      quote: r.market.quote,
      side: r.makerSide === 'sell' ? 'buy' : 'sell',
      price: formatPrice(makePrice(r.price.num, r.price.den), bd, qd),
      baseAmount: formatAmount(r.baseAmount, bd),
      quoteAmount: formatAmount(r.quoteAmount, qd),
      time: r.finishedAt,
      orderId: r.orderId,
      ...(row.mine ? { swapId: r.tradeId } : {}),
      mine: row.mine,
      txids: [
        { ticker: makerTicker, txid: r.txids.makerLock, what: 'maker lock' },
        { ticker: takerTicker, txid: r.txids.takerLock, what: 'taker lock' },
        { ticker: takerTicker, txid: r.txids.makerClaim, what: 'maker claim' },
        { ticker: makerTicker, txid: r.txids.takerClaim, what: 'taker claim' },
      ],
      verified: row.verified,
    };
  }

  function tradesOf(base: string, quote: string, from: number, to: number) {
    return d.repo.range<Record<string, unknown>>(base, quote, from, to).flatMap((row) => {
      const m = decodeOrderMessage(row.record, 'trade.record');
      return m.ok ? [tradeOf(m.msg)] : [];
    });
  }

  return {
    async start() {
      unsubs.push(
        d.p2p.subscribe(TRADE_TOPIC, (msg) => {
          const t = gossipType(msg.data, ['trade.record']);
          if (!t.ok) {
            d.scorer.refused(msg.from, t.reason, 'trade gossip');
            return;
          }
          void ingest(msg.data, msg.from).then((v) => {
            if (!v.ok) d.scorer.refused(msg.from, v.reason, `trade.record: ${v.message}`);
          });
        }),
      );
      await d.p2p.handleRequest(TRADE_SIGN_PROTOCOL, (req, ctx) => onSignRequest(req, ctx.peerId));
    },
    stop() {
      for (const u of unsubs.splice(0)) u();
    },
    ingest,
    recordAsTaker,
    fills(opts) {
      return d.repo.list<Record<string, unknown>>(opts).flatMap((row) => view(row) ?? []);
    },
    trade(tradeId) {
      const row = d.repo.get<Record<string, unknown>>(tradeId);
      return row ? view(row) : null;
    },
    history(base, quote, interval, from, to) {
      const now = d.now();
      const end = to ?? now + 1;
      const start = from ?? end - INTERVAL_MS[interval] * 500;
      const bd = decimals(base);
      const qd = decimals(quote);
      const candles = aggregateCandles(tradesOf(base, quote, start, end), interval).map((c) => {
        const a = candleToApi(c, bd, qd);
        return {
          time: a.openTime,
          open: a.open,
          high: a.high,
          low: a.low,
          close: a.close,
          volumeBase: a.volumeBase,
          volumeQuote: a.volumeQuote,
          trades: a.trades,
        };
      });
      const s = statsToApi(stats24h(tradesOf(base, quote, now - 30 * 86_400_000, now + 1), now), bd, qd);
      return {
        candles,
        stats: {
          last: s.last,
          change24h: s.changePercent,
          high24h: s.high,
          low24h: s.low,
          volumeBase24h: s.volumeBase,
          volumeQuote24h: s.volumeQuote,
        },
      };
    },
    lastPrice(base, quote) {
      const row = d.repo.list<Record<string, unknown>>({ base, quote, limit: 1 })[0];
      if (!row) return null;
      const m = decodeOrderMessage(row.record, 'trade.record');
      return m.ok ? makePrice(m.msg.price.num, m.msg.price.den) : null;
    },
    onTrade(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
