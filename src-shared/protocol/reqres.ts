// Wire framing for the p2p request/response protocols: one JSON request and one JSON response per
// stream, each a single length-prefixed frame. Bytes from peers are hostile, so decoding never
// throws: it reports why the bytes were refused, and the caller scores the peer.
import { CodedError } from '../errors.ts';
import { z } from 'zod';

/** Codes a responder may put in `{ok:false, error}`. Peers may send others; treat unknown ones as errors. */
export const REQRES_ERROR_CODES = [
  'BAD_REQUEST',
  'RATE_LIMITED',
  'TOO_LARGE',
  'NOT_FOUND',
  'REFUSED',
  'INTERNAL',
] as const;
export type ReqResErrorCode = (typeof REQRES_ERROR_CODES)[number];

export const MAX_REMOTE_ERROR_CODE_CHARS = 64;
export const MAX_REMOTE_ERROR_MESSAGE_CHARS = 500;

export const ReqResError = z.object({
  code: z.string().min(1).max(MAX_REMOTE_ERROR_CODE_CHARS),
  message: z.string().max(MAX_REMOTE_ERROR_MESSAGE_CHARS),
});
export type ReqResError = z.infer<typeof ReqResError>;

export const ReqResResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), body: z.unknown() }),
  z.object({ ok: z.literal(false), error: ReqResError }),
]);
export type ReqResResponse = { ok: true; body: unknown } | { ok: false; error: ReqResError };

export type JsonDecodeResult = { ok: true; value: unknown } | { ok: false; reason: 'not-utf8' | 'not-json' };

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const utf8Encoder = new TextEncoder();

/**
 * A handler's answer already written as JSON text: sent as it is instead of being stringified (an
 * identity fetch answer is ~2.7 MB of records that need no escaping). Its writer answers for it
 * being one JSON value; the asking side parses and checks it like any answer.
 */
export class JsonText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Parses UTF-8 JSON without throwing. Invalid UTF-8 is refused rather than replaced. */
export function decodeJson(bytes: Uint8Array): JsonDecodeResult {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}

/** JSON bytes of `value`. bigint and undefined at the top level are refused: amounts travel as decimal strings. */
export function encodeJson(value: unknown): Uint8Array {
  const body = (value as { body?: unknown } | null)?.body;
  if (body instanceof JsonText && (value as ReqResResponse).ok) {
    return utf8Encoder.encode(`{"ok":true,"body":${body.text}}`);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new CodedError('NOT_JSON_ENCODABLE', `value cannot be sent as JSON: ${(err as Error).message}`);
  }
  if (text === undefined)
    throw new CodedError('NOT_JSON_ENCODABLE', 'value cannot be sent as JSON: it is undefined or a function');
  return utf8Encoder.encode(text);
}

export function okResponse(body: unknown): ReqResResponse {
  return { ok: true, body: body === undefined ? null : body };
}

export function errorResponse(code: ReqResErrorCode, message: string): ReqResResponse {
  return { ok: false, error: { code, message: truncate(message, MAX_REMOTE_ERROR_MESSAGE_CHARS) } };
}

export type ResponseDecodeResult =
  { ok: true; response: ReqResResponse } | { ok: false; reason: 'not-utf8' | 'not-json' | 'bad-envelope' };

/** Decodes a response frame; anything but a well-formed envelope is refused. */
export function decodeResponse(bytes: Uint8Array): ResponseDecodeResult {
  const json = decodeJson(bytes);
  if (!json.ok) return json;
  const parsed = ReqResResponse.safeParse(json.value);
  if (!parsed.success) return { ok: false, reason: 'bad-envelope' };
  return { ok: true, response: parsed.data as ReqResResponse };
}

/** Text from a peer, made safe to show in logs and error messages: bounded, no control characters. */
export function sanitizeRemoteText(text: string, maxChars = 200): string {
  // eslint-disable-next-line no-control-regex
  return truncate(text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' '), maxChars);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
