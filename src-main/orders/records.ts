// This node's own orders as records: a maker's limit order with the part still listed, a taker's
// fills (one per accept → hold → swap), a stop order waiting for its trigger. States are the
// shared ORDER_STATES and move only through the pure transitionOrder; an order's state follows
// its listing and its fills. Records live in memory and are written through to the store.
import type { Price } from '../../src-shared/money/index.ts';
import { isTerminal, transitionOrder, type OrderEvent } from '../../src-shared/orders/state.ts';
import type { OrderState, Side } from '../../src-shared/orders/types.ts';
import type { Logger } from '../kernel/log.ts';
import type { OrderRepo } from './repo.ts';

export interface FillRecord {
  /** The network order the fill takes from. */
  readonly orderId: string;
  readonly acceptId: string;
  /** The service node's hold id, which is also the swap id and the trade id. */
  holdId: string | null;
  /** Peer id of the other party (taker for a maker's fill, maker for a taker's). */
  readonly counterparty: string;
  readonly baseAmount: bigint;
  readonly quoteAmount: bigint;
  readonly feeTxid: string;
  state: OrderState;
  reason?: string;
  /** The taken order's terms, for the trade record. */
  readonly makerPubkey: string;
  readonly serviceNode: string;
  readonly price: Price;
  readonly makerSide: Side;
  readonly at: number;
  /** A maker reposts a fill that failed before any coins were locked, once. */
  reposted?: boolean;
  /** The trade record was made (taker). */
  recorded?: boolean;
  /** Taker, while accepting: what a restart needs to ask the service node again (docs/orders.md §9). */
  take?: StoredTake;
}

/**
 * A taker's take as it was (or is about to be) sent: the signed accept and fee transaction, stored
 * before the accept leaves; the maker's ack, stored before the take goes to the service node.
 */
export interface StoredTake {
  readonly accept: Record<string, unknown>;
  ack?: unknown;
  readonly feeTicker: string;
  readonly feeTx: string;
  readonly feeInputs: ReadonlyArray<{ readonly txid: string; readonly vout: number }>;
}

export interface AckRecord {
  readonly acceptId: string;
  readonly takerPeerId: string;
  readonly baseAmount: bigint;
  readonly quoteAmount: bigint;
  readonly feeTxid: string;
  readonly at: number;
}

export interface StopTerms {
  readonly trigger: Price;
  readonly direction: 'above' | 'below';
  readonly then: 'market' | 'limit';
  readonly limitPrice: Price | null;
  readonly priceCap: Price | null;
  childId: string | null;
  firedAt: number | null;
}

export interface OrderRecord {
  readonly id: string;
  readonly kind: 'limit' | 'market' | 'stop';
  readonly role: 'maker' | 'taker';
  state: OrderState;
  readonly base: string;
  readonly quote: string;
  /** The user's side: 'buy' buys base. For a maker's limit order it is also the order's side. */
  readonly side: Side;
  readonly baseAmount: bigint;
  quoteAmount: bigint;
  /** Limit price, or for a market order its cap (null: no cap). */
  readonly price: Price | null;
  readonly partial: { allowed: boolean; minBase: bigint };
  /** Maker: base still listed. Taker: base not (yet) filled. */
  remainingBase: bigint;
  /** Maker: the signed order as on the wire, to announce it again after a restart. */
  order: Record<string, unknown> | null;
  serviceNode: string | null;
  expiresAt: number | null;
  fills: FillRecord[];
  acks: AckRecord[];
  stop: StopTerms | null;
  /** The stop order that fired this one. */
  parentStop: string | null;
  /** The order this one reposts (a failed fill's amount, or a remainder moved to another service node). */
  repostOf: string | null;
  reason?: string;
  readonly createdAt: number;
  updatedAt: number;
}

/** Listing states of a maker's order while (part of) it can be taken. */
export const LISTING_ALIVE: readonly OrderState[] = ['new', 'open', 'accepting', 'offline'];

const FILL_CHAIN: readonly OrderState[] = ['accepting', 'hold', 'initialized', 'created', 'committed', 'finished'];
const STEP_EVENT: Partial<Record<OrderState, OrderEvent>> = {
  initialized: { type: 'swap-initialized' },
  created: { type: 'maker-locked' },
  committed: { type: 'taker-locked' },
  finished: { type: 'swap-completed' },
};

/**
 * A fill moved toward `target` one lifecycle event at a time (the swap may skip a step we never
 * saw); stays where it is when the machine refuses, and says why.
 */
export function advanceFill(from: OrderState, target: OrderState): { state: OrderState; refused?: string } {
  let state = from;
  if (state === target || isTerminal(state)) return { state };
  if (target === 'canceled') {
    const t = transitionOrder(state, { type: 'swap-aborted' });
    return t.ok ? { state: t.state } : { state, refused: t.reason };
  }
  if (target === 'rolledback' || target === 'rollbackFailed') {
    while (FILL_CHAIN.indexOf(state) < FILL_CHAIN.indexOf('created')) {
      const next = FILL_CHAIN[FILL_CHAIN.indexOf(state) + 1]!;
      const t = transitionOrder(state, STEP_EVENT[next] ?? { type: 'held', remainingBase: 0n });
      if (!t.ok) return { state, refused: t.reason };
      state = t.state;
    }
    const t = transitionOrder(state, { type: target === 'rolledback' ? 'swap-refunded' : 'swap-lost' });
    return t.ok ? { state: t.state } : { state, refused: t.reason };
  }
  const goal = FILL_CHAIN.indexOf(target);
  if (goal < 0) return { state, refused: `a fill does not become ${target}` };
  while (FILL_CHAIN.indexOf(state) < goal) {
    const next = FILL_CHAIN[FILL_CHAIN.indexOf(state) + 1]!;
    const event: OrderEvent = next === 'hold' ? { type: 'held', remainingBase: 0n } : STEP_EVENT[next]!;
    const t = transitionOrder(state, event);
    if (!t.ok) return { state, refused: t.reason };
    state = t.state;
  }
  return { state };
}

/**
 * The fills that count as filled: held for this node by a service node (a swap follows) and not
 * given up. A take whose accept is still on its way is not a fill yet: it may be refused.
 */
export function heldFills(fills: readonly FillRecord[]): FillRecord[] {
  return fills.filter((f) => f.state !== 'canceled' && f.state !== 'accepting');
}

/** The state of a set of fills: the least advanced live one, else how they ended. */
export function fillsState(fills: readonly FillRecord[]): OrderState | null {
  if (fills.length === 0) return null;
  const live = fills.filter((f) => !isTerminal(f.state));
  if (live.length > 0)
    return live.reduce((a, f) => (FILL_CHAIN.indexOf(f.state) < FILL_CHAIN.indexOf(a.state) ? f : a)).state;
  if (fills.some((f) => f.state === 'finished')) return 'finished';
  if (fills.some((f) => f.state === 'rollbackFailed')) return 'rollbackFailed';
  if (fills.some((f) => f.state === 'rolledback')) return 'rolledback';
  return 'canceled';
}

export interface RecordStore {
  get(id: string): OrderRecord | undefined;
  all(): OrderRecord[];
  /** Adds or replaces a record and writes it through. */
  put(rec: OrderRecord): void;
  /** Changes a record in place (synchronously, so nothing interleaves), writes it through and reports it. */
  update(id: string, change: (rec: OrderRecord) => void): OrderRecord | undefined;
  /** The record and fill that own a swap (hold) id. */
  bySwap(swapId: string): { rec: OrderRecord; fill: FillRecord } | undefined;
  onChange(cb: (rec: OrderRecord) => void): () => void;
}

export function createRecordStore(repo: OrderRepo, log: Logger, now: () => number): RecordStore {
  const recs = new Map<string, OrderRecord>();
  const swaps = new Map<string, string>();
  const listeners = new Set<(rec: OrderRecord) => void>();
  for (const row of repo.list<OrderRecord>()) {
    recs.set(row.id, row.data);
    for (const f of row.data.fills) if (f.holdId) swaps.set(f.holdId, row.id);
  }
  const write = (rec: OrderRecord) => {
    rec.updatedAt = now();
    for (const f of rec.fills) if (f.holdId) swaps.set(f.holdId, rec.id);
    repo.put({
      id: rec.id,
      kind: rec.kind,
      role: rec.role,
      state: rec.state,
      base: rec.base,
      quote: rec.quote,
      data: rec,
    });
    for (const cb of [...listeners]) {
      try {
        cb(rec);
      } catch (err) {
        log.warn('order listener failed', { error: (err as Error).stack ?? String(err) });
      }
    }
  };
  return {
    get: (id) => recs.get(id),
    all: () => [...recs.values()],
    put(rec) {
      recs.set(rec.id, rec);
      write(rec);
    },
    update(id, change) {
      const rec = recs.get(id);
      if (!rec) return undefined;
      change(rec);
      write(rec);
      return rec;
    },
    bySwap(swapId) {
      const id = swaps.get(swapId);
      const rec = id ? recs.get(id) : undefined;
      const fill = rec?.fills.find((f) => f.holdId === swapId);
      return rec && fill ? { rec, fill } : undefined;
    },
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
