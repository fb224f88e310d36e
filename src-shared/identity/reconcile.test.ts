// Set reconciliation between two in-memory registries: it finds exactly the differing records,
// in few rounds, and the bytes it exchanges stay a small fraction of the records it saves sending.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { isIdentityError } from './errors.ts';
import { b64urlFromBytes } from './jws.ts';
import { buildReconcileSet, type ReconcileItem } from './reconcile-set.ts';
import {
  MAX_RECONCILE_ROUNDS,
  RESPONDER_MAX_BYTES,
  INITIATOR_MAX_BYTES,
  reconcileWith,
  respondReconcile,
  continueReconcile,
  type ReconcileMessage,
} from './reconcile.ts';

/** Deterministic items: ids are SHA-256 of a label, iat spread like real ms timestamps (with ties). */
function items(label: string, from: number, count: number, sameTs = false): ReconcileItem[] {
  const out: ReconcileItem[] = [];
  for (let i = from; i < from + count; i++) {
    const id = sha256(new TextEncoder().encode(`${label}:${i}`));
    out.push({ ts: sameTs ? 1_700_000_000_000 : 1_700_000_000_000 + Math.floor(i / 3) * 997, id });
  }
  return out;
}

const b64 = (xs: readonly ReconcileItem[]) => xs.map((x) => b64urlFromBytes(x.id)).sort();

async function session(mine: ReconcileItem[], theirs: ReconcileItem[]) {
  const a = buildReconcileSet(mine);
  const b = buildReconcileSet(theirs);
  const out = await reconcileWith(a, (m) => respondReconcile(b, JSON.parse(JSON.stringify(m))));
  return { ...out, need: out.need.sort(), have: out.have.sort() };
}

/** The smallest profile (the spec example) in bytes: the floor of a record's size. */
const RECORD_BYTES = 568;
/** A fetch asks for ids (45 bytes each in JSON) and gets records back with a key hint (~50 bytes each). */
const fetchBytes = (n: number) => n * (45 + RECORD_BYTES + 50);

describe('set reconciliation', () => {
  it('two equal sets agree in one round of two fingerprints', async () => {
    const shared = items('s', 0, 5000);
    const r = await session(shared, [...shared].reverse());
    expect([r.need, r.have, r.rounds]).toEqual([[], [], 1]);
    expect(r.bytesOut + r.bytesIn).toBeLessThan(200);
  });

  it('finds a few differences in 100,000 records, both ways, with a few kilobytes', async () => {
    const shared = items('s', 0, 100_000);
    const onlyMine = items('mine', 0, 10);
    const onlyTheirs = items('theirs', 0, 10);
    const r = await session([...shared, ...onlyMine], [...shared, ...onlyTheirs]);
    expect(r.need).toEqual(b64(onlyTheirs));
    expect(r.have).toEqual(b64(onlyMine));
    expect(r.bytesOut + r.bytesIn).toBeLessThan(10 * 20 * 1024);
    expect(r.rounds).toBeLessThanOrEqual(6);
  });

  it('finds many differences: 10,000 shared, 5,000 only on each side', async () => {
    const shared = items('s', 0, 10_000);
    const onlyMine = items('mine', 0, 5000);
    const onlyTheirs = items('theirs', 0, 5000);
    const r = await session([...shared, ...onlyMine], [...onlyTheirs, ...shared]);
    expect(r.need).toEqual(b64(onlyTheirs));
    expect(r.have).toEqual(b64(onlyMine));
    // Differences this dense are listed id by id (about twice each), still a third of the records' size.
    expect((r.bytesOut + r.bytesIn) / (10_000 * RECORD_BYTES)).toBeLessThan(0.4);
  });

  it('hands each round its findings as it is done, before the last round (a caller fetches meanwhile)', async () => {
    const theirs = items('s', 0, 100_000);
    const rounds: number[] = [];
    const seen: string[] = [];
    const a = buildReconcileSet([]);
    const b = buildReconcileSet(theirs);
    const out = await reconcileWith(a, (m) => respondReconcile(b, JSON.parse(JSON.stringify(m))), {
      onRound: (round) => {
        rounds.push(round.need.length);
        seen.push(...round.need);
      },
    });
    // 100,000 ids do not fit one answer: several rounds, the first already with its share.
    expect(rounds.length).toBe(out.rounds);
    expect(rounds.length).toBeGreaterThan(2);
    expect(rounds[0]).toBeGreaterThan(10_000);
    expect(seen).toEqual(out.need);
  });

  it('an empty node catching up on 100,000 records moves at most 1.5x the records it fetches', async () => {
    const theirs = items('s', 0, 100_000);
    const r = await session([], theirs);
    expect(r.need).toHaveLength(100_000);
    expect(r.have).toEqual([]);
    const total = r.bytesOut + r.bytesIn + fetchBytes(r.need.length);
    expect(total / (100_000 * RECORD_BYTES)).toBeLessThan(1.5);
    expect(r.rounds).toBeLessThan(10);
  });

  it('a returning node that missed 1,000 recent records fetches just those', async () => {
    const old = items('s', 0, 99_000);
    const recent = items('s', 99_000, 1000);
    const r = await session(old, [...old, ...recent]);
    expect(r.need).toEqual(b64(recent));
    expect((r.bytesOut + r.bytesIn) / (1000 * RECORD_BYTES)).toBeLessThan(0.25);
  });

  it('records that share one iat are told apart by id prefixes', async () => {
    const shared = items('t', 0, 3000, true);
    const extra = items('x', 0, 40, true);
    const r = await session(shared, [...shared, ...extra]);
    expect(r.need).toEqual(b64(extra));
  });

  it('every message stays within its side cap', async () => {
    const a = buildReconcileSet(items('a', 0, 25_000));
    const b = buildReconcileSet(items('b', 0, 25_000));
    let biggestAsk = 0;
    let biggestAnswer = 0;
    await reconcileWith(a, (m) => {
      biggestAsk = Math.max(biggestAsk, JSON.stringify(m).length);
      const answer = respondReconcile(b, m);
      biggestAnswer = Math.max(biggestAnswer, JSON.stringify(answer).length);
      return answer;
    });
    expect(biggestAsk).toBeLessThanOrEqual(INITIATOR_MAX_BYTES);
    expect(biggestAnswer).toBeLessThanOrEqual(RESPONDER_MAX_BYTES);
  });

  it('the responder is stateless: the same message gets the same answer', () => {
    const b = buildReconcileSet(items('s', 0, 2000));
    const ask: ReconcileMessage = { v: 1, r: [[null, 1, 'AAAAAAAAAAAAAAAAAAAAAA', 5]] };
    expect(respondReconcile(b, ask)).toEqual(respondReconcile(b, ask));
  });

  it.each([
    ['not an object', 'hello'],
    ['an unknown version', { v: 2, r: [] }],
    [
      'bounds out of order',
      {
        v: 1,
        r: [
          [[5, ''], 0],
          [[4, ''], 0],
        ],
      },
    ],
    [
      'a range after the end',
      {
        v: 1,
        r: [
          [null, 0],
          [[4, ''], 0],
        ],
      },
    ],
    ['an id of 31 bytes', { v: 1, r: [[null, 2, ['A'.repeat(41) + 'A=']]] }],
    ['a prefix that is not base64url', { v: 1, r: [[[1, '***'], 0]] }],
    ['an unknown mode', { v: 1, r: [[null, 3]] }],
  ])('refuses a message with %s', (_n, msg) => {
    const set = buildReconcileSet(items('s', 0, 10));
    let thrown: unknown;
    try {
      respondReconcile(set, msg);
    } catch (err) {
      thrown = err;
    }
    expect(isIdentityError(thrown)).toBe(true);
    expect(() => continueReconcile(set, msg)).toThrow(/reconcile|bound|range|id|prefix/);
  });

  it('a peer that never agrees is cut off after the round limit', async () => {
    const set = buildReconcileSet(items('s', 0, 1000));
    let rounds = 0;
    const stubborn = () => (rounds++, { v: 1, r: [[null, 1, 'AAAAAAAAAAAAAAAAAAAAAA', 999_999]] });
    await expect(reconcileWith(set, stubborn)).rejects.toMatchObject({ details: { reason: 'RECONCILE_INVALID' } });
    expect(rounds).toBe(MAX_RECONCILE_ROUNDS);
  });
});
