// Every fill driven to an end (docs/orders.md §9): at start, each fill not at an end is looked at
// once (recoveryStep decides, this does the I/O): it follows its swap, the maker's stored hold
// gets its swap, the taker's interrupted take is sent again or released with its fee said; then,
// every checkMs, the fills still waiting (a take whose service node was unreachable, a held taker
// fill whose swap has not come) are looked at again until they end.
import { isTerminal } from '../../src-shared/orders/state.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { SwapEngine } from '../swaps/index.ts';
import { settle } from './fill-tracking.ts';
import type { Maker } from './maker.ts';
import { heldFills, type FillRecord, type OrderRecord, type RecordStore } from './records.ts';
import { startDeadline } from './maker-accepts.ts';
import { recoveryStep } from './recovery-plan.ts';
import type { Taker } from './taker.ts';

export interface RecoveryDeps {
  records: RecordStore;
  swaps?: Pick<SwapEngine, 'get'>;
  taker: Pick<Taker, 'retake' | 'release' | 'giveUp'>;
  maker: Pick<Maker, 'startHeld'>;
  /** A fill's swap may have moved before its hold id was known (FillTracking.catchUp). */
  catchUp: (swapId: string) => void;
  log: Logger;
  now: () => number;
  /** How long a taker's agreement to the maker's swap lasts (orders.swapStartMs). */
  swapStartMs: number;
  /** How often waiting fills are looked at again. */
  checkMs?: number;
}

export interface Recovery {
  /** Looks at every fill once (call after the swap engine and the order network started). */
  start(): Promise<void>;
  /** Looks again at the fills still waiting (also run every checkMs). */
  check(): Promise<void>;
  stop(): void;
}

type Ctx = RecoveryDeps & {
  /** Taker fills found accepting at start: no take of this process is running for them. */
  orphans: Set<string>;
  /** Maker fills found held with no swap at start (hold ids): no start of this process is running for them. */
  heldOrphans: Set<string>;
};

function swapKnown(d: Ctx, swapId: string | null): boolean {
  if (!swapId || !d.swaps) return false;
  try {
    d.swaps.get(swapId);
    return true;
  } catch {
    return false;
  }
}

/** A taker's record after one of its fills moved: what is filled and its state. */
function resettle(d: Ctx, recId: string): void {
  d.records.update(recId, (r) => {
    r.quoteAmount = heldFills(r.fills).reduce((a, x) => a + x.quoteAmount, 0n);
    settle(r);
  });
}

/** An interrupted take of this node: sent again, released, or given up (its fee said). */
async function orphanTake(d: Ctx, rec: OrderRecord, f: FillRecord, step: ReturnType<typeof recoveryStep>) {
  if (!d.orphans.has(f.acceptId)) return;
  if (step.do === 'release') await d.taker.release(rec.id, f.acceptId, step.reason);
  else if (step.do === 'give-up')
    await d.taker.giveUp(rec.id, f.acceptId, 'the service node did not answer the take in time');
  else if (step.do === 'retake') {
    const r = await d.taker.retake(rec.id, f.acceptId);
    if (r === 'pending') return;
    const holdId = d.records.get(rec.id)?.fills.find((x) => x.acceptId === f.acceptId)?.holdId;
    if (r === 'held' && holdId) d.catchUp(holdId);
  } else return;
  d.orphans.delete(f.acceptId);
  resettle(d, rec.id);
}

async function act(d: Ctx, rec: OrderRecord, f: FillRecord, atStart: boolean): Promise<void> {
  const facts = { role: rec.role, swapKnown: swapKnown(d, f.holdId), now: d.now(), swapStartMs: d.swapStartMs };
  const step = recoveryStep(f, facts);
  switch (step.do) {
    case 'follow':
      if (atStart) d.catchUp(f.holdId!);
      return;
    case 'start-swap': {
      // Only holds found at start: while running, the hold's own handler starts the swap. The
      // taker may not be connected yet: asked again while its agreement lasts, then given up.
      if (!d.heldOrphans.has(f.holdId!)) return;
      const r = await d.maker.startHeld(rec.id, f.holdId!, facts.now < startDeadline(f.at, d.swapStartMs));
      if (r !== 'pending') d.heldOrphans.delete(f.holdId!);
      return;
    }
    case 'expire':
      d.log.warn('a held fill got no swap: it ends', { orderId: f.orderId, holdId: f.holdId });
      d.records.update(rec.id, (r) => {
        const x = r.fills.find((y) => y.acceptId === f.acceptId);
        if (!x || x.state !== 'hold') return;
        x.state = 'canceled';
        x.reason = step.reason;
      });
      resettle(d, rec.id);
      return;
    case 'release':
    case 'retake':
    case 'give-up':
      return orphanTake(d, rec, f, step);
    default:
      return;
  }
}

async function look(d: Ctx, atStart: boolean): Promise<void> {
  for (const rec of d.records.all()) {
    if (rec.kind === 'stop') continue;
    for (const f of [...rec.fills]) {
      if (isTerminal(f.state)) continue;
      try {
        await act(d, rec, f, atStart);
      } catch (err) {
        d.log.warn('a fill could not be recovered now', { orderId: f.orderId, error: errorText(err) });
      }
    }
  }
}

export function createRecovery(deps: RecoveryDeps): Recovery {
  const d: Ctx = { ...deps, orphans: new Set(), heldOrphans: new Set() };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const check = (atStart = false): Promise<void> => {
    running ??= look(d, atStart).finally(() => (running = null));
    return running;
  };
  return {
    async start() {
      for (const rec of d.records.all())
        for (const f of rec.fills) {
          if (rec.role === 'taker' && f.state === 'accepting') d.orphans.add(f.acceptId);
          if (rec.role === 'maker' && f.state === 'hold' && f.holdId) d.heldOrphans.add(f.holdId);
        }
      await check(true);
      timer = setInterval(() => void check(), d.checkMs ?? 2000);
      timer.unref();
    },
    check: () => check(),
    stop() {
      clearInterval(timer);
    },
  };
}
