// JSON-RPC client for Bitcoin-Core-family daemons (bitcoind, litecoind and forks) over HTTP.
// Read-only calls are retried through restarts and warm-up; calls that move coins never are.
// Every failure surfaces as an ApiError (see rpc-errors.ts); fractional numbers stay exact.
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { amountFromCoinJson } from '../../src-shared/money/index.ts';
import { isTransient, mapRpcFailure, type RpcFailure } from './rpc-errors.ts';

/**
 * An amount in a daemon reply, read by schema: a number with a fraction arrives as its exact source
 * text (parseCoinJson), a whole number as a number. Turn it into base units with amountFromCoinJson.
 */
export const CoinJsonAmount = z.union([z.string(), z.number()]);

export type RpcAuth = { username: string; password: string } | { cookiePath: string };

/** Where a daemon listens and how to log in; `wallet` routes wallet calls to /wallet/<name>. */
export interface RpcEndpoint {
  host: string;
  port: number;
  auth: RpcAuth;
  /** Wallet name inside a multi-wallet daemon ('' is the daemon's default wallet). */
  wallet?: string;
}

export interface RetryPolicy {
  /** Give up retrying once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface RpcClientOptions extends RpcEndpoint {
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Retry policy for read-only methods; false turns retries off. */
  retry?: RetryPolicy | false;
  /** Names the daemon in error messages ("No Litecoin daemon answers at ..."). */
  family?: 'bitcoin' | 'litecoin';
  /**
   * Request envelope. '1.0' (default) works with every Bitcoin-Core-family daemon; '2.0' gets
   * strict JSON-RPC 2.0 replies from Bitcoin Core 28+. Replies of both kinds are understood.
   */
  jsonrpc?: '1.0' | '2.0';
  /** Decimal places of the coin's amounts, for amount(); default 8. */
  decimals?: number;
  /** Replies larger than this are refused (a hostile or confused server cannot exhaust memory). */
  maxResponseBytes?: number;
}

export interface CallOptions {
  /** Route to /wallet/<name> when the client has a wallet (default true). */
  wallet?: boolean;
  timeoutMs?: number;
  /** false: one attempt only, even for read-only methods (status views that must answer fast). */
  retry?: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { maxElapsedMs: 15_000, initialDelayMs: 200, maxDelayMs: 2_000 };
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

/**
 * Methods that change nothing, so running one twice is harmless. Only these are retried:
 * a timed-out `sendtoaddress` may have gone through, and sending it again pays twice.
 */
export const RETRYABLE_METHODS: ReadonlySet<string> = new Set([
  'getblockchaininfo',
  'getblockcount',
  'getbestblockhash',
  'getblockhash',
  'getblockheader',
  'getblock',
  'getblockstats',
  'getchaintips',
  'getdifficulty',
  'getmempoolinfo',
  'getmempoolentry',
  'getmempoolancestors',
  'getmempooldescendants',
  'getrawmempool',
  'gettxout',
  'gettxoutproof',
  'getrawtransaction',
  'decoderawtransaction',
  'decodescript',
  'getnetworkinfo',
  'getpeerinfo',
  'getconnectioncount',
  'uptime',
  'estimatesmartfee',
  'validateaddress',
  'getwalletinfo',
  'getbalances',
  'getbalance',
  'listunspent',
  'listwallets',
  'listwalletdir',
  'listlockunspent',
  'gettransaction',
  'listtransactions',
  'listsinceblock',
  'getaddressinfo',
  'getreceivedbyaddress',
  'testmempoolaccept',
]);

/**
 * JSON numbers with a fraction or exponent (amounts, fee rates) arrive as their exact source
 * text, e.g. "50.00000000", never as floats; so do integers beyond 2^53. Read amounts with
 * amountFromCoinJson. Other integers (heights, confirmations, vout) stay numbers.
 */
export type CoinDecimal = string;

export function parseCoinJson(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) => {
    if (typeof value !== 'number') return value;
    const source = context?.source;
    if (source === undefined) return value;
    return /[.eE]/.test(source) || !Number.isSafeInteger(value) ? source : value;
  });
}

export class RpcClient {
  readonly host: string;
  readonly port: number;
  readonly wallet: string | undefined;
  readonly auth: RpcAuth;
  readonly family: 'bitcoin' | 'litecoin' | undefined;
  private readonly options: RpcClientOptions;
  private cookieHeader: string | undefined;
  private nextId = 1;

  constructor(options: RpcClientOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port;
    this.wallet = options.wallet;
    this.auth = options.auth;
    this.family = options.family;
  }

  /** "host:port", for messages and status views. */
  get endpoint(): string {
    return `${this.host}:${this.port}`;
  }

  /** The same daemon and credentials, routed to another wallet (undefined: none). */
  forWallet(wallet: string | undefined): RpcClient {
    const { wallet: _old, ...rest } = this.options;
    return new RpcClient(wallet === undefined ? rest : { ...rest, wallet });
  }

  /** A call whose result is an amount (getbalance, getreceivedbyaddress), in base units. */
  async amount(method: string, params: readonly unknown[] = [], opts: CallOptions = {}): Promise<bigint> {
    const value = await this.call(method, params, opts);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ApiError(
        'WALLET_RPC_ERROR',
        `The daemon at ${this.endpoint} answered ${method} with something that is not an amount.`,
        { method },
      );
    }
    try {
      return amountFromCoinJson(value, this.options.decimals ?? 8);
    } catch {
      throw new ApiError(
        'WALLET_RPC_ERROR',
        `The daemon at ${this.endpoint} answered ${method} with "${String(value).slice(0, 40)}", which is not an amount.`,
        { method },
      );
    }
  }

  /** A call whose reply must match `schema`; anything else is WALLET_RPC_ERROR, never a crash later. */
  async callAs<T>(
    schema: z.ZodType<T>,
    method: string,
    params: readonly unknown[] = [],
    opts: CallOptions = {},
  ): Promise<T> {
    const reply = await this.call(method, params, opts);
    const parsed = schema.safeParse(reply);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new ApiError(
        'WALLET_RPC_ERROR',
        `The daemon at ${this.endpoint} answered ${method} with a reply Hashlock does not understand${where}. Is it a Bitcoin-Core-family daemon?`,
        { method, issue: issue?.message },
      );
    }
    return parsed.data;
  }

  /** The daemon's reply as is, unknown: read it with callAs(schema) (or `amount`), never by a cast. */
  async call(method: string, params: readonly unknown[] = [], opts: CallOptions = {}): Promise<unknown> {
    const routeToWallet = opts.wallet !== false && this.wallet !== undefined;
    const policy =
      this.options.retry === false || opts.retry === false || !RETRYABLE_METHODS.has(method)
        ? undefined
        : (this.options.retry ?? DEFAULT_RETRY);
    const started = Date.now();
    let delay = policy?.initialDelayMs ?? 0;
    let cookieReread = false;
    for (;;) {
      const outcome = await this.attempt(
        method,
        params,
        routeToWallet,
        opts.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      if (outcome.ok) return outcome.result;
      const failure = outcome.failure;
      // A 401 is answered before the method runs, so one more try with a freshly read cookie
      // is safe for every method: the daemon may have restarted and rotated it.
      if (failure.kind === 'http' && failure.status === 401 && 'cookiePath' in this.auth && !cookieReread) {
        cookieReread = true;
        this.cookieHeader = undefined;
        continue;
      }
      if (policy && isTransient(failure) && Date.now() - started + delay <= policy.maxElapsedMs) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, policy.maxDelayMs);
        this.cookieHeader = undefined;
        continue;
      }
      throw mapRpcFailure(failure, {
        method,
        host: this.host,
        port: this.port,
        family: this.family,
        auth: 'cookiePath' in this.auth ? 'cookie' : 'password',
        ...('cookiePath' in this.auth ? { cookiePath: this.auth.cookiePath } : {}),
        ...(routeToWallet ? { wallet: this.wallet } : {}),
      });
    }
  }

  private async attempt(
    method: string,
    params: readonly unknown[],
    routeToWallet: boolean,
    timeoutMs: number,
  ): Promise<{ ok: true; result: unknown } | { ok: false; failure: RpcFailure }> {
    const authorization = await this.authorization();
    if (typeof authorization !== 'string') return { ok: false, failure: authorization };
    const id = this.nextId++;
    const path = routeToWallet ? `/wallet/${encodeURIComponent(this.wallet ?? '')}` : '/';
    const body = JSON.stringify({ jsonrpc: this.options.jsonrpc ?? '1.0', id, method, params });
    let reply: { status: number; text: string };
    try {
      reply = await post(
        { host: this.host.replace(/^\[(.*)\]$/, '$1'), port: this.port, path, authorization },
        body,
        timeoutMs,
        this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      );
    } catch (err) {
      return { ok: false, failure: classifyRequestError(err, timeoutMs) };
    }
    return interpretReply(reply.status, reply.text, id);
  }

  private async authorization(): Promise<string | RpcFailure> {
    const auth = this.auth;
    if ('username' in auth) return basic(auth.username, auth.password);
    if (this.cookieHeader !== undefined) return this.cookieHeader;
    let cookie: string;
    try {
      cookie = (await readFile(auth.cookiePath, 'utf8')).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      return code === 'ENOENT'
        ? { kind: 'cookie-missing', cookiePath: auth.cookiePath }
        : { kind: 'cookie-unreadable', cookiePath: auth.cookiePath, cause: code };
    }
    const colon = cookie.indexOf(':');
    if (colon < 1)
      return { kind: 'cookie-unreadable', cookiePath: auth.cookiePath, cause: 'not a user:password cookie' };
    this.cookieHeader = basic(cookie.slice(0, colon), cookie.slice(colon + 1));
    return this.cookieHeader;
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';
}

class RequestTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * One POST on its own connection, as the coin's own CLI does: a kept-alive socket delays the
 * daemon's shutdown by seconds, and a stale one after a restart would fail a send. node:http, not
 * fetch: fetch cost ~4 times the CPU a call here (~1 ms against ~0.25 ms, measured) and loads
 * undici into every node at its first call; a node asks its daemons several times a second.
 * The whole exchange, body included, must end within `timeoutMs`; a reply over `maxBytes` is refused.
 */
function post(
  to: { host: string; port: number; path: string; authorization: string },
  body: string,
  timeoutMs: number,
  maxBytes: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: to.host,
      port: to.port,
      method: 'POST',
      path: to.path,
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: to.authorization,
        connection: 'close',
      },
    });
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new RequestTimeout(`no reply in ${timeoutMs} ms`)), timeoutMs);
    req.once('error', fail);
    req.once('response', (res) => {
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        fail(new ResponseTooLarge(`reply of ${declared} bytes is over the ${maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > maxBytes) fail(new ResponseTooLarge(`reply is over the ${maxBytes}-byte limit`));
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}

/** Connection-level failures: which of them mean "nobody there" vs "too slow". */
function classifyRequestError(err: unknown, timeoutMs: number): RpcFailure {
  if (err instanceof ResponseTooLarge) return { kind: 'garbage', reason: err.message };
  if (err instanceof RequestTimeout) return { kind: 'timeout', timeoutMs };
  const code = errorCode(err);
  if (code?.startsWith('HPE_')) return { kind: 'garbage', reason: 'the port does not answer in HTTP' };
  return { kind: 'unreachable', cause: code ?? (err instanceof Error ? err.message : 'unknown error') };
}

function errorCode(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const code = (x as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Dual-stack names ("localhost") fail per address: AggregateError with one error each.
  const errors = (x as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

/** Makes sense of an HTTP reply: JSON-RPC 1.0 (errors with HTTP 500/404) or 2.0 (errors with 200). */
export function interpretReply(
  status: number,
  text: string,
  id: number,
): { ok: true; result: unknown } | { ok: false; failure: RpcFailure } {
  if (status === 401 || status === 403 || status === 503) return { ok: false, failure: { kind: 'http', status } };
  let body: unknown;
  try {
    body = text.length > 0 ? parseCoinJson(text) : undefined;
  } catch {
    return {
      ok: false,
      failure:
        status === 200
          ? { kind: 'garbage', reason: 'the body is not JSON', httpStatus: status }
          : { kind: 'http', status },
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      failure:
        status === 200
          ? { kind: 'garbage', reason: 'the body is not a JSON object', httpStatus: status }
          : { kind: 'http', status },
    };
  }
  const reply = body as { result?: unknown; error?: unknown; id?: unknown };
  if (reply.id !== undefined && reply.id !== null && reply.id !== id) {
    return { ok: false, failure: { kind: 'garbage', reason: 'the reply answers another request', httpStatus: status } };
  }
  if (reply.error !== undefined && reply.error !== null) {
    const e = reply.error as { code?: unknown; message?: unknown };
    if (typeof e !== 'object' || typeof e.code !== 'number' || typeof e.message !== 'string') {
      return {
        ok: false,
        failure: { kind: 'garbage', reason: 'the error has no numeric code and message', httpStatus: status },
      };
    }
    return { ok: false, failure: { kind: 'rpc', code: e.code, message: e.message.slice(0, 2000) } };
  }
  if (status !== 200) return { ok: false, failure: { kind: 'http', status } };
  if (!('result' in reply))
    return {
      ok: false,
      failure: { kind: 'garbage', reason: 'the reply has neither result nor error', httpStatus: status },
    };
  return { ok: true, result: reply.result };
}
