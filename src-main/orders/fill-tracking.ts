// Fills follow their swaps: every swap update moves the fill it belongs to (by hold id = swap
// id) through the order state machine, and the order's state follows its fills. A maker's fill
// that ended before coins were locked is offered again; a taker's finished fill becomes a trade
// record. Swap updates arrive as the internal fact 'swaps.updated'.
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { isTerminal } from '../../src-shared/orders/state.ts';
import type { Logger } from '../kernel/log.ts';
import type { SwapEngine } from '../swaps/index.ts';
import { feePaidNoSwap } from './recovery-plan.ts';
import { advanceFill, fillsState, type FillRecord, type OrderRecord, type RecordStore } from './records.ts';
import { swapPhaseToOrderState } from './views.ts';

export interface FillTrackingDeps {
  records: RecordStore;
  swaps?: Pick<SwapEngine, 'get'>;
  log: Logger;
  /** A maker's fill was canceled before any coins were locked (Maker.release). */
  released: (recId: string, swapId: string) => void;
  /** A taker's fill finished (TakerRecords.record). */
  finished: (recId: string, swapId: string) => void;
}

export interface FillTracking {
  onSwap(s: SwapSummary): void;
  /** A swap may have moved before we knew its id (the maker proposes as soon as it sees the hold). */
  catchUp(swapId: string): void;
  /** Fills of swaps that moved while the node was down. */
  catchUpAll(): void;
}

/** An order's state from its listing and its fills (stop orders follow the order they became instead). */
export function settle(r: OrderRecord): void {
  if (r.kind === 'stop') return;
  if (r.role === 'taker') {
    r.state = fillsState(r.fills) ?? r.state;
    return;
  }
  // A maker's order held in full follows its fills; while some is listed, the listing decides.
  if (
    (r.remainingBase === 0n && !['canceled', 'expired', 'invalid'].includes(r.state)) ||
    ['hold', 'initialized', 'created', 'committed'].includes(r.state)
  ) {
    r.state = fillsState(r.fills) ?? r.state;
  }
}

export function createFillTracking(d: FillTrackingDeps): FillTracking {
  function onSwap(s: SwapSummary): void {
    const hit = d.records.bySwap(s.swapId);
    if (!hit) return;
    const target = swapPhaseToOrderState(s.role, s.state);
    if (!target) return;
    let changed: FillRecord | undefined;
    d.records.update(hit.rec.id, (r) => {
      const f = r.fills.find((x) => x.holdId === s.swapId)!;
      const next = advanceFill(f.state, target);
      if (next.refused)
        d.log.warn('an order fill cannot follow its swap', {
          swapId: s.swapId,
          from: f.state,
          to: target,
          reason: next.refused,
        });
      if (next.state === f.state) return;
      f.state = next.state;
      if (f.state === 'canceled' && s.reason) f.reason = s.reason.message;
      // A taker's fee went out with the hold: a swap that stops before any lock does not give it back.
      if (f.state === 'canceled' && r.role === 'taker')
        f.reason = feePaidNoSwap(f, s.reason?.message ?? 'the swap stopped before any coins were locked');
      changed = f;
      settle(r);
    });
    if (!changed) return;
    if (changed.state === 'canceled' && hit.rec.role === 'maker') d.released(hit.rec.id, s.swapId);
    if (changed.state === 'finished' && hit.rec.role === 'taker') d.finished(hit.rec.id, s.swapId);
  }

  function catchUp(swapId: string): void {
    if (!d.swaps) return;
    try {
      onSwap(d.swaps.get(swapId));
    } catch {
      // not started yet: its updates will come
    }
  }

  return {
    onSwap,
    catchUp,
    catchUpAll() {
      for (const rec of d.records.all())
        for (const f of rec.fills) if (f.holdId && !isTerminal(f.state)) catchUp(f.holdId);
    },
  };
}
