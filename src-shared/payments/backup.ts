// The payment book's backup, pure: what it holds, how it is split into pages that each fit one
// identity record, the key that opens it (derived from a deterministic signature by the identity's
// own key, so restoring the seed re-derives it), and sealing and opening (compact JWE, dir/A256GCM).
// docs/payments.md §10. The node signs, publishes and restores (src-main/payments/backup.ts).
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { z } from 'zod';
import { DecimalAmount, Ticker } from '../api/schemas.ts';
import { doubleSha256 } from '../identity/compact.ts';
import { MERCHANT_STATE_NAMES } from './card.ts';
import { Did, PaymentKey, RequestId } from './views.ts';

export const BACKUP_NAME = 'payments';
/** Plaintext per page: its JWE (base64url, plus header and tag) stays under the record's cap. */
export const MAX_PAGE_PLAINTEXT = 16 * 1024;
export const MAX_PAGES = 64;
const KEY_TAG = 'hashlock payments backup key v1';
const HKDF_SALT = 'hashlock payments backup v1';

const Time = z.number().int().nonnegative();
const Txid = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupPayment = z
  .object({
    key: PaymentKey,
    ticker: Ticker,
    address: z.string().max(90),
    amount: DecimalAmount,
    uri: z.string().max(8192),
    txid: Txid,
    fee: DecimalAmount.optional(),
    phase: z.enum(['sent', 'confirmed']),
    /** The merchant card's state when the user paid. */
    cardState: z.enum(MERCHANT_STATE_NAMES),
    feeRate: z.string().regex(/^[0-9]{1,7}$/),
    did: Did.optional(),
    name: z.string().max(512).optional(),
    identityKey: z.string().max(64).optional(),
    createdAt: Time,
  })
  .strict();
export type BackupPayment = z.infer<typeof BackupPayment>;

export const BackupContact = z.object({ did: Did, name: z.string().max(64), savedAt: Time }).strict();
export type BackupContact = z.infer<typeof BackupContact>;

export const BackupRequest = z
  .object({
    id: RequestId,
    ticker: Ticker,
    address: z.string().max(90),
    uri: z.string().max(8192),
    createdAt: Time,
    expiresAt: Time.optional(),
    canceled: z.boolean(),
  })
  .strict();
export type BackupRequest = z.infer<typeof BackupRequest>;

/** One page. Page 0 also says how many pages there are and carries the contacts. */
export const BackupPage = z
  .object({
    v: z.literal(1),
    page: z
      .number()
      .int()
      .min(0)
      .max(MAX_PAGES - 1),
    pages: z.number().int().min(1).max(MAX_PAGES).optional(),
    payments: z.array(BackupPayment),
    requests: z.array(BackupRequest),
    contacts: z.array(BackupContact).optional(),
  })
  .strict();
export type BackupPage = z.infer<typeof BackupPage>;

export interface BookSnapshot {
  /** Oldest first: old pages keep their content, so only the newest are published again. */
  readonly payments: readonly BackupPayment[];
  readonly requests: readonly BackupRequest[];
  readonly contacts: readonly BackupContact[];
}

const utf8 = new TextEncoder();
const size = (page: BackupPage) => utf8.encode(JSON.stringify(page)).length;

/** The record name of page i: "payments", "payments-1", "payments-2" … */
export function pageName(i: number): string {
  return i === 0 ? BACKUP_NAME : `${BACKUP_NAME}-${i}`;
}

type Item = { kind: 'payments'; p: BackupPayment } | { kind: 'requests'; r: BackupRequest };
const createdAt = (i: Item) => (i.kind === 'payments' ? i.p.createdAt : i.r.createdAt);

/** Payments and requests in one line by creation time, so whatever comes next goes on the last page. */
function itemsOf(book: BookSnapshot, since = 0): Item[] {
  const items: Item[] = [
    ...book.payments.map((p) => ({ kind: 'payments' as const, p })),
    ...book.requests.map((r) => ({ kind: 'requests' as const, r })),
  ];
  // A stable sort: entries made in the same millisecond keep their kind's order.
  return items.filter((i) => createdAt(i) >= since).sort((a, b) => createdAt(a) - createdAt(b));
}

/** The pages of `items`, each under MAX_PAGE_PLAINTEXT; undefined when they need more than maxPages. */
function fill(items: readonly Item[], contacts: readonly BackupContact[], maxPages: number): BackupPage[] | undefined {
  // Sizes add up (an entry's JSON plus a comma), so each entry is measured once. Page 0 is measured
  // with the largest page count it can carry, which is only known at the end.
  const pages: BackupPage[] = [];
  let page: BackupPage = { v: 1, page: 0, pages: MAX_PAGES, payments: [], requests: [], contacts: [...contacts] };
  let used = size(page);
  for (const item of items) {
    const entry = item.kind === 'payments' ? item.p : item.r;
    const list: unknown[] = item.kind === 'payments' ? page.payments : page.requests;
    const bytes = utf8.encode(JSON.stringify(entry)).length;
    if (used + bytes + (list.length > 0 ? 1 : 0) > MAX_PAGE_PLAINTEXT) {
      if (pages.length + 1 === maxPages) return undefined;
      pages.push(page);
      page = { v: 1, page: pages.length, payments: [], requests: [] };
      used = size(page);
      if (used + bytes > MAX_PAGE_PLAINTEXT) throw new Error('one book entry is larger than a backup page');
    }
    used += bytes + ((item.kind === 'payments' ? page.payments : page.requests).length > 0 ? 1 : 0);
    if (item.kind === 'payments') page.payments.push(item.p);
    else page.requests.push(item.r);
  }
  pages.push(page);
  pages[0] = { ...pages[0]!, pages: pages.length };
  return pages;
}

/**
 * Fills pages with the book's entries by creation time, each under MAX_PAGE_PLAINTEXT: contacts
 * and the page count on page 0. Throws when the book needs more than MAX_PAGES pages.
 */
export function paginate(book: BookSnapshot): BackupPage[] {
  const pages = fill(itemsOf(book), book.contacts, MAX_PAGES);
  if (!pages) throw new Error(`the payment book needs more than ${MAX_PAGES} backup pages`);
  return pages;
}

/** A book that outgrows MAX_PAGES keeps its newest entries in this many pages, leaving room to grow. */
export const TRIM_PAGES = 48;

export interface BookLayout {
  readonly pages: BackupPage[];
  /** Entries created before this (unix ms) are left out; 0 when none are. */
  readonly since: number;
  readonly omitted: number;
}

/**
 * The pages of a book that may be larger than the backup holds. Entries before `since` (the last
 * layout's cut) stay out, so the pages do not shift with every new entry; when the rest overflows,
 * a new cut keeps the newest entries that fit in TRIM_PAGES pages.
 */
export function layoutBook(book: BookSnapshot, since = 0): BookLayout {
  const all = itemsOf(book);
  const kept = all.filter((i) => createdAt(i) >= since);
  const pages = fill(kept, book.contacts, MAX_PAGES);
  if (pages) return { pages, since: kept.length === all.length ? 0 : since, omitted: all.length - kept.length };
  // The newest entries that fit (binary search on how many are kept, cut at a creation time).
  let lo = 0;
  let hi = kept.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fill(kept.slice(kept.length - mid), book.contacts, TRIM_PAGES)) lo = mid;
    else hi = mid;
  }
  const first = kept[kept.length - lo];
  const cut = first ? createdAt(first) : Number.MAX_SAFE_INTEGER;
  const newest = all.filter((i) => createdAt(i) >= cut);
  // Thousands of entries in one millisecond could overflow again; then the cut is by count.
  const pages2 =
    fill(newest, book.contacts, MAX_PAGES) ?? fill(kept.slice(kept.length - lo), book.contacts, MAX_PAGES)!;
  return { pages: pages2, since: cut, omitted: all.length - newest.length };
}

/** The digest the identity key signs to make the backup key (never published). */
export function backupKeyDigest(did: string): Uint8Array {
  return doubleSha256(utf8.encode(`${KEY_TAG}\n${did}`));
}

/**
 * The 32-byte key of `did`'s backup from its key's signature of backupKeyDigest: RFC 6979
 * signatures are deterministic, so the same seed gives the same key, and only its holder can.
 */
export function backupKey(signature: Uint8Array, did: string): Uint8Array {
  if (signature.length !== 65) throw new Error('a did:is signature is 65 bytes');
  return hkdf(sha256, signature, utf8.encode(HKDF_SALT), utf8.encode(did), 32);
}

/** Hex SHA-256 of a page's plaintext: an unchanged page is not sealed and published again. */
export function pageHash(page: BackupPage): string {
  return Array.from(sha256(utf8.encode(JSON.stringify(page))), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sealPage(page: BackupPage, key: Uint8Array, did: string): Promise<string> {
  return new CompactEncrypt(utf8.encode(JSON.stringify(BackupPage.parse(page))))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'json', iss: did })
    .encrypt(key);
}

/** Opens a page; anything that does not decrypt or parse is refused (a page never half-read). */
export async function openPage(jwe: string, key: Uint8Array, did: string): Promise<BackupPage> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  if (protectedHeader.iss !== did) throw new Error('the backup names another identity');
  if (plaintext.length > MAX_PAGE_PLAINTEXT) throw new Error('the backup page is larger than a page may be');
  return BackupPage.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
