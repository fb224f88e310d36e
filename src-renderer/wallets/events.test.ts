import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { eventHarness } from '../api/event-harness.ts';
import { vaultEvents, vaultKeys } from '../vault/index.ts';
import { walletsEvents } from './events.ts';
import { walletKeys } from './queries.ts';

const zero = { spendable: '0', unconfirmed: '0', locked: '0' };
const list: Result<'wallets.list'> = [
  { ticker: 'DEVA', name: 'Devnet A', status: 'connected', balance: zero },
  { ticker: 'DEVB', name: 'Devnet B', status: 'connected', balance: zero },
];

describe('wallet events update the wallets', () => {
  it('writes a pushed balance into the wallet list, the coin balance and the balances of every wallet', () => {
    const h = eventHarness([walletsEvents]);
    h.qc.setQueryData(walletKeys.list, list);
    h.qc.setQueryData(walletKeys.balances, { DEVA: zero, DEVB: zero });
    const balance = { spendable: '12.5', unconfirmed: '0.1', locked: '0' };
    h.events.dispatch({ event: 'wallets.balance', data: { ticker: 'DEVB', balance } });
    expect(h.qc.getQueryData(walletKeys.balance('DEVB'))).toEqual(balance);
    const after = h.qc.getQueryData<Result<'wallets.list'>>(walletKeys.list);
    expect(after?.[1]?.balance).toEqual(balance);
    expect(after?.[0]?.balance).toEqual(zero);
    expect(h.qc.getQueryData(walletKeys.balances)).toEqual({ DEVA: zero, DEVB: balance });
    expect(h.frames).toHaveLength(0);
  });

  it('never adds a balance for a wallet the node did not list', () => {
    const h = eventHarness([walletsEvents]);
    h.qc.setQueryData(walletKeys.balances, { DEVA: zero });
    h.events.dispatch({ event: 'wallets.balance', data: { ticker: 'DEVC', balance: { ...zero, spendable: '2' } } });
    expect(h.qc.getQueryData(walletKeys.balances)).toEqual({ DEVA: zero });
  });

  it('marks the wallet list, that coin and the balances stale when a wallet changes, not the other coins', () => {
    const h = eventHarness([walletsEvents]);
    h.qc.setQueryData(walletKeys.list, list);
    h.qc.setQueryData(walletKeys.balances, {});
    h.qc.setQueryData(walletKeys.utxos('DEVA'), []);
    h.qc.setQueryData(walletKeys.utxos('DEVB'), []);
    h.events.dispatch({ event: 'wallets.changed', data: { ticker: 'DEVA' } });
    expect(h.qc.getQueryState(walletKeys.list)?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(walletKeys.balances)?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(walletKeys.utxos('DEVA'))?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(walletKeys.utxos('DEVB'))?.isInvalidated).toBe(false);
  });

  it('drops every wallet query but the coin table when the vault locks, and keeps them when it unlocks', () => {
    const h = eventHarness([vaultEvents, walletsEvents]);
    const coins: Result<'coins.list'> = [
      { ticker: 'DEVA', name: 'Devnet A', network: 'devnet', decimals: 8, blockTimeSec: 1, defaultConfirmations: 1 },
    ];
    h.qc.setQueryData(walletKeys.coins, coins);
    h.qc.setQueryData(walletKeys.list, list);
    h.qc.setQueryData(walletKeys.balances, { DEVA: zero });
    h.events.dispatch({ event: 'vault.state', data: { state: 'unlocked' } });
    expect(h.qc.getQueryData(walletKeys.list)).toEqual(list);
    h.events.dispatch({ event: 'vault.state', data: { state: 'locked' } });
    expect(h.qc.getQueryData(vaultKeys.status)).toEqual({ state: 'locked' });
    expect(h.qc.getQueryData(walletKeys.list)).toBeUndefined();
    expect(h.qc.getQueryData(walletKeys.balances)).toBeUndefined();
    expect(h.qc.getQueryData(walletKeys.coins)).toEqual(coins);
  });
});
