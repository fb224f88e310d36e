// Stop orders held by the node: which way a trigger points, which trades reach it, and that each
// stop fires exactly once, also for trade records that arrive while it is being placed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { price, type Price } from '../../src-shared/money/index.ts';
import type { Side } from '../../src-shared/orders/types.ts';
import { openTestStore } from '../core/test-store.ts';
import { createOrderRepo } from './repo.ts';
import { createRecordStore } from './records.ts';
import { createStopOrders, followFiredOrders, reaches, stopDirection, type StopSpec } from './stops.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashlock-stops-'));
const dbs: Array<ReturnType<typeof openTestStore>> = [];
afterAll(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const DEVA_DEVB = { base: 'DEVA', quote: 'DEVB' };
/** Prices in DEVB per DEVA as ratios of base units (both coins have 8 decimals). */
const p = (num: number, den = 100): Price => price(BigInt(num), BigInt(den));

describe('stopDirection and reaches', () => {
  const directions: Array<[string, Price, Price | null, Side, 'above' | 'below']> = [
    ['a trigger above the last price', p(90), p(80), 'buy', 'above'],
    ['a trigger below the last price', p(70), p(80), 'buy', 'below'],
    ['a trigger at the last price', p(80), p(80), 'sell', 'below'],
    ['a buy with no trade yet', p(90), null, 'buy', 'above'],
    ['a sell with no trade yet', p(90), null, 'sell', 'below'],
  ];
  it.each(directions)('%s', (_name, trigger, last, side, expected) => {
    expect(stopDirection(trigger, last, side)).toBe(expected);
  });

  const trades: Array<[string, Price, 'above' | 'below', boolean]> = [
    ['a trade at the trigger reaches an upward stop', p(90), 'above', true],
    ['a trade through the trigger reaches an upward stop', p(95), 'above', true],
    ['a trade short of the trigger does not reach an upward stop', p(89), 'above', false],
    ['a trade at the trigger reaches a downward stop', p(90), 'below', true],
    ['a trade above the trigger does not reach a downward stop', p(91), 'below', false],
  ];
  it.each(trades)('%s', (_name, at, direction, expected) => {
    expect(reaches(at, p(90), direction)).toBe(expected);
  });
});

describe('stop orders', () => {
  function setup() {
    const db = openTestStore(join(dir, `node-${dbs.length}.sqlite`));
    dbs.push(db);
    const store = createRecordStore(createOrderRepo(db), silent, Date.now);
    let last: Price | null = p(80);
    const fired: string[] = [];
    const stops = createStopOrders({
      store,
      lastPrice: () => last,
      fire: (id) => fired.push(id),
      log: silent,
      now: Date.now,
    });
    const spec: StopSpec = {
      market: DEVA_DEVB,
      side: 'buy',
      baseAmount: 100_000_000n,
      partial: { allowed: false, minBase: 100_000_000n },
      trigger: p(90),
      limitPrice: null,
      priceCap: p(100),
    };
    return {
      store,
      stops,
      fired,
      spec,
      setLast: (x: Price | null) => {
        last = x;
      },
    };
  }

  it('a stop is held as new, its direction judged against the last price when it is stored', () => {
    const { stops, spec, setLast } = setup();
    const held = stops.hold(spec);
    expect(held).toMatchObject({
      kind: 'stop',
      state: 'new',
      role: 'taker',
      stop: { direction: 'above', then: 'market', firedAt: null },
    });
    // A trade recorded before the stop is stored is what its direction is judged against.
    setLast(p(95));
    expect(stops.hold(spec).stop!.direction).toBe('below');
  });

  it('fires once, on the first trade that reaches the trigger, however many follow while it is placed', () => {
    const { store, stops, fired, spec } = setup();
    const held = stops.hold(spec);
    stops.onTrade(DEVA_DEVB, p(85));
    expect(fired).toEqual([]);
    stops.onTrade(DEVA_DEVB, p(90));
    stops.onTrade(DEVA_DEVB, p(92));
    stops.onTrade(DEVA_DEVB, p(90));
    expect(fired).toEqual([held.id]);
    expect(store.get(held.id)!.stop!.firedAt).not.toBeNull();
  });

  it('trades of another market and canceled stops fire nothing', () => {
    const { store, stops, fired, spec } = setup();
    const other = stops.hold({ ...spec, market: { base: 'DEVB', quote: 'DEVA' } });
    const canceled = stops.hold(spec);
    store.update(canceled.id, (r) => {
      r.state = 'canceled';
    });
    stops.onTrade(DEVA_DEVB, p(99));
    expect(fired).not.toContain(other.id);
    expect(fired).not.toContain(canceled.id);
  });

  it('a stop-limit keeps its limit price and fires as a limit order', () => {
    const { stops, fired, spec } = setup();
    const held = stops.hold({ ...spec, limitPrice: p(92) });
    expect(held).toMatchObject({ role: 'maker', price: p(92), quoteAmount: 92_000_000n, stop: { then: 'limit' } });
    stops.onTrade(DEVA_DEVB, p(91));
    expect(fired).toContain(held.id);
  });
});

describe('a fired stop follows the order it became', () => {
  it("the stop's state is its child's, every time the child changes", () => {
    const db = openTestStore(join(dir, `node-${dbs.length}.sqlite`));
    dbs.push(db);
    const store = createRecordStore(createOrderRepo(db), silent, Date.now);
    const stop = followFiredOrders(store);
    const stops = createStopOrders({ store, lastPrice: () => null, fire: () => {}, log: silent, now: Date.now });
    const held = stops.hold({
      market: DEVA_DEVB,
      side: 'buy',
      baseAmount: 100_000_000n,
      partial: { allowed: false, minBase: 100_000_000n },
      trigger: p(90),
      limitPrice: p(92),
      priceCap: null,
    });
    const child = { ...store.get(held.id)!, id: 'child', kind: 'limit' as const, stop: null, parentStop: held.id };
    store.put({ ...child, state: 'open' });
    expect(store.get(held.id)!.state).toBe('open');
    store.update('child', (r) => void (r.state = 'hold'));
    expect(store.get(held.id)!.state).toBe('hold');
    stop();
    store.update('child', (r) => void (r.state = 'finished'));
    expect(store.get(held.id)!.state).toBe('hold');
  });
});
