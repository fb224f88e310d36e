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

/**
 * Fills pages in order, each under MAX_PAGE_PLAINTEXT: contacts on page 0, then payments and
 * requests oldest first. Throws when the book needs more than MAX_PAGES pages.
 */
export function paginate(book: BookSnapshot): BackupPage[] {
  const pages: BackupPage[] = [{ v: 1, page: 0, pages: 1, payments: [], requests: [], contacts: [...book.contacts] }];
  const items: Array<{ kind: 'payments'; p: BackupPayment } | { kind: 'requests'; r: BackupRequest }> = [
    ...book.payments.map((p) => ({ kind: 'payments' as const, p })),
    ...book.requests.map((r) => ({ kind: 'requests' as const, r })),
  ];
  for (const item of items) {
    let last = pages[pages.length - 1]!;
    const add = (page: BackupPage): BackupPage =>
      item.kind === 'payments'
        ? { ...page, payments: [...page.payments, item.p] }
        : { ...page, requests: [...page.requests, item.r] };
    if (size(add(last)) > MAX_PAGE_PLAINTEXT) {
      if (pages.length === MAX_PAGES) throw new Error(`the payment book needs more than ${MAX_PAGES} backup pages`);
      last = { v: 1, page: pages.length, payments: [], requests: [] };
      pages.push(last);
      if (size(add(last)) > MAX_PAGE_PLAINTEXT) throw new Error('one book entry is larger than a backup page');
    }
    pages[pages.length - 1] = add(last);
  }
  pages[0] = { ...pages[0]!, pages: pages.length };
  return pages;
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
