import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../src-shared/orders/types.ts';
import { advanceFill, fillsState, heldFills, type FillRecord } from './records.ts';
import { swapPhaseToOrderState } from './views.ts';

const fill = (state: OrderState): FillRecord => ({
  orderId: 'o',
  acceptId: 'a',
  holdId: 'h',
  counterparty: 'p',
  baseAmount: 1n,
  quoteAmount: 1n,
  feeTxid: 'f',
  state,
  makerPubkey: 'm',
  serviceNode: 's',
  price: { num: 1n, den: 1n },
  makerSide: 'sell',
  at: 0,
});

describe('a fill follows its swap through the order state machine', () => {
  it.each<[OrderState, OrderState, OrderState]>([
    ['accepting', 'hold', 'hold'],
    ['hold', 'initialized', 'initialized'],
    ['hold', 'finished', 'finished'],
    ['accepting', 'committed', 'committed'],
    ['initialized', 'rolledback', 'rolledback'],
    ['committed', 'rolledback', 'rolledback'],
    ['committed', 'rollbackFailed', 'rollbackFailed'],
    ['initialized', 'rollbackFailed', 'rollbackFailed'],
    ['hold', 'canceled', 'canceled'],
    ['initialized', 'canceled', 'canceled'],
    ['finished', 'rolledback', 'finished'],
    ['canceled', 'finished', 'canceled'],
  ])('%s toward %s ends %s', (from, target, end) => {
    expect(advanceFill(from, target).state).toBe(end);
  });

  it('refuses to cancel a fill whose coins are locked, and says why', () => {
    const r = advanceFill('created', 'canceled');
    expect(r.state).toBe('created');
    expect(r.refused).toMatch(/created cannot become canceled/);
  });

  it('never moves a fill back', () => {
    expect(advanceFill('committed', 'initialized')).toEqual({ state: 'committed' });
  });
});

describe('the state of several fills', () => {
  it.each<[OrderState[], OrderState | null]>([
    [[], null],
    [['finished', 'initialized', 'committed'], 'initialized'],
    [['finished', 'canceled'], 'finished'],
    [['rolledback', 'canceled'], 'rolledback'],
    [['rolledback', 'rollbackFailed'], 'rollbackFailed'],
    [['canceled', 'canceled'], 'canceled'],
    [['accepting', 'hold'], 'accepting'],
  ])('%j is %s', (states, expected) => {
    expect(fillsState(states.map(fill))).toBe(expected);
  });
});

describe('what counts as filled', () => {
  it('counts fills a service node held, not a take still waiting for the maker, nor one given up', () => {
    const fills = (['accepting', 'hold', 'committed', 'canceled', 'finished', 'rolledback'] as OrderState[]).map(fill);
    expect(heldFills(fills).map((f) => f.state)).toEqual(['hold', 'committed', 'finished', 'rolledback']);
  });
});

describe('swap phases as order states', () => {
  it.each<['maker' | 'taker', string, OrderState | null]>([
    ['maker', 'proposed', 'initialized'],
    ['maker', 'funding', 'initialized'],
    ['maker', 'funded', 'created'],
    ['maker', 'claiming', 'committed'],
    ['taker', 'accepted', 'initialized'],
    ['taker', 'funding', 'created'],
    ['taker', 'funded', 'committed'],
    ['taker', 'claiming', 'committed'],
    ['maker', 'completed', 'finished'],
    ['taker', 'refunded', 'rolledback'],
    ['taker', 'lost', 'rollbackFailed'],
    ['maker', 'failedBeforeFunding', 'canceled'],
    ['maker', 'refunding', null],
  ])('%s %s → %s', (role, phase, state) => {
    expect(swapPhaseToOrderState(role, phase)).toBe(state);
  });
});
