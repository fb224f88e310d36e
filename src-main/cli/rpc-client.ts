// A JSON-RPC 2.0 client for the node's HTTP API, used by the CLI, the devnet and tests.
import { ApiError, isApiErrorData, type ErrorCode } from '../../src-shared/api/errors.ts';
import type { MethodName, Params, Result } from '../../src-shared/api/contract.ts';
import { RPC_PATH } from '../../src-shared/api/wire.ts';

export interface NodeRpc {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  raw(method: string, params: unknown): Promise<unknown>;
}

export function createNodeRpc(baseUrl: string, token: string, timeoutMs = 60_000): NodeRpc {
  let nextId = 1;
  const raw = async (method: string, params: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(new URL(RPC_PATH, baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ApiError('PEER_UNREACHABLE', `no Hashlock node answers at ${baseUrl} (${(err as Error).message})`);
    }
    const body = (await res.json().catch(() => null)) as {
      result?: unknown;
      error?: { message: string; data?: { code?: string; details?: unknown } };
    } | null;
    if (!body) throw new ApiError('INTERNAL', `the node at ${baseUrl} answered HTTP ${res.status} without JSON`);
    if (body.error) {
      const data = body.error.data;
      const code = (
        isApiErrorData({ code: data?.code, message: body.error.message }) ? data?.code : 'INTERNAL'
      ) as ErrorCode;
      throw new ApiError(code, body.error.message, data?.details);
    }
    return body.result;
  };
  return {
    raw,
    call: (method, params) => raw(method, params) as Promise<never>,
  };
}
