// The headless node's API server on 127.0.0.1: JSON-RPC 2.0 over HTTP (bots, CLI), the
// WebSocket API (browser UI) and the built renderer as static files. Every API request needs
// the bearer token from the data directory; Host and Origin are checked against DNS rebinding.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { jsonRpcErrorNumber, WS_PROTOCOL, WS_TOKEN_PREFIX, type ApiErrorData } from '../../src-shared/api/index.ts';
import { RPC_PATH, WS_PATH, type CallFrame, type ReplyFrame } from '../../src-shared/api/wire.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Logger } from '../kernel/log.ts';
import type { HttpRoute } from '../kernel/module.ts';
import { matchRoute } from './routes.ts';
import { allows } from '../../src-shared/api/scopes.ts';
import { fileTokenAuthority, tokenHint, type Principal, type TokenAuthority } from '../tokens/index.ts';
import type { EventBus } from './events.ts';

export const MAX_BODY_BYTES = 1 << 20;
const MAX_WS_FRAME_BYTES = 1 << 20;
const MAX_BATCH = 50;

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export interface ApiServerOptions {
  dispatcher: Dispatcher;
  events: EventBus;
  /** Who holds a bearer token (named tokens with scopes); or `token`, the one admin token. */
  authority?: TokenAuthority;
  token?: string;
  port: number;
  /** Folder with the built renderer (index.html); omitted → API only. */
  staticDir?: string;
  /** Modules' own HTTP routes (token-checked like /rpc). */
  routes?: readonly HttpRoute[];
  log: Logger;
}

export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { dispatcher, events, log } = opts;
  const authority = opts.authority ?? fileTokenAuthority(opts.token ?? '');
  /** The token's holder; a refused token is logged by its hint, never in full. */
  const principalOf = (given: string | undefined, transport: string): Principal | undefined => {
    if (!given) return undefined;
    const who = authority.authenticate(given);
    if (!who) log.warn('api token refused', { token: tokenHint(given), transport });
    return who;
  };
  const bearerOf = (req: IncomingMessage): string | undefined => {
    const auth = req.headers.authorization ?? '';
    return auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  };
  let port = opts.port;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server: Server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      log.error('http handler crashed', { error: String(err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!allowedHosts().has(req.headers.host ?? '')) {
      sendJson(res, 421, { error: 'this server answers only on 127.0.0.1 and localhost' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === RPC_PATH) {
      await handleRpc(req, res);
      return;
    }
    const route = matchRoute(opts.routes ?? [], req.method ?? 'GET', url.pathname);
    if (route) {
      await handleRoute(route, url, req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    await serveStatic(url.pathname, res);
  }

  /** Host was checked; the token, its scope and Origin are checked here like /rpc. */
  function authorized(req: IncomingMessage, res: ServerResponse, route: HttpRoute): Principal | undefined {
    const who = principalOf(bearerOf(req), 'http');
    if (!who) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="hashlock"');
      sendJson(res, 401, { error: 'missing, wrong or revoked bearer token (see api-token in the data directory)' });
      return undefined;
    }
    if (req.headers.origin !== undefined && !allowedOrigins().has(req.headers.origin)) {
      sendJson(res, 403, { error: 'cross-origin requests are refused' });
      return undefined;
    }
    const need = route.scope ?? (route.method === 'GET' ? 'read' : 'admin');
    if (!allows(who.scope, need)) {
      sendJson(res, 403, { error: `the token "${who.name}" has the ${who.scope} scope; this needs ${need}` });
      return undefined;
    }
    return who;
  }

  async function handleRoute(
    match: { route: HttpRoute; params: Record<string, string> },
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const who = authorized(req, res, match.route);
    if (!who) return;
    log.info('api route', { token: who.name, method: req.method, path: match.route.path });
    let body = '';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new Error('too large');
        body = await readBody(req, MAX_BODY_BYTES);
      } catch {
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.destroy());
        return sendJson(res, 413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
      }
    }
    const reply = await match.route.handle({
      method: req.method ?? 'GET',
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
    res.end(text);
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, rpcError(null, { code: 'BAD_REQUEST', message: 'use POST' }));
    const who = principalOf(bearerOf(req), 'http');
    if (!who) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="hashlock"');
      return sendJson(
        res,
        401,
        rpcError(null, {
          code: 'UNAUTHORIZED',
          message: 'missing, wrong or revoked bearer token (see api-token in the data directory)',
        }),
      );
    }
    if (req.headers.origin !== undefined && !allowedOrigins().has(req.headers.origin)) {
      return sendJson(res, 403, rpcError(null, { code: 'UNAUTHORIZED', message: 'cross-origin requests are refused' }));
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendJson(
        res,
        415,
        rpcError(null, { code: 'BAD_REQUEST', message: 'Content-Type must be application/json' }),
      );
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    let text: string;
    try {
      // A declared length over the cap is refused before a byte of the body is read.
      if (declared > MAX_BODY_BYTES) throw new Error('too large');
      text = await readBody(req, MAX_BODY_BYTES);
    } catch {
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.destroy());
      return sendJson(
        res,
        413,
        rpcError(null, { code: 'BAD_REQUEST', message: `request body over ${MAX_BODY_BYTES} bytes` }),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(res, 200, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'parse error: the body is not valid JSON', data: { code: 'BAD_REQUEST' } },
      });
    }
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > MAX_BATCH)
        return sendJson(
          res,
          200,
          rpcError(null, { code: 'BAD_REQUEST', message: `a batch holds 1 to ${MAX_BATCH} requests` }),
        );
      const replies = [];
      for (const item of body) {
        const r = await rpcOne(item, who);
        if (r) replies.push(r);
      }
      return replies.length ? sendJson(res, 200, replies) : void res.writeHead(204).end();
    }
    const reply = await rpcOne(body, who);
    if (!reply) return void res.writeHead(204).end();
    sendJson(res, 200, reply);
  }

  async function rpcOne(msg: unknown, principal: Principal): Promise<unknown> {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
      return rpcError(null, { code: 'BAD_REQUEST', message: 'a request must be a JSON object' });
    const m = msg as Record<string, unknown>;
    // JSON-RPC 2.0: an id is a string, a number or null; anything else makes the request invalid.
    if (m.id !== undefined && m.id !== null && typeof m.id !== 'string' && typeof m.id !== 'number') {
      return rpcError(null, { code: 'BAD_REQUEST', message: 'the id must be a string, a number or null' });
    }
    const id = m.id as string | number | null | undefined;
    if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') {
      return rpcError(id ?? null, {
        code: 'BAD_REQUEST',
        message: 'expected {"jsonrpc":"2.0","method":"...","params":{...},"id":1}',
      });
    }
    if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) {
      return rpcError(id ?? null, { code: 'INVALID_PARAMS', message: 'params must be an object with named fields' });
    }
    const outcome = await dispatcher.call(m.method, m.params ?? {}, { transport: 'http', principal });
    if (id === undefined) return undefined; // a notification gets no reply
    return outcome.ok ? { jsonrpc: '2.0', id, result: outcome.result } : rpcError(id, outcome.error);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    if (!opts.staticDir) return sendJson(res, 404, { error: 'no UI is served by this node' });
    const root = path.resolve(opts.staticDir);
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendJson(res, 400, { error: 'bad path' });
    }
    let file = path.resolve(root, '.' + (rel.endsWith('/') ? rel + 'index.html' : rel));
    if (file !== root && !file.startsWith(root + path.sep)) return sendJson(res, 403, { error: 'forbidden' });
    const st = await stat(file).catch(() => undefined);
    if (!st || !st.isFile()) file = path.join(root, 'index.html'); // single-page app fallback
    const data = await readFile(file).catch(() => undefined);
    if (!data) return sendJson(res, 404, { error: 'not found (is the renderer built? npm run build:renderer)' });
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': RENDERER_CSP,
      'X-Frame-Options': 'DENY',
    });
    res.end(data);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const reject = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (req.headers.origin !== undefined && !allowedOrigins().has(req.headers.origin)) return reject(403, 'Forbidden');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const tokenProto = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX));
    const secret = tokenProto?.slice(WS_TOKEN_PREFIX.length) ?? bearerOf(req);
    const who = principalOf(secret, 'ws');
    if (!secret || !who) return reject(401, 'Unauthorized');
    if (!offered.includes(WS_PROTOCOL)) return reject(400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, secret, who));
  });

  function onSocket(ws: WebSocket, secret: string, principal: Principal): void {
    const unsubscribe = events.subscribe((e) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: e.event, data: e.data }));
    });
    // A revoked token's sockets close at once: it must not keep receiving events either.
    const unrevoked = authority.onRevoked((name) => {
      if (name === principal.name) ws.close(4401, 'token revoked');
    });
    ws.on('close', () => {
      unsubscribe();
      unrevoked();
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw, isBinary) => {
      void (async () => {
        if (isBinary) return ws.close(1003, 'text frames only');
        let frame: Partial<CallFrame>;
        try {
          frame = JSON.parse(raw.toString()) as Partial<CallFrame>;
        } catch {
          return send(ws, { id: -1, ok: false, error: { code: 'BAD_REQUEST', message: 'frame is not valid JSON' } });
        }
        if (
          typeof frame !== 'object' ||
          frame === null ||
          typeof frame.id !== 'number' ||
          typeof frame.method !== 'string'
        ) {
          return send(ws, {
            id: typeof frame?.id === 'number' ? frame.id : -1,
            ok: false,
            error: { code: 'BAD_REQUEST', message: 'expected {"id":1,"method":"...","params":{}}' },
          });
        }
        // Each frame re-checks the token, so a revocation holds even for a socket opened before it.
        const current = authority.authenticate(secret);
        if (!current) {
          send(ws, { id: frame.id, ok: false, error: { code: 'UNAUTHORIZED', message: 'the token was revoked' } });
          return ws.close(4401, 'token revoked');
        }
        const outcome = await dispatcher.call(frame.method, frame.params ?? {}, {
          transport: 'ws',
          principal: current,
        });
        send(
          ws,
          outcome.ok
            ? { id: frame.id, ok: true, result: outcome.result }
            : { id: frame.id, ok: false, error: outcome.error },
        );
      })();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  log.info('api listening', { url: `http://127.0.0.1:${port}` });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, frame: ReplyFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function rpcError(id: string | number | null, e: ApiErrorData): unknown {
  return {
    jsonrpc: '2.0',
    id,
    error: { code: jsonRpcErrorNumber(e.code), message: e.message, data: { code: e.code, details: e.details } },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Answer 413 first, then drop the connection rather than read an unbounded body.
        req.pause();
        req.once('close', () => {});
        reject(new Error('too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
