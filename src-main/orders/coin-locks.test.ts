import { describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/log.ts';
import { backingCoins, createCoinLocks } from './coin-locks.ts';
import type { OrderRecord } from './records.ts';
import { lockedAmount, reservedOutpoints } from './reserved.ts';

const A = `${'aa'.repeat(32)}:0`;
const B = `${'bb'.repeat(32)}:1`;
const C = `${'cc'.repeat(32)}:2`;

function maker(
  id: string,
  state: OrderRecord['state'],
  utxos: string[],
  fills: OrderRecord['fills'] = [],
): OrderRecord {
  return {
    id,
    kind: 'limit',
    role: 'maker',
    state,
    base: 'DEVA',
    quote: 'DEVB',
    side: 'sell',
    baseAmount: 100n,
    quoteAmount: 50n,
    price: { num: 1n, den: 2n },
    partial: { allowed: false, minBase: 100n },
    remainingBase: 100n,
    order: { makerUtxos: utxos },
    serviceNode: null,
    expiresAt: null,
    fills,
    acks: [],
    stop: null,
    parentStop: null,
    repostOf: null,
    createdAt: 0,
    updatedAt: 0,
  };
}
const heldFill = (state: string) =>
  ({ holdId: 'h', state, baseAmount: 100n, quoteAmount: 50n }) as unknown as OrderRecord['fills'][number];

/** A wallet's lock list, as lockunspent and listlockunspent keep it. */
function fakeWallet(initial: string[] = []) {
  const locked = new Set(initial);
  const rpc = {
    async callAs(_s: unknown, method: string) {
      if (method !== 'listlockunspent') throw new Error(method);
      return [...locked].map((u) => ({ txid: u.split(':')[0], vout: Number(u.split(':')[1]) }));
    },
    async call(method: string, params: [boolean, Array<{ txid: string; vout: number }>]) {
      if (method !== 'lockunspent') throw new Error(method);
      for (const o of params[1]) {
        const k = `${o.txid}:${o.vout}`;
        if (params[0]) locked.delete(k);
        else locked.add(k);
      }
      return true;
    },
  };
  return { locked, wallets: { rpc: () => rpc as never, isConfigured: (t: string) => t === 'DEVA' } };
}

describe('item 4: backing coins are locked while their order is open', () => {
  it('locks the coins of open orders and leaves out ended orders and fills about to be funded', () => {
    const want = backingCoins([
      maker('open', 'open', [A]),
      maker('canceled', 'canceled', [B]),
      maker('funding', 'open', [C], [heldFill('hold')]),
    ]);
    expect([...(want.get('DEVA') ?? [])]).toEqual([A]);
  });

  it('locks on reconcile, unlocks what it locked once the order ends; at start, stale locks are released', async () => {
    const recs = [maker('o', 'open', [A])];
    const w = fakeWallet([C]);
    const locks = createCoinLocks({
      wallets: w.wallets,
      records: { all: () => recs },
      tickers: ['DEVA', 'DEVB'],
      log: silentLogger,
    });
    await locks.reconcile();
    expect([...w.locked].sort()).toEqual([A, C]);
    recs[0] = maker('o', 'canceled', [A]);
    await locks.reconcile();
    // C was not locked by this node's orders: a plain reconcile leaves it alone.
    expect([...w.locked]).toEqual([C]);
    await locks.reconcileAtStart();
    expect([...w.locked]).toEqual([]);
  });

  it("a held order's coins stay spoken for: no other order picks them, and the balance counts them locked", () => {
    const recs = [maker('held', 'hold', [A], [heldFill('hold')])];
    expect(reservedOutpoints(recs).has(A)).toBe(true);
    expect(lockedAmount(recs, 'DEVA')).toBe(100n);
    // An open order whose coins the wallet has locked is counted by the wallet, not twice.
    expect(lockedAmount([maker('o', 'open', [B])], 'DEVA', new Set([B]))).toBe(0n);
    expect(lockedAmount([maker('o', 'open', [B])], 'DEVA')).toBe(100n);
  });
});
