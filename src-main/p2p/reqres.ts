// Request/response over libp2p streams: one length-prefixed JSON request, one length-prefixed JSON
// response `{ok:true, body} | {ok:false, error:{code,message}}` per stream, under a deadline.
// The serving side bounds, rate-limits and scores; the asking side bounds and checks the answer.
import { isCoded } from '../../src-shared/errors.ts';
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils';
import type { Stream } from '@libp2p/interface';
import { ApiError, type ErrorCode } from '../../src-shared/api/errors.ts';
import {
  decodeJson,
  decodeResponse,
  encodeJson,
  errorResponse,
  okResponse,
  sanitizeRemoteText,
  type ReqResResponse,
} from '../../src-shared/protocol/reqres.ts';
import type { Offence } from './limits.ts';

export interface RequestContext {
  peerId: string;
  protocol: string;
}

/** Handlers get the parsed JSON as `unknown` and validate it (zod). Throw ApiError to answer with its code. */
export type RequestHandler = (req: unknown, ctx: RequestContext) => Promise<unknown>;

export interface ServeDeps {
  maxRequestBytes: number;
  maxResponseBytes: number;
  timeoutMs: number;
  /** Spends one token of the peer's request budget; false when it is over the limit. */
  allowRequest(peerId: string): boolean;
  penalize(peerId: string, offence: Offence, detail: string): void;
  log(message: string): void;
  /** Frame bytes read and written (traffic metrics). */
  onBytes?(direction: 'in' | 'out', n: number): void;
}

/** ApiError codes a handler throws when the peer sent a request of the wrong shape. */
const MALFORMED_CODES: readonly ErrorCode[] = ['INVALID_PARAMS', 'BAD_REQUEST'];

export async function serveRequest(
  stream: Stream,
  ctx: RequestContext,
  handler: RequestHandler,
  deps: ServeDeps,
): Promise<void> {
  const signal = AbortSignal.timeout(deps.timeoutMs);
  const lp = lpStream(stream, { maxDataLength: deps.maxRequestBytes, maxBufferSize: deps.maxRequestBytes + 16 });
  try {
    if (!deps.allowRequest(ctx.peerId)) {
      deps.penalize(ctx.peerId, 'rateLimited', `request on ${ctx.protocol}`);
      await reply(lp, stream, errorResponse('RATE_LIMITED', 'Too many requests; slow down.'), signal);
      return;
    }
    let frame: Uint8Array;
    try {
      frame = (await lp.read({ signal })).subarray();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'InvalidDataLengthError')
        deps.penalize(ctx.peerId, 'oversize', `request over ${deps.maxRequestBytes} bytes on ${ctx.protocol}`);
      else if (name === 'InvalidDataLengthLengthError' || name === 'InvalidMessageLengthError')
        deps.penalize(ctx.peerId, 'malformed', `bad length prefix on ${ctx.protocol}`);
      // An oversize frame resets the stream: reading on would mean buffering what we refused.
      stream.abort(err as Error);
      return;
    }
    deps.onBytes?.('in', frame.length);
    const json = decodeJson(frame);
    if (!json.ok) {
      deps.penalize(ctx.peerId, 'malformed', `request is ${json.reason} on ${ctx.protocol}`);
      await reply(lp, stream, errorResponse('BAD_REQUEST', 'The request is not valid UTF-8 JSON.'), signal);
      return;
    }
    const answer = await runHandler(handler, json.value, ctx, deps);
    deps.onBytes?.('out', answer.length);
    await reply(lp, stream, answer, signal);
  } catch (err) {
    deps.log(`request stream from ${ctx.peerId} on ${ctx.protocol} failed: ${(err as Error).message}`);
    stream.abort(err as Error);
  }
}

async function runHandler(
  handler: RequestHandler,
  req: unknown,
  ctx: RequestContext,
  deps: ServeDeps,
): Promise<Uint8Array> {
  let response: ReqResResponse;
  try {
    response = okResponse(await handler(req, ctx));
  } catch (err) {
    if (err instanceof ApiError) {
      if (MALFORMED_CODES.includes(err.code))
        deps.penalize(ctx.peerId, 'malformed', `invalid request on ${ctx.protocol}`);
      response = { ok: false, error: { code: err.code, message: sanitizeRemoteText(err.message, 500) } };
    } else {
      deps.log(`handler for ${ctx.protocol} failed: ${(err as Error).stack ?? String(err)}`);
      response = errorResponse('INTERNAL', 'The peer could not handle the request.');
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = encodeJson(response);
  } catch (err) {
    if (!isCoded(err, 'NOT_JSON_ENCODABLE')) throw err;
    deps.log(`handler for ${ctx.protocol} returned a value that is not JSON: ${err.message}`);
    bytes = encodeJson(errorResponse('INTERNAL', 'The peer could not encode its answer.'));
  }
  if (bytes.length > deps.maxResponseBytes) {
    deps.log(`handler for ${ctx.protocol} returned ${bytes.length} bytes, over the ${deps.maxResponseBytes} byte cap`);
    bytes = encodeJson(errorResponse('TOO_LARGE', 'The answer is too large to send.'));
  }
  return bytes;
}

async function reply(
  lp: LengthPrefixedStream<Stream>,
  stream: Stream,
  response: ReqResResponse | Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  await lp.write(response instanceof Uint8Array ? response : encodeJson(response), { signal });
  await stream.close({ signal });
}

export type RequestFailure =
  'banned' | 'too-large' | 'unreachable' | 'unsupported' | 'timeout' | 'reset' | 'bad-response' | 'remote';

const FAILURE_CODES: Record<RequestFailure, ErrorCode> = {
  banned: 'PEER_REFUSED',
  'too-large': 'INVALID_PARAMS',
  unreachable: 'PEER_UNREACHABLE',
  unsupported: 'PEER_REFUSED',
  timeout: 'PEER_UNREACHABLE',
  reset: 'PEER_UNREACHABLE',
  'bad-response': 'P2P_ERROR',
  remote: 'PEER_REFUSED',
};

/** Why a request to a peer got no successful answer; `remoteCode` when the peer answered `{ok:false}`. */
export interface PeerFailure {
  reason: RequestFailure;
  remoteCode?: string;
}

/** A request that did not get a successful answer: an ApiError whose details say why. */
export function peerRequestError(reason: RequestFailure, message: string, remoteCode?: string): ApiError {
  const details: PeerFailure = remoteCode === undefined ? { reason } : { reason, remoteCode };
  return new ApiError(FAILURE_CODES[reason], message, details);
}

/** The failure of a request to a peer, or undefined when `err` is anything else. */
export function peerFailure(err: unknown): PeerFailure | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || !Object.hasOwn(FAILURE_CODES, reason)) return undefined;
  if (FAILURE_CODES[reason as RequestFailure] !== err.code) return undefined;
  return err.details as PeerFailure;
}

export interface AskDeps {
  openStream(signal: AbortSignal): Promise<Stream>;
  maxResponseBytes: number;
  timeoutMs: number;
  penalize(offence: Offence, detail: string): void;
  onBytes?(direction: 'in' | 'out', n: number): void;
}

/** A yamux stream's receive window when it opens: the spec's 256 KiB, which both ends assume. */
const YAMUX_INITIAL_WINDOW = 256 * 1024;
/** The largest window @chainsafe/libp2p-yamux grows a stream's to. */
const YAMUX_MAX_WINDOW = 16 * 1024 * 1024;

/**
 * Lets the peer send up to `bytes` on a stream this node opened without waiting for us: one yamux
 * window update (which any yamux peer honours), instead of 256 KiB a round trip. An answer of a
 * few MB otherwise stalls whenever this node's thread is busy (the peer waits for each window
 * update): a 100,000-record identity join took 12.1-13.3 s with the default window, 10.7-13.1 s
 * (median 12.4 s) with the whole answer granted (docs/p2p.md). Only for answers we asked for and
 * cap ourselves; a peer's requests keep the default window. False where the stream is not a yamux stream of the shape
 * this knows (the default window then stays: slower, still correct).
 */
export function widenReceiveWindow(stream: Stream, bytes: number): boolean {
  const s = stream as unknown as { recvWindow?: unknown; sendWindowUpdate?: unknown };
  if (typeof s.recvWindow !== 'number' || typeof s.sendWindowUpdate !== 'function') return false;
  const want = Math.min(bytes, YAMUX_MAX_WINDOW);
  if (want <= Math.max(s.recvWindow, YAMUX_INITIAL_WINDOW)) return false;
  s.recvWindow = want;
  (s.sendWindowUpdate as () => void).call(stream);
  return true;
}

/** Sends `requestBytes` and returns the answer's body; throws peerRequestError otherwise. */
export async function askPeer(requestBytes: Uint8Array, peerLabel: string, deps: AskDeps): Promise<unknown> {
  const signal = AbortSignal.timeout(deps.timeoutMs);
  let stream: Stream;
  try {
    stream = await deps.openStream(signal);
  } catch (err) {
    if (signal.aborted) throw peerRequestError('timeout', `The peer ${peerLabel} did not answer in time.`);
    if ((err as Error).name === 'UnsupportedProtocolError')
      throw peerRequestError('unsupported', `The peer ${peerLabel} does not offer this service.`);
    throw peerRequestError('unreachable', `Could not reach the peer ${peerLabel}: ${(err as Error).message}`);
  }
  let frame: Uint8Array;
  try {
    widenReceiveWindow(stream, deps.maxResponseBytes + 16);
    const lp = lpStream(stream, { maxDataLength: deps.maxResponseBytes, maxBufferSize: deps.maxResponseBytes + 16 });
    await lp.write(requestBytes, { signal });
    deps.onBytes?.('out', requestBytes.length);
    frame = (await lp.read({ signal })).subarray();
    deps.onBytes?.('in', frame.length);
    await stream.close({ signal }).catch(() => undefined);
  } catch (err) {
    stream.abort(err as Error);
    if ((err as Error).name === 'InvalidDataLengthError') {
      deps.penalize('oversize', `response over ${deps.maxResponseBytes} bytes`);
      throw peerRequestError('bad-response', `The peer ${peerLabel} sent an answer that is too large.`);
    }
    if (signal.aborted) throw peerRequestError('timeout', `The peer ${peerLabel} did not answer in time.`);
    throw peerRequestError('reset', `The peer ${peerLabel} closed the request without answering.`);
  }
  const decoded = decodeResponse(frame);
  if (!decoded.ok) {
    deps.penalize('badResponse', `response is ${decoded.reason}`);
    throw peerRequestError('bad-response', `The peer ${peerLabel} sent an answer that is not valid.`);
  }
  const response = decoded.response;
  if (response.ok) return response.body;
  const code = sanitizeRemoteText(response.error.code, 64);
  throw peerRequestError(
    'remote',
    `The peer ${peerLabel} refused the request: ${sanitizeRemoteText(response.error.message)}`,
    code,
  );
}
