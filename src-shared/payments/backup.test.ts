// The payment book's backup: pages that each fit one identity record, old pages unchanged as the
// book grows, a key only the identity's seed re-derives, and pages that open only with it.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { buildBackupPayload, MAX_BACKUP_JWS_CHARS } from '../identity/backup.ts';
import { addressOfKey, signCompact } from '../identity/compact.ts';
import { verifyRecord } from '../identity/records.ts';
import { didIsHeaderJson, keySigner, signDidIsJws } from '../identity/verify.ts';
import {
  backupKey,
  backupKeyDigest,
  layoutBook,
  MAX_PAGE_PLAINTEXT,
  MAX_PAGES,
  openPage,
  pageHash,
  paginate,
  sealPage,
  TRIM_PAGES,
  type BackupPayment,
  type BackupRequest,
  type BookSnapshot,
} from './backup.ts';

const secret = new Uint8Array(32).fill(3);
const address = addressOfKey(secp256k1.getPublicKey(secret, true));
const did = `did:is:${address}`;
const key = backupKey(signCompact(backupKeyDigest(did), secret), did);

const hex = (n: number, len = 64) => n.toString(16).padStart(len, '0');
const payment = (n: number): BackupPayment => ({
  key: hex(n),
  ticker: 'DEVA',
  address: 'rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn',
  amount: '1.5',
  uri: `deva:rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn?amount=1.5&label=Shop%20${n}&identity=${did}&identity-sig=${'A'.repeat(87)}`,
  txid: hex(n + 1_000_000),
  fee: '0.0000141',
  phase: 'confirmed',
  cardState: 'known',
  feeRate: '10',
  did,
  name: `Shop ${n}`,
  createdAt: 1_800_000_000_000 + n,
});
const book = (n: number) => ({
  payments: Array.from({ length: n }, (_, i) => payment(i)),
  requests: [],
  contacts: [{ did, name: 'Me', savedAt: 1 }],
});

describe('payment book backup', () => {
  it('splits a long book into pages under the cap, in order, with the count and contacts on page 0', () => {
    const pages = paginate(book(200));
    expect(pages.length).toBeGreaterThan(3);
    expect(pages[0]).toMatchObject({ page: 0, pages: pages.length, contacts: [{ name: 'Me' }] });
    for (const p of pages)
      expect(new TextEncoder().encode(JSON.stringify(p)).length).toBeLessThanOrEqual(MAX_PAGE_PLAINTEXT);
    expect(pages.flatMap((p) => p.payments.map((x) => x.key))).toEqual(book(200).payments.map((x) => x.key));
  });

  it('a new payment changes only the last page (older pages are not published again)', () => {
    const before = paginate(book(120)).map(pageHash);
    const after = paginate(book(121)).map(pageHash);
    expect(after.slice(1, before.length - 1)).toEqual(before.slice(1, -1));
    expect(after[after.length - 1]).not.toBe(before[before.length - 1]);
  });

  it('the key is the same whenever the same seed signs, and another identity has another key', () => {
    const again = backupKey(signCompact(backupKeyDigest(did), secret), did);
    expect(bytesToHex(again)).toBe(bytesToHex(key));
    const other = new Uint8Array(32).fill(4);
    const otherDid = `did:is:${addressOfKey(secp256k1.getPublicKey(other, true))}`;
    const otherKey = backupKey(signCompact(backupKeyDigest(otherDid), other), otherDid);
    expect(bytesToHex(otherKey)).not.toBe(bytesToHex(key));
  });

  it('a sealed page opens with its key and fits one identity record', async () => {
    const [, full] = paginate(book(200));
    const jwe = await sealPage(full!, key, did);
    expect(await openPage(jwe, key, did)).toEqual(full);
    const record = signDidIsJws(
      didIsHeaderJson(address),
      buildBackupPayload(did, 1, 'payments-1', jwe),
      keySigner(secret),
    );
    expect(record.length).toBeLessThanOrEqual(MAX_BACKUP_JWS_CHARS);
    expect(verifyRecord(record)).toMatchObject({ kind: 'backup', slot: `${did}#backup:payments-1` });
  });

  it('a page does not open with another key, or as another identity', async () => {
    const [page] = paginate(book(2));
    const jwe = await sealPage(page!, key, did);
    await expect(openPage(jwe, new Uint8Array(32).fill(1), did)).rejects.toThrow();
    await expect(openPage(jwe, key, 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP')).rejects.toThrow(/another identity/);
    // One character of the tag changed (to another one: 1 run in 64 it was already 'A').
    const altered = jwe.slice(0, -5) + (jwe.at(-5) === 'A' ? 'B' : 'A') + jwe.slice(-4);
    await expect(openPage(altered, key, did)).rejects.toThrow();
  });
});

const request = (n: number): BackupRequest => ({
  id: hex(n, 32),
  ticker: 'DEVA',
  address: 'rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn',
  uri: `deva:rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn?amount=2&label=Table%20${n}`,
  createdAt: 1_800_000_000_000 + n,
  canceled: false,
});
/** n entries, payments and requests alternating by creation time. */
const mixed = (n: number): BookSnapshot => {
  const all = Array.from({ length: n }, (_, i) => i);
  return {
    payments: all.filter((i) => i % 2 === 0).map(payment),
    requests: all.filter((i) => i % 2 === 1).map(request),
    contacts: [{ did, name: 'Me', savedAt: 1 }],
  };
};
const keysOf = (pages: ReturnType<typeof paginate>) =>
  pages.flatMap((p) => [...p.payments.map((x) => x.createdAt), ...p.requests.map((x) => x.createdAt)]);

describe('payment book backup: a bounded book', () => {
  it('payments and requests are laid out by creation time, so a new entry of either kind changes only the last page', () => {
    const before = paginate(mixed(300)).map(pageHash);
    for (const next of [mixed(301), mixed(302)]) {
      const after = paginate(next).map(pageHash);
      expect(after.slice(1, before.length - 1)).toEqual(before.slice(1, -1));
    }
  });

  it('a book that fits is not cut', () => {
    const layout = layoutBook(book(200));
    expect(layout).toMatchObject({ since: 0, omitted: 0 });
    expect(layout.pages.map(pageHash)).toEqual(paginate(book(200)).map(pageHash));
  });

  it('a book larger than the backup keeps its newest entries in TRIM_PAGES pages and says how many it left out', () => {
    const big = book(4000);
    expect(() => paginate(big)).toThrow(/more than 64 backup pages/);
    const layout = layoutBook(big);
    expect(layout.pages.length).toBeLessThanOrEqual(TRIM_PAGES);
    expect(layout.pages.length).toBeGreaterThan(TRIM_PAGES - 2);
    const kept = keysOf(layout.pages);
    expect(kept.length + layout.omitted).toBe(4000);
    expect(kept[kept.length - 1]).toBe(big.payments[3999]!.createdAt);
    expect(kept[0]).toBe(layout.since);
    expect(layout.pages[0]).toMatchObject({ pages: layout.pages.length, contacts: [{ name: 'Me' }] });
  });

  it('after a cut the pages do not shift: the next entries change only the last page, until the next cut', () => {
    const first = layoutBook(book(4000));
    const next = layoutBook(book(4001), first.since);
    expect(next.since).toBe(first.since);
    expect(next.omitted).toBe(first.omitted);
    const [a, b] = [first.pages.map(pageHash), next.pages.map(pageHash)];
    expect(b.slice(1, a.length - 1)).toEqual(a.slice(1, -1));
    // Grown past MAX_PAGES again: a new cut, further on.
    let n = 4001;
    let layout = next;
    while (layout.since === first.since) layout = layoutBook(book((n += 200)), first.since);
    expect(layout.since).toBeGreaterThan(first.since);
    expect(layout.pages.length).toBeLessThanOrEqual(TRIM_PAGES);
    expect(layoutBook(book(n - 200), first.since).pages.length).toBeLessThanOrEqual(MAX_PAGES);
  });
});
