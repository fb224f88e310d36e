// What every client of the node sees, whatever the transport (IPC, WebSocket, HTTP).
import type { EventName, MethodName, Params, PushedEvent, Result } from './contract.ts';

export interface ApiClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Subscribe to every pushed event; returns the unsubscribe function. */
  onEvent(listener: (e: PushedEvent<EventName>) => void): () => void;
}

/** Channel names for the Electron IPC transport: defined once, used by preload and main. */
export const IPC_CHANNELS = { call: 'hashlock:call', event: 'hashlock:event' } as const;

/** Subprotocol carrying the bearer token for the browser's WebSocket (it cannot set headers). */
export const WS_PROTOCOL = 'hashlock.v1';
export const WS_TOKEN_PREFIX = 'bearer.';
