// ApiClient over the Electron preload bridge (`window.hashlock`). The bridge returns errors
// as data; here they become thrown ApiErrors, and results are checked like any other.
import type { EventName, MethodName, Params, PushedEvent, Result } from '../../src-shared/api/contract.ts';
import type { ApiClient } from '../../src-shared/api/client.ts';
import type { PreloadBridge } from '../../src-shared/api/wire.ts';
import { errorFromData, parseEvent, parseResult } from './frames.ts';

export class BridgeApiClient implements ApiClient {
  readonly #bridge: PreloadBridge;

  constructor(bridge: PreloadBridge) {
    this.#bridge = bridge;
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const outcome = await this.#bridge.call(method, params);
    if (!outcome.ok) throw errorFromData(outcome.error);
    return parseResult(method, outcome.result);
  }

  onEvent(listener: (e: PushedEvent<EventName>) => void): () => void {
    return this.#bridge.onEvent((frame) => {
      const event = parseEvent(frame);
      if (event) listener(event);
    });
  }
}

/** The preload bridge if this page runs inside the Electron shell. */
export function findPreloadBridge(win: Window): PreloadBridge | null {
  const candidate = (win as Window & { hashlock?: unknown }).hashlock;
  if (typeof candidate !== 'object' || candidate === null) return null;
  const b = candidate as Partial<PreloadBridge>;
  return typeof b.call === 'function' && typeof b.onEvent === 'function' ? (candidate as PreloadBridge) : null;
}
