// The node's repositories (settings, wallet connections, swaps, bans) against a real SQLite store:
// round trips across reopen, append-only swap events, transactions, and injection attempts.
import { describe, expect, it } from 'vitest';
import type { StoredWalletConnection } from '../wallets/connection-store.ts';
import { createBanRepo } from '../p2p/ban-repo.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import { createSwapRepo, type SwapSnapshot } from '../swaps/repo.ts';
import { createWalletConnectionRepo } from '../wallets/connection-repo.ts';
import { openTestStore } from '../core/test-store.ts';
import { useTempStore } from '../../test/support/temp-store.ts';

const store = useTempStore();

describe('settings repository', () => {
  it('round-trips JSON values, bigints included, across reopen', () => {
    const settings = createSettingsRepo(store.db);
    settings.set('risk', { confirmations: { LTC: 2 }, maxAmount: 5_000_000_000n });
    settings.set('theme', 'dark');
    settings.set('theme', 'light');
    const again = createSettingsRepo(store.reopen());
    expect(again.get('risk')).toEqual({ confirmations: { LTC: 2 }, maxAmount: 5_000_000_000n });
    expect(again.get<string>('theme')).toBe('light');
    expect(again.get('missing')).toBeUndefined();
    expect(again.all()).toEqual({ risk: { confirmations: { LTC: 2 }, maxAmount: 5_000_000_000n }, theme: 'light' });
    again.delete('theme');
    expect(again.get('theme')).toBeUndefined();
  });

  it('stores an SQL injection attempt in a key or value literally', () => {
    const settings = createSettingsRepo(store.db);
    const key = "x'); DROP TABLE settings; --";
    settings.set(key, "'; DELETE FROM settings; --");
    settings.set('other', 1);
    expect(settings.get(key)).toBe("'; DELETE FROM settings; --");
    expect(Object.keys(settings.all()).sort()).toEqual(['other', key].sort());
  });

  it('returns a "__proto__" key as data without touching the prototype', () => {
    const settings = createSettingsRepo(store.db);
    settings.set('__proto__', { polluted: true });
    const all = settings.all();
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(Object.hasOwn(all, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('wallet connection repository', () => {
  const cookie: StoredWalletConnection = {
    ticker: 'LTC',
    kind: 'cookie',
    host: '127.0.0.1',
    port: 19443,
    cookiePath: '/home/u/.litecoin/regtest/.cookie',
  };
  const password: StoredWalletConnection = {
    ticker: 'BTC',
    kind: 'password',
    host: '127.0.0.1',
    port: 18443,
    username: 'rpc',
    passwordSealed: 'sb1:AAAA',
    wallet: 'trading',
  };

  it('round-trips both kinds, optional fields absent rather than null', () => {
    const repo = createWalletConnectionRepo(store.db, { now: store.now });
    repo.put(cookie);
    repo.put(password);
    const again = createWalletConnectionRepo(store.reopen(), { now: store.now });
    expect(again.get('LTC')).toStrictEqual(cookie);
    expect(again.get('BTC')).toStrictEqual(password);
    expect(again.list().map((c) => c.ticker)).toEqual(['BTC', 'LTC']);
    expect(again.get('DOGE')).toBeUndefined();
  });

  it('replaces a connection on put, clearing fields the new one lacks, and stamps updated_at', () => {
    const repo = createWalletConnectionRepo(store.db, { now: store.now });
    repo.put(password);
    store.clock = 2_000;
    repo.put({ ticker: 'BTC', kind: 'cookie', host: 'localhost', port: 8332, cookiePath: '/c' });
    expect(repo.get('BTC')).toStrictEqual({
      ticker: 'BTC',
      kind: 'cookie',
      host: 'localhost',
      port: 8332,
      cookiePath: '/c',
    });
    expect(store.db.prepare('SELECT updated_at FROM wallet_connections WHERE ticker = ?').pluck().get('BTC')).toBe(
      2_000,
    );
  });

  it('deletes', () => {
    const repo = createWalletConnectionRepo(store.db, { now: store.now });
    repo.put(cookie);
    repo.delete('LTC');
    repo.delete('LTC');
    expect(repo.list()).toEqual([]);
  });

  it('refuses an invalid port rather than storing it', () => {
    const repo = createWalletConnectionRepo(store.db, { now: store.now });
    expect(() => repo.put({ ...cookie, port: 70000 })).toThrow(/CHECK constraint/);
  });
});

describe('swap repository', () => {
  const snapshot = (over: Partial<SwapSnapshot> = {}): SwapSnapshot => ({
    swapId: 'swap-1',
    role: 'maker',
    state: 'initialized',
    terminal: false,
    data: { amount: 150_000_000n, secretHash: 'ab'.repeat(32) },
    ...over,
  });

  it('numbers events 1, 2, 3 per swap and reads them back in order with bigints intact', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    expect(swaps.appendEvent('swap-1', 'created', { amount: 1n })).toBe(1);
    expect(swaps.appendEvent('swap-2', 'created', {})).toBe(1);
    store.clock = 1_500;
    expect(swaps.appendEvent('swap-1', 'locked', { txid: 'aa', vout: 0, value: 2_100_000_000_000_000n })).toBe(2);
    const again = createSwapRepo(store.reopen(), { now: store.now });
    expect(again.events('swap-1')).toEqual([
      { swapId: 'swap-1', seq: 1, type: 'created', payload: { amount: 1n }, createdAt: 1_000 },
      {
        swapId: 'swap-1',
        seq: 2,
        type: 'locked',
        payload: { txid: 'aa', vout: 0, value: 2_100_000_000_000_000n },
        createdAt: 1_500,
      },
    ]);
    expect(again.events('swap-1', 1).map((e) => e.seq)).toEqual([2]);
    expect(again.events('nothing')).toEqual([]);
    expect(again.appendEvent('swap-1', 'claimed', null)).toBe(3);
  });

  it('upserts snapshots, keeping created_at and moving updated_at', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    swaps.upsert(snapshot());
    store.clock = 3_000;
    swaps.upsert(snapshot({ state: 'created', data: { amount: 150_000_000n, txid: 'bb' } }));
    const again = createSwapRepo(store.reopen(), { now: store.now });
    expect(again.get('swap-1')).toEqual({
      ...snapshot({ state: 'created', data: { amount: 150_000_000n, txid: 'bb' } }),
      createdAt: 1_000,
      updatedAt: 3_000,
    });
    expect(again.get('unknown')).toBeUndefined();
  });

  it('appends an event and updates the snapshot in one transaction', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    swaps.upsert(snapshot());
    const seq = swaps.appendEventAndUpdate(
      'swap-1',
      { type: 'refunded', payload: { txid: 'cc' } },
      snapshot({ state: 'refunded', terminal: true }),
    );
    expect(seq).toBe(1);
    expect(swaps.get('swap-1')?.state).toBe('refunded');
    expect(swaps.events('swap-1').map((e) => e.type)).toEqual(['refunded']);
  });

  it('writes neither the event nor the snapshot when either part fails', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    swaps.upsert(snapshot({ state: 'completed', terminal: true }));
    // reopening a finished swap is refused by the database: the event must not be kept either
    expect(() =>
      swaps.appendEventAndUpdate(
        'swap-1',
        { type: 'oops', payload: {} },
        snapshot({ state: 'locked', terminal: false }),
      ),
    ).toThrow(/cannot be reopened/);
    expect(swaps.events('swap-1')).toEqual([]);
    // a payload the codec refuses: the snapshot must not change either
    expect(() =>
      swaps.appendEventAndUpdate(
        'swap-1',
        { type: 'bad', payload: { x: Number.NaN } },
        snapshot({ state: 'completed', terminal: true, data: { changed: true } }),
      ),
    ).toThrow();
    expect(swaps.get('swap-1')?.data).toEqual(snapshot().data);
    expect(swaps.events('swap-1')).toEqual([]);
  });

  it('refuses an event and snapshot for different swaps', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    expect(() =>
      swaps.appendEventAndUpdate('swap-1', { type: 'x', payload: {} }, snapshot({ swapId: 'swap-2' })),
    ).toThrow(/swap-2/);
  });

  it('lists unfinished swaps oldest first, leaving out finished ones', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    store.clock = 5;
    swaps.upsert(snapshot({ swapId: 'b' }));
    store.clock = 1;
    swaps.upsert(snapshot({ swapId: 'c', role: 'taker' }));
    store.clock = 9;
    swaps.upsert(snapshot({ swapId: 'a', state: 'completed', terminal: true }));
    swaps.upsert(snapshot({ swapId: 'd' }));
    expect(swaps.unfinished().map((s) => s.swapId)).toEqual(['c', 'b', 'd']);
    swaps.upsert(snapshot({ swapId: 'b', state: 'refunded', terminal: true }));
    expect(
      createSwapRepo(store.reopen(), { now: store.now })
        .unfinished()
        .map((s) => s.swapId),
    ).toEqual(['c', 'd']);
  });

  it('cannot change or delete a stored event even with raw SQL', () => {
    const swaps = createSwapRepo(store.db, { now: store.now });
    swaps.appendEvent('swap-1', 'created', { a: 1 });
    expect(() => store.db.prepare("UPDATE swap_events SET type = 'forged'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM swap_events').run()).toThrow(/append-only/);
    expect(swaps.events('swap-1').map((e) => e.type)).toEqual(['created']);
  });

  it('gives distinct seqs to two connections appending to the same swap', () => {
    const a = createSwapRepo(store.db, { now: store.now });
    const other = openTestStore(store.path);
    const b = createSwapRepo(other, { now: store.now });
    const seqs = [
      a.appendEvent('s', 'x', 1),
      b.appendEvent('s', 'y', 2),
      a.appendEvent('s', 'z', 3),
      b.appendEvent('s', 'w', 4),
    ];
    other.close();
    expect(seqs).toEqual([1, 2, 3, 4]);
  });
});

describe('ban repository', () => {
  it('bans until a time, then not', () => {
    const bans = createBanRepo(store.db);
    bans.ban('peerA', 'invalid signature', 10_000);
    expect(bans.isBanned('peerA', 9_999)).toBe(true);
    expect(bans.isBanned('peerA', 10_000)).toBe(false);
    expect(bans.isBanned('peerB', 0)).toBe(false);
  });

  it('never shortens a ban when banned again, but extends it', () => {
    const bans = createBanRepo(store.db);
    bans.ban('peerA', 'spam', 10_000);
    bans.ban('peerA', 'minor', 5_000);
    expect(bans.list()).toEqual([{ peerId: 'peerA', reason: 'spam', until: 10_000 }]);
    bans.ban('peerA', 'worse', 20_000);
    expect(createBanRepo(store.reopen()).list()).toEqual([{ peerId: 'peerA', reason: 'worse', until: 20_000 }]);
  });

  it('lists, unbans and purges expired bans', () => {
    const bans = createBanRepo(store.db);
    bans.ban('old', 'a', 100);
    bans.ban('new', 'b', 1_000);
    bans.ban('lifted', 'c', 1_000);
    bans.unban('lifted');
    expect(bans.list().map((b) => b.peerId)).toEqual(['old', 'new']);
    expect(bans.list(500).map((b) => b.peerId)).toEqual(['new']);
    expect(bans.purgeExpired(500)).toBe(1);
    expect(bans.list().map((b) => b.peerId)).toEqual(['new']);
  });

  it('stores an injection attempt in a peer id literally', () => {
    const bans = createBanRepo(store.db);
    bans.ban("p' OR '1'='1", 'x', 50);
    expect(bans.isBanned('anyone', 0)).toBe(false);
    expect(bans.isBanned("p' OR '1'='1", 0)).toBe(true);
  });

  it('refuses a non-integer ban end', () => {
    expect(() => createBanRepo(store.db).ban('p', 'x', 1.5)).toThrow(RangeError);
  });
});
