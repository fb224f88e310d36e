import { describe, expect, it } from 'vitest';
import { createAllowances, DEFAULT_ALLOW_TTL_MS, SETTINGS_ALLOWANCES } from './allowances.ts';
import { COINS, memorySettings, OTHER_PEER, PEER, recordingLog } from './testkit.ts';

const DEVA = (amount: bigint) => ({ ticker: 'DEVA', amount });
const DEVB = (amount: bigint) => ({ ticker: 'DEVB', amount });

function setup(settings = memorySettings(), start = 1_000_000) {
  let clock = start;
  const log = recordingLog();
  const allowances = createAllowances({ settings, coins: COINS, log, now: () => clock });
  return { allowances, settings, log, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('swaps.allow agreements', () => {
  it('matches a proposal whose maker leg is what we buy and whose taker leg is what we sell, from that peer only', () => {
    const { allowances } = setup();
    allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n) });
    expect(allowances.match(PEER, DEVA(1n), DEVB(4n))).toMatchObject({ peerId: PEER });
    expect(allowances.match(OTHER_PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
    expect(allowances.match(PEER, DEVA(2n), DEVB(4n))).toBeUndefined();
    expect(allowances.match(PEER, DEVA(1n), DEVB(5n))).toBeUndefined();
    expect(allowances.match(PEER, DEVB(4n), DEVA(1n))).toBeUndefined();
  });

  it('lasts ten minutes unless told otherwise, and no longer', () => {
    const { allowances, advance, now } = setup();
    const { expiresAt } = allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n) });
    expect(expiresAt).toBe(now() + DEFAULT_ALLOW_TTL_MS);
    advance(DEFAULT_ALLOW_TTL_MS - 1);
    expect(allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeDefined();
    advance(1);
    expect(allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
  });

  it('is kept in the settings, so a restart keeps it with its amounts exact', () => {
    const first = setup();
    first.allowances.add({ peerId: PEER, sell: DEVB(12345678901234567n), buy: DEVA(1n), ttlMs: 60_000 });
    const second = setup(first.settings, first.now());
    expect(second.allowances.match(PEER, DEVA(1n), DEVB(12345678901234567n))).toBeDefined();
  });

  it('drops agreements that expired while the node was off when loading them', () => {
    const first = setup();
    first.allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n), ttlMs: 1000 });
    first.allowances.add({ peerId: OTHER_PEER, sell: DEVB(4n), buy: DEVA(1n), ttlMs: 5000 });
    const second = setup(first.settings, first.now() + 2000);
    expect(second.allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
    expect(second.allowances.match(OTHER_PEER, DEVA(1n), DEVB(4n))).toBeDefined();
  });

  it('drops unreadable stored agreements with a warning rather than failing', () => {
    const settings = memorySettings({ [SETTINGS_ALLOWANCES]: [{ peerId: PEER, sell: 'four coins' }] });
    const { allowances, log } = setup(settings);
    expect(allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('is used up by one proposal, and the settings say so', () => {
    const first = setup();
    first.allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n) });
    const a = first.allowances.match(PEER, DEVA(1n), DEVB(4n))!;
    first.allowances.use(a);
    expect(first.allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
    expect(setup(first.settings, first.now()).allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
  });

  it('uses up the agreement matched even when an earlier one expired in between (no index drift)', () => {
    const { allowances, advance } = setup();
    allowances.add({ peerId: OTHER_PEER, sell: DEVB(9n), buy: DEVA(9n), ttlMs: 1000 });
    allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n) });
    allowances.add({ peerId: PEER, sell: DEVB(7n), buy: DEVA(2n) });
    const a = allowances.match(PEER, DEVA(1n), DEVB(4n))!;
    advance(1000);
    allowances.expire();
    allowances.use(a);
    expect(allowances.match(PEER, DEVA(1n), DEVB(4n))).toBeUndefined();
    expect(allowances.match(PEER, DEVA(2n), DEVB(7n))).toBeDefined();
  });

  it('saves only when the wall-clock expiry dropped something', () => {
    const { allowances, settings, advance } = setup();
    allowances.add({ peerId: PEER, sell: DEVB(4n), buy: DEVA(1n), ttlMs: 1000 });
    const saved = settings.raw.get(SETTINGS_ALLOWANCES);
    allowances.expire();
    expect(settings.raw.get(SETTINGS_ALLOWANCES)).toBe(saved);
    advance(1000);
    allowances.expire();
    expect(settings.raw.get(SETTINGS_ALLOWANCES)).toBe('[]');
  });

  it('refuses a pair of the same coin, and a coin this node does not handle', () => {
    const { allowances, settings } = setup();
    expect(() => allowances.add({ peerId: PEER, sell: DEVA(1n), buy: DEVA(2n) })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => allowances.add({ peerId: PEER, sell: DEVA(1n), buy: { ticker: 'DOGE', amount: 1n } })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(settings.raw.has(SETTINGS_ALLOWANCES)).toBe(false);
  });
});
