// The pay flow as a pure machine, built so a payment leaves the wallet at most once: the
// runner persists 'sending' before the wallet is called, and after any doubt (crash, timeout,
// lost wallet) the wallet is searched for the payment's comment before anything is resent.
// docs/payments.md §6 has the table and the runner contract.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { lengthPrefixed } from './binding.ts';
import { paymentError, type PaymentErrorCode, type PaymentErrorData } from './errors.ts';

/** How long after a send began a "not found" is believed: longer than the wallet RPC timeout. */
export const SEND_SETTLE_MS = 120_000;
export const LOOKUP_BACKOFF_MIN_MS = 5_000;
export const LOOKUP_BACKOFF_MAX_MS = 300_000;
export const COMMENT_PREFIX = 'hashlock:pay:';

export const PAY_PHASES = ['ready', 'sending', 'reconciling', 'sent', 'confirmed', 'failed', 'canceled'] as const;
export type PayPhase = (typeof PAY_PHASES)[number];

export interface PayState {
  /** paymentKey(): one per request (and per deliberate repeat). */
  readonly key: string;
  readonly phase: PayPhase;
  readonly ticker: string;
  readonly address: string;
  readonly amount: bigint;
  /** The wallet transaction comment that finds this payment again. */
  readonly comment: string;
  /** Unix ms; undefined: the request does not expire. */
  readonly expiresAt: number | undefined;
  readonly requiredConfirmations: number;
  /** Sends started. */
  readonly attempts: number;
  readonly sendingSince: number | undefined;
  /** Failed lookups in a row, for the back-off. */
  readonly failedLookups: number;
  readonly txid: string | undefined;
  readonly confirmations: number;
  /** 'not-sent': a send was interrupted and the wallet shows nothing; the user decides. */
  readonly note: 'not-sent' | undefined;
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
  readonly updatedAt: number;
}

/** What the Pay page's card said when the user pressed Pay. */
export interface CardVerdict {
  readonly state: string;
  readonly blocked: boolean;
  readonly confirm: boolean;
}

export type PayEvent =
  | { readonly type: 'confirm'; readonly at: number; readonly card: CardVerdict; readonly acknowledged: boolean }
  | { readonly type: 'send-ok'; readonly at: number; readonly txid: string }
  /** definite: the wallet answered with an error or was never reached, so nothing was sent. */
  | { readonly type: 'send-failed'; readonly at: number; readonly definite: boolean; readonly error: ErrorWords }
  | { readonly type: 'restarted'; readonly at: number }
  | { readonly type: 'lookup-found'; readonly at: number; readonly txid: string }
  | { readonly type: 'lookup-not-found'; readonly at: number }
  | { readonly type: 'lookup-failed'; readonly at: number; readonly error: ErrorWords }
  | { readonly type: 'confirmations'; readonly at: number; readonly count: number }
  | { readonly type: 'cancel'; readonly at: number };

interface ErrorWords {
  readonly code: string;
  readonly message: string;
}

export type PayEffect =
  | {
      readonly type: 'send';
      readonly key: string;
      readonly ticker: string;
      readonly address: string;
      readonly amount: bigint;
      readonly comment: string;
    }
  | {
      readonly type: 'lookup';
      readonly key: string;
      readonly ticker: string;
      readonly address: string;
      readonly amount: bigint;
      readonly comment: string;
      /** Unix ms: the runner waits until then. */
      readonly notBefore: number;
    }
  /** Upsert the payment book entry (idempotent by key). */
  | { readonly type: 'record'; readonly key: string; readonly txid: string }
  | { readonly type: 'watch'; readonly key: string; readonly ticker: string; readonly txid: string };

export interface PayStep {
  readonly state: PayState;
  readonly effects: readonly PayEffect[];
  /** Set when the event was refused; the state is then unchanged. */
  readonly refused?: PaymentErrorData;
}

export interface PaymentKeyInput {
  readonly ticker: string;
  readonly address: string;
  readonly amount: bigint;
  /** The request's identity-nonce, when it has one. */
  readonly nonce?: Uint8Array;
  /** 0 for the first payment of a request; n to pay the same request again on purpose. */
  readonly again?: number;
}

const text = new TextEncoder();

/** Hex SHA-256 of the length-prefixed request fields: the same request scanned twice, one key. */
export function paymentKey(input: PaymentKeyInput): string {
  const again = input.again ?? 0;
  if (!Number.isSafeInteger(again) || again < 0) throw new Error('again is a count of deliberate repeats');
  return bytesToHex(
    sha256(
      lengthPrefixed([
        text.encode('hashlock payment key v1'),
        text.encode(input.ticker),
        text.encode(input.address),
        text.encode(input.amount.toString()),
        input.nonce ?? new Uint8Array(0),
        text.encode(String(again)),
      ]),
    ),
  );
}

export interface NewPayment {
  readonly key: string;
  readonly ticker: string;
  readonly address: string;
  readonly amount: bigint;
  readonly expiresAt: number | undefined;
  readonly requiredConfirmations: number;
  readonly at: number;
}

export function newPayment(p: NewPayment): PayState {
  if (p.amount <= 0n) throw paymentError('AMOUNT_ZERO', 'a payment sends more than zero');
  return {
    ...p,
    phase: 'ready',
    comment: `${COMMENT_PREFIX}${p.key}`,
    attempts: 0,
    sendingSince: undefined,
    failedLookups: 0,
    txid: undefined,
    confirmations: 0,
    note: undefined,
    lastError: undefined,
    updatedAt: p.at,
  };
}

/** A wallet transaction as `listtransactions` reports it (amount in base units, negative for sends). */
export interface WalletTx {
  readonly txid: string;
  readonly category: string;
  readonly address?: string;
  readonly amount: bigint;
  readonly comment?: string;
}

/** The txid of this payment in the wallet's list, found by its comment. */
export function findSentPayment(txs: readonly WalletTx[], comment: string): string | undefined {
  return txs.find((t) => t.category === 'send' && t.comment === comment)?.txid;
}

export function lookupBackoff(failedLookups: number): number {
  return Math.min(LOOKUP_BACKOFF_MAX_MS, LOOKUP_BACKOFF_MIN_MS * 2 ** Math.max(0, failedLookups - 1));
}

function refuse(state: PayState, code: PaymentErrorCode, message: string): PayStep {
  return { state, effects: [], refused: { code, message } };
}

const unchanged = (state: PayState): PayStep => ({ state, effects: [] });

const sendEffect = (s: PayState): PayEffect => ({
  type: 'send',
  key: s.key,
  ticker: s.ticker,
  address: s.address,
  amount: s.amount,
  comment: s.comment,
});

const lookupEffect = (s: PayState, notBefore: number): PayEffect => ({
  type: 'lookup',
  key: s.key,
  ticker: s.ticker,
  address: s.address,
  amount: s.amount,
  comment: s.comment,
  notBefore,
});

const settleTime = (s: PayState, settleMs: number) => (s.sendingSince ?? s.updatedAt) + settleMs;

function sent(s: PayState, txid: string, at: number): PayStep {
  const state: PayState = { ...s, phase: 'sent', txid, failedLookups: 0, lastError: undefined, updatedAt: at };
  return {
    state,
    effects: [
      { type: 'record', key: s.key, txid },
      { type: 'watch', key: s.key, ticker: s.ticker, txid },
    ],
  };
}

/**
 * `settleMs`: after a send whose outcome is unknown (a crash, a lost answer), how long the wallet is
 * given to show it before the payment counts as not sent (config `payments.sendSettleMs`).
 */
export function payTransition(s: PayState, e: PayEvent, settleMs: number = SEND_SETTLE_MS): PayStep {
  switch (e.type) {
    case 'confirm':
      return onConfirm(s, e);
    case 'send-ok':
      if (s.phase === 'sending' || s.phase === 'reconciling') return sent(s, e.txid, e.at);
      if (s.txid !== undefined && s.txid !== e.txid) {
        return refuse(
          s,
          'NOT_ALLOWED',
          `the wallet reported a second transaction ${e.txid} for a payment already sent`,
        );
      }
      return unchanged(s);
    case 'send-failed':
      if (s.phase !== 'sending') return unchanged(s);
      if (e.definite) return { state: { ...s, phase: 'failed', lastError: e.error, updatedAt: e.at }, effects: [] };
      return {
        state: { ...s, phase: 'reconciling', lastError: e.error, updatedAt: e.at },
        effects: [lookupEffect(s, settleTime(s, settleMs))],
      };
    case 'restarted':
      if (s.phase === 'sending' || s.phase === 'reconciling') {
        return {
          state: { ...s, phase: 'reconciling', updatedAt: e.at },
          effects: [lookupEffect(s, settleTime(s, settleMs))],
        };
      }
      if (s.phase === 'sent' && s.txid !== undefined) return { ...sent(s, s.txid, s.updatedAt), state: s };
      return unchanged(s);
    case 'lookup-found':
      return s.phase === 'reconciling' ? sent(s, e.txid, e.at) : unchanged(s);
    case 'lookup-not-found':
      if (s.phase !== 'reconciling') return unchanged(s);
      if (e.at < settleTime(s, settleMs)) {
        return { state: { ...s, updatedAt: e.at }, effects: [lookupEffect(s, settleTime(s, settleMs))] };
      }
      return {
        state: { ...s, phase: 'ready', note: 'not-sent', sendingSince: undefined, failedLookups: 0, updatedAt: e.at },
        effects: [],
      };
    case 'lookup-failed': {
      if (s.phase !== 'reconciling') return unchanged(s);
      const failedLookups = s.failedLookups + 1;
      const state = { ...s, failedLookups, lastError: e.error, updatedAt: e.at };
      return {
        state,
        effects: [lookupEffect(s, Math.max(e.at + lookupBackoff(failedLookups), settleTime(s, settleMs)))],
      };
    }
    case 'confirmations':
      if (s.phase !== 'sent' && s.phase !== 'confirmed') return unchanged(s);
      return {
        state: {
          ...s,
          phase: s.phase === 'confirmed' || e.count >= s.requiredConfirmations ? 'confirmed' : 'sent',
          confirmations: e.count,
          updatedAt: e.at,
        },
        effects: [],
      };
    case 'cancel':
      return onCancel(s, e.at);
  }
}

function onConfirm(s: PayState, e: Extract<PayEvent, { type: 'confirm' }>): PayStep {
  switch (s.phase) {
    case 'sending':
    case 'reconciling':
      return refuse(s, 'ALREADY_SENDING', 'this payment is already being sent; wait for the wallet to answer');
    case 'sent':
    case 'confirmed':
      return refuse(s, 'ALREADY_SENT', `this request was already paid (transaction ${s.txid})`);
    case 'canceled':
      return refuse(s, 'NOT_ALLOWED', 'this payment was canceled; open the request again to pay it');
    case 'ready':
    case 'failed':
      break;
  }
  if (e.card.blocked) {
    return refuse(s, 'CARD_BLOCKED', `Hashlock will not pay this request (${e.card.state}); see the card for why`);
  }
  if (e.card.confirm && !e.acknowledged) {
    return refuse(s, 'CONFIRMATION_NEEDED', 'confirm that you checked who you are paying before paying');
  }
  if (s.expiresAt !== undefined && e.at >= s.expiresAt) {
    return refuse(s, 'REQUEST_EXPIRED', 'this request has expired; ask the merchant for a new one');
  }
  const state: PayState = {
    ...s,
    phase: 'sending',
    attempts: s.attempts + 1,
    sendingSince: e.at,
    note: undefined,
    lastError: undefined,
    updatedAt: e.at,
  };
  return { state, effects: [sendEffect(state)] };
}

function onCancel(s: PayState, at: number): PayStep {
  switch (s.phase) {
    case 'ready':
    case 'failed':
      return { state: { ...s, phase: 'canceled', updatedAt: at }, effects: [] };
    case 'sending':
    case 'reconciling':
      return refuse(s, 'ALREADY_SENDING', 'this payment may already be on its way; wait until the wallet answers');
    case 'sent':
    case 'confirmed':
      return refuse(s, 'ALREADY_SENT', 'this payment was sent; a sent payment cannot be canceled');
    case 'canceled':
      return unchanged(s);
  }
}
