// Fetching content for the registry (docs/registry.md §3): http(s) with a byte cap, a total
// deadline and an idle timeout, redirects followed by hand and re-checked, private addresses
// refused where the socket connects (unless a test network allows them), and SHA-512 computed
// while the bytes stream; hashlock:// URIs come in chunks over the p2p overlay under the same caps.
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { ApiError } from '../../src-shared/api/errors.ts';
import { registryError, registryFail } from '../../src-shared/registry/errors.ts';
import { parseContentUri } from '../../src-shared/registry/fields.ts';
import { isPrivateAddress } from '../identity/index.ts';
import type { FetchConfig } from './config.ts';

export type FetchPolicy = Pick<FetchConfig, 'timeoutMs' | 'idleMs' | 'maxBytes' | 'maxRedirects' | 'allowPrivate'> & {
  readonly allowHosts?: readonly string[];
};

export interface Expected {
  readonly hash?: string;
  readonly size?: number;
}

export interface Fetched {
  readonly hash: string;
  readonly size: number;
  readonly contentType: string | null;
}

/** Chunks of a blob another node serves (`/hashlock/registry/content/1`). */
export interface OverlayPort {
  chunk(
    peerId: string,
    hash: string,
    offset: number,
    length: number,
    timeoutMs: number,
  ): Promise<{ size: number; data: Uint8Array }>;
}

/** Where fetched bytes go while they are hashed (a blob's temp file); undefined: hash only. */
export interface Sink {
  write(chunk: Uint8Array): Promise<void> | void;
}

export const OVERLAY_CHUNK = 512 * 1024;
const MIB = 1024 * 1024;

class Refused extends Error {
  override name = 'Refused';
}

const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) {
      return callback(new Refused(`${hostname} resolves to a private address`), '', 4);
    }
    if ((options as { all?: boolean }).all) {
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    }
    callback(null, list[0]!.address, list[0]!.family);
  });
};

const refusingAgents = {
  http: new http.Agent({ lookup: publicLookup }),
  https: new https.Agent({ lookup: publicLookup }),
};

function checkHost(url: URL, policy: FetchPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.allowHosts?.includes(url.host)) return;
  if (!policy.allowPrivate && (host === 'localhost' || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
    registryFail('ADDRESS_REFUSED', `${url.host} is a private or loopback address; this node does not fetch those`);
  }
}

/** Counts, caps and hashes the bytes as they arrive. */
function createMeter(expected: Expected, policy: FetchPolicy, sink: Sink | undefined) {
  const cap = Math.min(expected.size ?? policy.maxBytes, policy.maxBytes);
  const hasher = createHash('sha512');
  let size = 0;
  return {
    cap,
    async add(chunk: Uint8Array) {
      size += chunk.length;
      if (size > cap) {
        if (expected.size !== undefined && expected.size <= policy.maxBytes) {
          registryFail('SIZE_MISMATCH', `the content is longer than the record's ${expected.size} bytes`);
        }
        registryFail('CONTENT_TOO_LARGE', `the content is over this node's ${policy.maxBytes}-byte cap`);
      }
      hasher.update(chunk);
      await sink?.write(chunk);
    },
    finish(contentType: string | null): Fetched {
      const hash = hasher.digest('hex');
      if (expected.size !== undefined && size !== expected.size) {
        registryFail('SIZE_MISMATCH', `the content has ${size} bytes, the record says ${expected.size}`);
      }
      if (expected.hash !== undefined && hash !== expected.hash) {
        registryFail('CONTENT_MISMATCH', "the content's SHA-512 is not the record's hash", { got: hash });
      }
      return { hash, size, contentType };
    },
  };
}

/** Aborts on the total deadline or when no byte came for idleMs; `touch` re-arms the idle timer. */
function createDeadline(totalMs: number, idleMs: number) {
  const ctrl = new AbortController();
  let why: string | undefined;
  const stop = (w: string) => {
    why ??= w;
    ctrl.abort();
  };
  const total = setTimeout(() => stop(`no complete answer within ${totalMs} ms`), totalMs);
  let idle = setTimeout(() => stop(`no bytes for ${idleMs} ms`), idleMs);
  return {
    signal: ctrl.signal,
    touch() {
      clearTimeout(idle);
      idle = setTimeout(() => stop(`no bytes for ${idleMs} ms`), idleMs);
    },
    timedOut: () => why,
    clear() {
      clearTimeout(total);
      clearTimeout(idle);
    },
  };
}

/**
 * Fetches `uri` and checks it against `expected` (hash and size when known). Throws ApiError with
 * a registry reason: ADDRESS_REFUSED, FETCH_TIMEOUT, CONTENT_TOO_LARGE, SIZE_MISMATCH,
 * CONTENT_MISMATCH, URI_UNREACHABLE (details.status for HTTP answers), URI_INVALID.
 */
export async function fetchContent(
  uri: string,
  expected: Expected,
  policy: FetchPolicy,
  deps: { overlay?: OverlayPort; sink?: Sink } = {},
): Promise<Fetched> {
  const parsed = parseContentUri(uri);
  if ('problem' in parsed) registryFail('URI_INVALID', parsed.problem);
  const totalMs = policy.timeoutMs + Math.ceil((expected.size ?? 0) / MIB) * 1000;
  const deadline = createDeadline(totalMs, policy.idleMs);
  const meter = createMeter(expected, policy, deps.sink);
  try {
    if (parsed.scheme === 'hashlock') {
      if (!deps.overlay) registryFail('URI_UNREACHABLE', 'this node has no overlay to fetch hashlock URIs with');
      if (expected.hash !== undefined && parsed.hash !== expected.hash) {
        registryFail('CONTENT_MISMATCH', 'the hashlock URI names other content');
      }
      return await fetchOverlay(parsed.peerId, parsed.hash, meter, deadline, deps.overlay, policy);
    }
    return await fetchHttp(parsed.url, meter, deadline, policy);
  } catch (err) {
    const timedOut = deadline.timedOut();
    if (timedOut) throw registryError('FETCH_TIMEOUT', `${uri.slice(0, 200)}: ${timedOut}`);
    if (err instanceof ApiError) throw err;
    const e = err as Error & { code?: string; cause?: unknown };
    if (e instanceof Refused || e.cause instanceof Refused || /private address/.test(e.message)) {
      throw registryError('ADDRESS_REFUSED', `${uri.slice(0, 200)} resolves to a private address; not fetched`);
    }
    throw registryError(
      'URI_UNREACHABLE',
      `${uri.slice(0, 200)} could not be fetched: ${e.code ?? e.message}`.slice(0, 300),
    );
  } finally {
    deadline.clear();
  }
}

type Meter = ReturnType<typeof createMeter>;
type Deadline = ReturnType<typeof createDeadline>;

async function fetchHttp(first: string, meter: Meter, deadline: Deadline, policy: FetchPolicy): Promise<Fetched> {
  let url = new URL(first);
  for (let hop = 0; ; hop++) {
    checkHost(url, policy);
    const res = await axios.get<Readable>(url.href, {
      responseType: 'stream',
      maxRedirects: 0,
      signal: deadline.signal,
      validateStatus: () => true,
      decompress: false,
      proxy: false,
      headers: { Accept: '*/*', 'Accept-Encoding': 'identity' },
      ...(policy.allowPrivate || policy.allowHosts?.includes(url.host)
        ? {}
        : { httpAgent: refusingAgents.http, httpsAgent: refusingAgents.https }),
    });
    const body = res.data;
    const location = res.headers.location as string | undefined;
    if ([301, 302, 303, 307, 308].includes(res.status) && location) {
      body.destroy();
      if (hop >= policy.maxRedirects) registryFail('URI_UNREACHABLE', `more than ${policy.maxRedirects} redirects`);
      url = new URL(location, url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        registryFail('URI_UNREACHABLE', `a redirect to ${url.protocol} is not followed`);
      }
      continue;
    }
    if (res.status !== 200) {
      body.destroy();
      registryFail('URI_UNREACHABLE', `${url.href.slice(0, 200)} answered HTTP ${res.status}`, { status: res.status });
    }
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > meter.cap) {
      body.destroy();
      const reason = declared > policy.maxBytes ? 'CONTENT_TOO_LARGE' : 'SIZE_MISMATCH';
      registryFail(reason, `the server announces ${declared} bytes; at most ${meter.cap} are accepted`);
    }
    try {
      for await (const chunk of body) {
        deadline.touch();
        await meter.add(chunk as Uint8Array);
      }
    } finally {
      body.destroy();
    }
    const type = res.headers['content-type'];
    return meter.finish(typeof type === 'string' ? type.split(';')[0]!.trim().toLowerCase().slice(0, 127) : null);
  }
}

async function fetchOverlay(
  peerId: string,
  hash: string,
  meter: Meter,
  deadline: Deadline,
  overlay: OverlayPort,
  policy: FetchPolicy,
): Promise<Fetched> {
  let offset = 0;
  for (;;) {
    if (deadline.signal.aborted) throw new Error('aborted');
    const answer = await overlay.chunk(peerId, hash, offset, OVERLAY_CHUNK, Math.min(policy.idleMs, 30_000));
    deadline.touch();
    if (answer.size > meter.cap) {
      registryFail(
        answer.size > policy.maxBytes ? 'CONTENT_TOO_LARGE' : 'SIZE_MISMATCH',
        `the peer serves ${answer.size} bytes; at most ${meter.cap} are accepted`,
      );
    }
    if (answer.data.length === 0 && offset < answer.size)
      registryFail('URI_UNREACHABLE', 'the peer sent an empty chunk');
    await meter.add(answer.data);
    offset += answer.data.length;
    if (offset >= answer.size) return meter.finish(null);
  }
}

/** The URI state a fetch failure means (docs/registry.md §4.2). */
export function uriStateOf(err: unknown): { state: 'bad' | 'unreachable' | 'refused'; detail: string } {
  const details =
    err instanceof ApiError ? (err.details as { reason?: string; status?: number } | undefined) : undefined;
  const detail = (err as Error).message.slice(0, 300);
  switch (details?.reason) {
    case 'ADDRESS_REFUSED':
      return { state: 'refused', detail };
    case 'CONTENT_MISMATCH':
    case 'SIZE_MISMATCH':
    case 'CONTENT_TOO_LARGE':
    case 'URI_INVALID':
      return { state: 'bad', detail };
    case 'URI_UNREACHABLE':
      return { state: details.status !== undefined && details.status < 500 ? 'bad' : 'unreachable', detail };
    default:
      return { state: 'unreachable', detail };
  }
}
