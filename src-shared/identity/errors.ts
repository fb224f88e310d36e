// Why an identity record, message or credential was refused, as a stable reason code plus words.
// The refusal is an ApiError (identityError), so it crosses every API boundary as
// {code, message, details}; the reason (details.reason) is part of the public API: never rename
// one, only add.
import { ApiError, type ErrorCode } from '../api/errors.ts';
import { isCoded } from '../errors.ts';

export const IDENTITY_REASONS = [
  'JWS_MALFORMED',
  'JWS_TOO_LARGE',
  'HEADER_INVALID',
  'ALG_UNSUPPORTED',
  'KID_INVALID',
  'KID_MISMATCH',
  'SIGNATURE_MALFORMED',
  'SIGNATURE_HIGH_S',
  'SIGNATURE_WRONG_KEY',
  'PAYLOAD_NOT_JSON',
  'TYPE_UNKNOWN',
  'STATE_UNKNOWN',
  'IDENTIFIER_INVALID',
  'IAT_INVALID',
  'FIELD_INVALID',
  'FIELD_UNKNOWN',
  'FIELD_TOO_LONG',
  'HUBS_TOO_MANY',
  'IMAGE_INVALID',
  'TOMBSTONE_NOT_EMPTY',
  'DUPLICATE',
  'IAT_NOT_NEWER',
  'TIE_LOST',
  'REPLAY_AFTER_DELETE',
  'DELETED_BEFORE',
  'LINK_INVALID',
  'LINK_PROOF_INVALID',
  'LINK_CHAIN_UNKNOWN',
  'METADATA_INVALID',
  'METADATA_TOO_LARGE',
  'METADATA_KEY_WRONG',
  'BACKUP_INVALID',
  'CREDENTIAL_INVALID',
  'ATTESTATION_INVALID',
  'V2_INVALID',
  'RECONCILE_INVALID',
  'DID_INVALID',
  'NOT_FOUND',
] as const;

export type IdentityReason = (typeof IDENTITY_REASONS)[number];

/** Reasons that mean "valid, but older than or equal to what is stored": a conflict, not bad input. */
const CONFLICTS: ReadonlySet<IdentityReason> = new Set([
  'DUPLICATE',
  'IAT_NOT_NEWER',
  'TIE_LOST',
  'REPLAY_AFTER_DELETE',
  'DELETED_BEFORE',
]);

function apiCode(reason: IdentityReason): ErrorCode {
  if (reason === 'NOT_FOUND') return 'NOT_FOUND';
  return CONFLICTS.has(reason) ? 'CONFLICT' : 'INVALID_PARAMS';
}

/** An identity refusal: an ApiError whose details carry the reason (and any extra fields). */
export type IdentityError = ApiError & {
  readonly details: { readonly reason: IdentityReason; readonly [key: string]: unknown };
};

export function identityError(reason: IdentityReason, message: string, extra?: Record<string, unknown>): IdentityError {
  return new ApiError(apiCode(reason), message, { reason, ...extra }) as IdentityError;
}

export function fail(reason: IdentityReason, message: string, extra?: Record<string, unknown>): never {
  throw identityError(reason, message, extra);
}

export function isIdentityReason(x: unknown): x is IdentityReason {
  return typeof x === 'string' && (IDENTITY_REASONS as readonly string[]).includes(x);
}

/**
 * True when `err` is an identity refusal (with one of `reasons`, when given): an ApiError whose
 * details.reason is an identity reason and whose code is that reason's. The registry's refusals
 * have the same shape and share some reasons, so use it around identity code only.
 */
export function isIdentityError(err: unknown, ...reasons: IdentityReason[]): err is IdentityError {
  if (!isCoded(err, 'INVALID_PARAMS', 'CONFLICT', 'NOT_FOUND') || !(err instanceof ApiError)) return false;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  if (!isIdentityReason(reason) || apiCode(reason) !== err.code) return false;
  return reasons.length === 0 || reasons.includes(reason);
}

/** The reason of an identity refusal, or undefined when `err` is anything else. */
export function identityReason(err: unknown): IdentityReason | undefined {
  return isIdentityError(err) ? err.details.reason : undefined;
}

/** Whether a refusal is the normal outcome of stale or repeated data (never a peer offence). */
export function isConflict(reason: IdentityReason): boolean {
  return CONFLICTS.has(reason);
}
