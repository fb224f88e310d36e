// Trade history on a node: signed trade records from the trade topic (and the ones this node
// signs itself, signing.ts) are validated, stored once and checked against chain data where this
// node has the chains (trade-store.ts, which tells the internal bus 'trade.recorded'), and shown
// as fills, OHLCV candles and 24 h stats (views.ts) (docs/protocol.md §4 trade.record, §10).
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { CandleInterval } from '../../src-shared/history/candles.ts';
import { validateTradeRecord, type TradeRecord, type TradeRecordFields } from '../../src-shared/history/record.ts';
import type { Price } from '../../src-shared/money/index.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import { TRADE_TOPIC } from '../../src-shared/protocol/orders.ts';
import type { Refusal, Validation } from '../../src-shared/orders/validate.ts';
import type { InternalBus } from '../kernel/bus.ts';
import type { Logger } from '../kernel/log.ts';
import type { GossipMessage, GossipVerdict, P2pHost } from '../p2p/index.ts';
import { gossipType, gossipVerdict, type PeerScorer } from '../orders/index.ts';
import type { TradeRepo } from './repo.ts';
import { createTradeSigning, TRADE_SIGN_PROTOCOL, type MakerCheck } from './signing.ts';
import { createTradeStore, type HoldBinding } from './trade-store.ts';
import type { ChainLookup } from './verify.ts';
import { lastPrice, marketHistory, tradeView, type CandleView, type MarketStats, type TradeView } from './views.ts';

export { TRADE_SIGN_PROTOCOL, type HoldBinding, type MakerCheck };

export interface TradeHistoryDeps {
  p2p: Pick<P2pHost, 'peerId' | 'subscribe' | 'publish' | 'handleRequest' | 'request'>;
  log: Logger;
  now: () => number;
  repo: TradeRepo;
  coins: CoinTable;
  /** Told 'trade.recorded' for every record stored. */
  bus: Pick<InternalBus, 'emit'>;
  scorer: PeerScorer;
  chains: ChainLookup;
  /** This node's order key signer, or null while the vault is locked. */
  signer: () => Signer | null;
  makerCheck: MakerCheck;
}

export interface TradeHistory {
  start(): Promise<void>;
  stop(): void;
  /** A hold this node saw (book gossip): the record of its trade must name its maker and taker. */
  noteHold(holdId: string, binding: HoldBinding): void;
  /** As the taker of a completed swap: sign, get the maker's signature, store and publish. Retries while the maker is not ready. */
  recordAsTaker(fields: TradeRecordFields, makerPeerId: string): Promise<TradeRecord>;
  fills(opts: { base?: string; quote?: string; mine?: boolean; limit?: number }): TradeView[];
  /** One stored trade as the API shows it (the `history.trade` event), or null. */
  trade(tradeId: string): TradeView | null;
  history(
    base: string,
    quote: string,
    interval: CandleInterval,
    from?: number,
    to?: number,
  ): { candles: CandleView[]; stats: MarketStats };
  lastPrice(base: string, quote: string): Price | null;
  /** Every record stored, exact (stop orders judge its price); other domains hear 'trade.recorded'. */
  onTrade(cb: (record: TradeRecord) => void): () => void;
}

/** Holds remembered for binding records. */
const MAX_HOLDS = 20_000;

/** A record that contradicts the hold it names: signed by keys the hold did not name, or for other terms. */
export function bindingProblem(r: TradeRecord, b: HoldBinding): Refusal | null {
  if (r.maker !== b.maker)
    return { ok: false, reason: 'forged-maker-sig', message: "the record's maker is not the held order's" };
  if (r.taker !== b.taker)
    return { ok: false, reason: 'forged-taker-sig', message: "the record's taker is not the hold's" };
  if (
    r.orderId !== b.orderId ||
    r.serviceNode !== b.serviceNode ||
    r.baseAmount !== b.baseAmount ||
    r.quoteAmount !== b.quoteAmount
  )
    return { ok: false, reason: 'malformed', message: 'the record does not match its hold' };
  return null;
}

export function createTradeHistory(d: TradeHistoryDeps): TradeHistory {
  const unsubs: Array<() => void> = [];
  const trades = createTradeStore(d);
  const signing = createTradeSigning({ ...d, store: trades });

  // The holds this node saw, by hold id (= trade id): who a trade's record must name. Bounded;
  // the oldest go first (a record arrives minutes after its hold).
  const holds = new Map<string, HoldBinding>();
  function noteHold(holdId: string, b: HoldBinding): void {
    holds.set(holdId, b);
    if (holds.size > MAX_HOLDS) holds.delete(holds.keys().next().value!);
  }

  function ingest(wire: unknown): Validation<TradeRecord> {
    const v = validateTradeRecord(wire, { now: d.now() });
    if (!v.ok) return v;
    const r = v.value;
    if (!d.coins.has(r.market.base) || !d.coins.has(r.market.quote))
      return { ok: false, reason: 'unknown-market', message: 'a market of another network' };
    const b = holds.get(r.tradeId);
    const problem = b ? bindingProblem(r, b) : null;
    if (problem) return problem;
    trades.store(r, b !== undefined);
    return v;
  }

  /**
   * A trade record from gossip, inside gossipsub's validation: checked (signatures, market, the hold
   * it names) before gossipsub forwards it, so a forged record goes no further than here; one that
   * passes is handed to the store (which checks it on chain first, asynchronously).
   */
  function checkGossip({ from, data }: GossipMessage): GossipVerdict {
    const t = gossipType(data, ['trade.record']);
    if (!t.ok) {
      d.scorer.refused(from, t.reason, 'trade gossip');
      return 'reject';
    }
    const v = ingest(data);
    if (v.ok) return 'accept';
    d.scorer.refused(from, v.reason, `trade.record: ${v.message}`);
    return gossipVerdict(v.reason);
  }

  return {
    async start() {
      // Everything is done in the check: the delivery has nothing left to do.
      unsubs.push(d.p2p.subscribe(TRADE_TOPIC, () => undefined, { check: checkGossip }));
      await d.p2p.handleRequest(TRADE_SIGN_PROTOCOL, (req, ctx) => signing.onSignRequest(req, ctx.peerId), {
        overRelay: true,
      });
    },
    stop() {
      for (const u of unsubs.splice(0)) u();
    },
    noteHold,
    recordAsTaker: signing.recordAsTaker,
    fills: (opts) => d.repo.list<Record<string, unknown>>(opts).flatMap((row) => tradeView(row, d.coins) ?? []),
    trade(tradeId) {
      const row = d.repo.get<Record<string, unknown>>(tradeId);
      return row ? tradeView(row, d.coins) : null;
    },
    history: (base, quote, interval, from, to) =>
      marketHistory(d.repo, d.coins, { base, quote, interval, from, to, now: d.now() }),
    lastPrice: (base, quote) => lastPrice(d.repo, base, quote),
    onTrade: trades.onTrade,
  };
}
