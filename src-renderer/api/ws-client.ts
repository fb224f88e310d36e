// ApiClient over the node's WebSocket (the browser UI). Calls made while connecting wait in
// a queue; a dropped connection fails the calls in flight and reconnects with backoff; a
// token the node refuses stops the retries so the UI can say why.
import type { EventName, MethodName, Params, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import type { ApiClient } from '../../src-shared/api/client.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/api/client.ts';
import { CallTable } from './call-table.ts';
import { connectionLost, nodeUnreachable } from './errors.ts';
import { classifyFrame, parseEvent } from './frames.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last open connection. */
  attempt: number;
  /** Whether a connection was open at least once (a later open is a reconnect). */
  everOpened: boolean;
  /** When the next attempt starts (epoch ms), while reconnecting. */
  retryAt: number | null;
}

/** Whether the node accepts the token, asked over plain HTTP when the socket fails to open. */
export type TokenProbe = () => Promise<'accepted' | 'refused' | 'unreachable'>;

export interface WsClientOptions {
  url: string;
  token: string;
  probe?: TokenProbe;
  /** Delay before reconnect attempt n (1-based). */
  backoffMs?: (attempt: number) => number;
  /** How long a call may wait for a connection before it fails. */
  queueTimeoutMs?: number;
}

interface QueuedCall {
  method: MethodName;
  params: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));
  return base + Math.floor(Math.random() * 250);
}

export class WsApiClient implements ApiClient {
  readonly #opts: Required<Omit<WsClientOptions, 'probe'>> & { probe: TokenProbe | undefined };
  readonly #table = new CallTable();
  readonly #queue: QueuedCall[] = [];
  readonly #eventListeners = new Set<(e: PushedEvent<EventName>) => void>();
  readonly #stateListeners = new Set<(s: ConnectionState) => void>();
  #socket: WebSocket | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #state: ConnectionState = { status: 'connecting', attempt: 0, everOpened: false, retryAt: null };

  constructor(opts: WsClientOptions) {
    this.#opts = { backoffMs: defaultBackoff, queueTimeoutMs: 20_000, probe: undefined, ...opts };
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, 'client closed');
    this.#socket = null;
    this.#failEverything(connectionLost('the app closed its connection to the node'));
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (this.#state.status === 'unauthorized') {
      return Promise.reject(nodeUnreachable('the node refused this app\u2019s access token'));
    }
    const socket = this.#socket;
    if (socket?.readyState === WebSocket.OPEN) return this.#dispatch(socket, method, params);
    return new Promise<Result<M>>((resolve, reject) => {
      const queued: QueuedCall = {
        method,
        params,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: setTimeout(() => {
          const i = this.#queue.indexOf(queued);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(nodeUnreachable('the node did not answer: there is no connection to it'));
        }, this.#opts.queueTimeoutMs),
      };
      this.#queue.push(queued);
    });
  }

  onEvent(listener: (e: PushedEvent<EventName>) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  getState(): ConnectionState {
    return this.#state;
  }

  #setState(next: Partial<ConnectionState>): void {
    this.#state = { ...this.#state, ...next };
    for (const l of this.#stateListeners) l(this.#state);
  }

  #dispatch<M extends MethodName>(socket: WebSocket, method: M, params: unknown): Promise<Result<M>> {
    const { id, result } = this.#table.open(method);
    try {
      socket.send(JSON.stringify({ id, method, params }));
    } catch (err) {
      this.#table.fail(id, connectionLost(`the call could not be sent: ${String(err)}`));
    }
    return result;
  }

  #connect(): void {
    if (this.#stopped) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#opts.url, [WS_PROTOCOL, WS_TOKEN_PREFIX + this.#opts.token]);
    } catch {
      this.#setState({ status: 'unauthorized' });
      this.#failEverything(nodeUnreachable('the access token cannot be used'));
      return;
    }
    this.#socket = socket;
    let opened = false;

    socket.onopen = () => {
      opened = true;
      this.#setState({ status: 'open', attempt: 0, everOpened: true, retryAt: null });
      for (const q of this.#queue.splice(0)) {
        clearTimeout(q.timer);
        this.#dispatch(socket, q.method, q.params).then(q.resolve, q.reject);
      }
    };

    socket.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== 'string') return;
      const incoming = classifyFrame(msg.data);
      if (incoming.kind === 'reply') {
        this.#table.settle(incoming.frame);
      } else if (incoming.kind === 'event') {
        const event = parseEvent(incoming.frame);
        if (event) for (const l of this.#eventListeners) l(event);
      }
    };

    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // Calls already sent can no longer be answered; queued ones wait for the next connection.
      this.#table.failAll(connectionLost('the connection to the node closed before it answered'));
      if (this.#stopped) return;
      void this.#afterClose(opened);
    };
  }

  async #afterClose(hadOpened: boolean): Promise<void> {
    if (!hadOpened && this.#opts.probe) {
      const verdict = await this.#opts.probe().catch(() => 'unreachable' as const);
      if (verdict === 'refused') {
        this.#setState({ status: 'unauthorized', retryAt: null });
        this.#failEverything(nodeUnreachable('the node refused this app\u2019s access token'));
        return;
      }
    }
    const attempt = this.#state.attempt + 1;
    const delay = this.#opts.backoffMs(attempt);
    this.#setState({
      status: this.#state.everOpened ? 'reconnecting' : 'connecting',
      attempt,
      retryAt: Date.now() + delay,
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }

  #failEverything(error: Error): void {
    for (const q of this.#queue.splice(0)) {
      clearTimeout(q.timer);
      q.reject(error);
    }
    this.#table.failAll(error);
  }
}

/** Ask the JSON-RPC endpoint whether it accepts the token (a refused WebSocket upgrade hides the status). */
export function httpTokenProbe(rpcUrl: string, token: string): TokenProbe {
  return async () => {
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'vault.status', params: {} }),
        cache: 'no-store',
      });
      return res.status === 401 ? 'refused' : 'accepted';
    } catch {
      return 'unreachable';
    }
  };
}
