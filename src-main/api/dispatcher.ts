// Binds the contract (src-shared/api) to handlers: validates params before any handler runs,
// validates results before they leave, and turns every failure into error data with a stable code.
// All three transports (IPC, WebSocket, JSON-RPC) call this one function.
import { ZodError } from 'zod';
import { ApiError, methodScope, methods, resolveMethodName, type ApiErrorData } from '../../src-shared/api/index.ts';
import { allows } from '../../src-shared/api/scopes.ts';
import type { CallOutcome } from '../../src-shared/api/wire.ts';
import type { Logger } from '../kernel/log.ts';
import type { CallContext, Handlers } from '../kernel/module.ts';

export interface Dispatcher {
  call(method: unknown, params: unknown, ctx: CallContext): Promise<CallOutcome>;
}

export function zodIssues(err: ZodError): Array<{ path: string; message: string }> {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** IPC is the desktop's own window and internal calls are the node's own: both act as admin. */
function principalOf(ctx: CallContext): CallContext['principal'] {
  if (ctx.principal) return ctx.principal;
  if (ctx.transport === 'ipc') return { name: 'desktop', scope: 'admin' };
  if (ctx.transport === 'internal') return { name: 'internal', scope: 'admin' };
  return undefined;
}

export function createDispatcher(handlers: Partial<Handlers>, log: Logger): Dispatcher {
  return {
    async call(method, rawParams, ctx) {
      const started = Date.now();
      const outcome = await dispatch(method, rawParams, ctx);
      if (ctx.transport === 'http' || ctx.transport === 'ws') {
        // Every API request, by token name (never the token): docs/api.md "Tokens and scopes".
        log.info('api call', {
          token: ctx.principal?.name ?? null,
          method: typeof method === 'string' ? method.slice(0, 80) : null,
          transport: ctx.transport,
          ms: Date.now() - started,
          ...(outcome.ok ? {} : { error: outcome.error.code }),
        });
      }
      return outcome;
    },
  };

  async function dispatch(name: unknown, rawParams: unknown, ctx: CallContext): Promise<CallOutcome> {
    // A dx-style alias (makeOrder) calls its method (orders.make); errors name the method.
    const method = resolveMethodName(name);
    if (method === undefined) {
      return fail({
        code: 'METHOD_NOT_FOUND',
        message: `unknown method ${JSON.stringify(String(name)).slice(0, 80)}`,
      });
    }
    const principal = principalOf(ctx);
    if (!principal) return fail({ code: 'UNAUTHORIZED', message: 'this call carries no API token' });
    const need = methodScope(method);
    if (!allows(principal.scope, need)) {
      return fail({
        code: 'FORBIDDEN',
        message: `the token "${principal.name}" has the ${principal.scope} scope; ${method} needs ${need}`,
      });
    }
    const handler = handlers[method] as ((p: unknown, c: CallContext) => unknown) | undefined;
    if (!handler) return fail({ code: 'METHOD_NOT_FOUND', message: `method ${method} is not available on this node` });
    const spec = methods[method];
    const proto = protoKey(rawParams ?? {});
    if (proto !== undefined) {
      // JSON.parse makes "__proto__" an own key; schemas would silently drop it from a record,
      // and a handler that merges params could reach a prototype through any of the three.
      return fail({
        code: 'INVALID_PARAMS',
        message: `invalid params for ${method}: ${proto.at}: the key "${proto.key}" is not allowed (no key may be __proto__, constructor or prototype)`,
        details: [{ path: proto.at, message: `the key "${proto.key}" is not allowed` }],
      });
    }
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return fail({
        code: 'INVALID_PARAMS',
        message: `invalid params for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        details: issues,
      });
    }
    try {
      const result = await handler(parsed.data, ctx);
      const checked = spec.result.safeParse(result);
      if (!checked.success) {
        log.error('handler returned a result that breaks the contract', { method, issues: zodIssues(checked.error) });
        return fail({ code: 'INTERNAL', message: `the node produced an invalid result for ${method}` });
      }
      return { ok: true, result: checked.data };
    } catch (err) {
      if (err instanceof ApiError) return fail(err.toData());
      log.error('handler failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return fail({ code: 'INTERNAL', message: `internal error in ${method}` });
    }
  }
}

/** Keys that name an object's prototype: refused in params at any depth. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** The first such own key in parsed JSON, and the path of the object holding it; or undefined. */
function protoKey(value: unknown, at = '(root)', depth = 0): { at: string; key: string } | undefined {
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  const key = PROTO_KEYS.find((k) => Object.hasOwn(value, k));
  if (key !== undefined) return { at, key };
  for (const [k, v] of Object.entries(value)) {
    const found = protoKey(v, at === '(root)' ? k : `${at}.${k}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function fail(error: ApiErrorData): CallOutcome {
  return { ok: false, error };
}
