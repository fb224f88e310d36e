// Frames of the WebSocket transport and the Electron preload bridge. Both carry the same
// envelope so the renderer's client code is one implementation over two pipes.
import type { ApiErrorData } from './errors.ts';

/** client → node */
export interface CallFrame {
  id: number;
  method: string;
  params: unknown;
}
/** node → client */
export type ReplyFrame = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorData };
export interface EventFrame {
  event: string;
  data: unknown;
}

/** The outcome of one call, as the preload bridge returns it (errors are data, never thrown across IPC). */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };

/** What the Electron preload exposes on `window.hashlock` (the only object it exposes). */
export interface PreloadBridge {
  call(method: string, params: unknown): Promise<CallOutcome>;
  onEvent(listener: (frame: EventFrame) => void): () => void;
}

/** Path of the WebSocket endpoint and the JSON-RPC endpoint on the headless node's HTTP server. */
export const WS_PATH = '/api/ws';
export const RPC_PATH = '/rpc';
