// Why the registry refused a statement, a fetch, a query or a bucket rule: a stable reason code
// (details.reason, public API: never rename one, only add) plus words. Thrown as ApiError so it
// crosses every API boundary as {code, message, details}.
import { ApiError, type ErrorCode } from '../api/errors.ts';

export const REGISTRY_REASONS = [
  'NOT_CANONICAL',
  'TYPE_UNKNOWN',
  'VERSION_UNKNOWN',
  'FIELD_UNKNOWN',
  'FIELD_INVALID',
  'SIGNER_MISMATCH',
  'IAT_INVALID',
  'HASH_INVALID',
  'NAME_INVALID',
  'LANGUAGE_INVALID',
  'LICENCE_INVALID',
  'FORMAT_INVALID',
  'URI_INVALID',
  'URIS_TOO_MANY',
  'RELATION_INVALID',
  'PARTIES_INVALID',
  'COSIGN_SELF',
  'COSIGN_INVALID',
  'WITNESS_INVALID',
  'TRUST_SELF',
  'DEPTH_INVALID',
  'RULE_INVALID',
  'DUPLICATE',
  'STALE',
  'RECORD_UNKNOWN',
  'CONTENT_MISMATCH',
  'SIZE_MISMATCH',
  'CONTENT_TOO_LARGE',
  'CONTENT_UNREACHABLE',
  'URI_UNREACHABLE',
  'ADDRESS_REFUSED',
  'FETCH_TIMEOUT',
  'BUCKET_TOO_BIG',
  'NOT_FOUND',
] as const;

export type RegistryReason = (typeof REGISTRY_REASONS)[number];

/** Valid input that lost to what is stored: a conflict, not bad input (never a peer offence). */
const CONFLICTS: ReadonlySet<string> = new Set(['DUPLICATE', 'STALE', 'RECORD_UNKNOWN']);

function apiCode(reason: string): ErrorCode {
  if (reason === 'NOT_FOUND') return 'NOT_FOUND';
  return CONFLICTS.has(reason) ? 'CONFLICT' : 'INVALID_PARAMS';
}

export function registryError(reason: RegistryReason, message: string, extra?: Record<string, unknown>): ApiError {
  return new ApiError(apiCode(reason), message, { reason, ...extra });
}

export function registryFail(reason: RegistryReason, message: string, extra?: Record<string, unknown>): never {
  throw registryError(reason, message, extra);
}

/** The reason of a registry or identity refusal (identity's signature reasons pass through), or undefined. */
export function reasonOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

export function isConflictReason(reason: string | undefined): boolean {
  return reason !== undefined && CONFLICTS.has(reason);
}
