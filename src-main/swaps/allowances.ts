// swaps.allow agreements: the user's consent in advance to one proposal from one peer with exactly
// these amounts (this node then is the taker). Kept in the settings (key `swaps.allowances`) so a
// restart between agreeing and the proposal keeps them; dropped when expired or used.
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { Logger } from '../kernel/log.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { AllowInput, SwapLeg } from './engine-types.ts';

const Leg = z.object({ ticker: z.string(), amount: z.bigint() });
const Allowance = z.object({ peerId: z.string(), sell: Leg, buy: Leg, expiresAt: z.number() });
export type Allowance = z.infer<typeof Allowance>;

export const SETTINGS_ALLOWANCES = 'swaps.allowances';
export const DEFAULT_ALLOW_TTL_MS = 10 * 60_000;

export interface AllowancesDeps {
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  coins: CoinTable;
  log: Logger;
  now: () => number;
}

export interface Allowances {
  /** Agrees to one proposal; refuses a same-coin pair or a coin this node does not handle. */
  add(p: AllowInput): { expiresAt: number };
  /** The unexpired agreement with `peerId` whose legs are exactly the proposal's (the maker's leg is what we buy). */
  match(peerId: string, makerLeg: SwapLeg, takerLeg: SwapLeg): Allowance | undefined;
  /** A proposal took this agreement up: it is gone. */
  use(a: Allowance): void;
  /** Drops expired agreements (the wall-clock tick). */
  expire(): void;
}

const sameLeg = (a: SwapLeg, b: SwapLeg): boolean => a.ticker === b.ticker && a.amount === b.amount;

export function createAllowances(d: AllowancesDeps): Allowances {
  const list: Allowance[] = load();

  function load(): Allowance[] {
    const stored = z.array(Allowance).safeParse(d.settings.get(SETTINGS_ALLOWANCES) ?? []);
    if (!stored.success) {
      d.log.warn('stored swap agreements (swaps.allow) are unreadable; they are dropped', {
        error: stored.error.message,
      });
      return [];
    }
    return stored.data.filter((a) => a.expiresAt > d.now());
  }
  const save = (): void => d.settings.set(SETTINGS_ALLOWANCES, list);

  return {
    add(p) {
      if (p.sell.ticker === p.buy.ticker) throw new ApiError('INVALID_PARAMS', 'A swap needs two different coins.');
      d.coins.get(p.sell.ticker);
      d.coins.get(p.buy.ticker);
      const expiresAt = d.now() + (p.ttlMs ?? DEFAULT_ALLOW_TTL_MS);
      list.push({
        peerId: p.peerId,
        sell: { ticker: p.sell.ticker, amount: p.sell.amount },
        buy: { ticker: p.buy.ticker, amount: p.buy.amount },
        expiresAt,
      });
      save();
      return { expiresAt };
    },
    match(peerId, makerLeg, takerLeg) {
      const t = d.now();
      return list.find(
        (a) => a.peerId === peerId && a.expiresAt > t && sameLeg(a.buy, makerLeg) && sameLeg(a.sell, takerLeg),
      );
    },
    use(a) {
      // By identity, not by an index taken earlier: an expiry in between shifts the indices.
      const at = list.indexOf(a);
      if (at < 0) return;
      list.splice(at, 1);
      save();
    },
    expire() {
      const before = list.length;
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.expiresAt <= d.now()) list.splice(i, 1);
      if (list.length !== before) save();
    },
  };
}
