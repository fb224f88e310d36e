import { describe, expect, it } from 'vitest';
import { eventHarness } from '../api/event-harness.ts';
import { identityEvents } from './events.ts';
import { identityKeys } from './queries.ts';

const ALICE = 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP';
const BOB = 'did:is:PHNB5qoTVVfLNy1soQuxPSQin56T9onXd2';

function seeded() {
  const h = eventHarness([identityEvents]);
  for (const key of [
    identityKeys.one(ALICE),
    identityKeys.links(ALICE),
    identityKeys.one(BOB),
    identityKeys.mine,
    identityKeys.search('al'),
  ]) {
    h.qc.setQueryData(key, {});
  }
  return h;
}
const invalid = (h: ReturnType<typeof seeded>, key: readonly unknown[]) => h.qc.getQueryState(key)?.isInvalidated;

describe('identity events', () => {
  it('a change to one identity refetches that identity and searches, not the others', () => {
    const h = seeded();
    h.events.dispatch({
      event: 'identity.updated',
      data: { did: ALICE, kind: 'link', status: 'created', mine: false },
    });
    expect(invalid(h, identityKeys.one(ALICE))).toBe(true);
    expect(invalid(h, identityKeys.links(ALICE))).toBe(true);
    expect(invalid(h, identityKeys.search('al'))).toBe(true);
    expect(invalid(h, identityKeys.one(BOB))).toBe(false);
    expect(invalid(h, identityKeys.mine)).toBe(false);
  });

  it('a change to one of ours refetches our list too', () => {
    const h = seeded();
    h.events.dispatch({
      event: 'identity.updated',
      data: { did: ALICE, kind: 'profile', status: 'deleted', mine: true },
    });
    expect(invalid(h, identityKeys.mine)).toBe(true);
  });

  it('a catch-up refetches only when it is over and brought records', () => {
    const h = seeded();
    h.events.dispatch({ event: 'identity.sync', data: { phase: 'fetching', need: 10, fetched: 5 } });
    expect(invalid(h, identityKeys.one(BOB))).toBe(false);
    h.events.dispatch({ event: 'identity.sync', data: { phase: 'done', need: 10, fetched: 10 } });
    expect(invalid(h, identityKeys.one(BOB))).toBe(true);
  });

  it('locking the vault drops our list', () => {
    const h = seeded();
    h.events.dispatch({ event: 'vault.state', data: { state: 'locked' } });
    expect(h.qc.getQueryData(identityKeys.mine)).toBeUndefined();
    expect(h.qc.getQueryData(identityKeys.one(ALICE))).toBeDefined();
  });
});
