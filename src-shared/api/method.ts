// One contract method: its params and result schemas and the words for docs/api.md. Each
// domain's contract slice (src-shared/<domain>/contract.ts) is a record of these.
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly result: R;
  readonly doc: string;
}

export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, doc: string): MethodSpec<P, R> {
  return { params, result, doc };
}
