// Why an identity record, message or credential was refused, as a stable reason code plus words.
// IdentityError is an ApiError, so it crosses every API boundary as {code, message, details};
// the reason (details.reason) is part of the public API: never rename one, only add.
import { ApiError, type ErrorCode } from '../api/errors.ts';

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

export class IdentityError extends ApiError {
  override name = 'IdentityError';
  readonly reason: IdentityReason;
  constructor(reason: IdentityReason, message: string, extra?: Record<string, unknown>) {
    super(apiCode(reason), message, { reason, ...extra });
    this.reason = reason;
  }
}

export function fail(reason: IdentityReason, message: string, extra?: Record<string, unknown>): never {
  throw new IdentityError(reason, message, extra);
}

/** Whether a refusal is the normal outcome of stale or repeated data (never a peer offence). */
export function isConflict(reason: IdentityReason): boolean {
  return CONFLICTS.has(reason);
}
