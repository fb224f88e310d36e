// One contract method: its params and result schemas and the words for docs/api.md. Each
// domain's contract slice (src-shared/<domain>/contract.ts) is a record of these.
import type { z } from 'zod';
import type { Scope } from './scopes.ts';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly result: R;
  readonly doc: string;
  /** The token scope a caller needs; without it, the verb decides (src-shared/api/scopes.ts). */
  readonly scope?: Scope;
}

export function method<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  doc: string,
  opts: { scope?: Scope } = {},
): MethodSpec<P, R> {
  return opts.scope === undefined ? { params, result, doc } : { params, result, doc, scope: opts.scope };
}
