// The one JSON codec for everything the store keeps in JSON columns. Amounts are bigint, so a
// bigint is written as {"$bigint":"123"} and read back as 123n; nothing is silently lost.
import { CodedError } from '../../src-shared/errors.ts';

const codecError = (message: string) => new CodedError('JSON_CODEC', message);

const BIGINT_KEY = '$bigint';
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (key: string, v: unknown) => {
    if (typeof v === 'bigint') return { [BIGINT_KEY]: v.toString() };
    if (typeof v === 'number' && !Number.isFinite(v)) throw codecError(`cannot store ${v} (at "${key}") in JSON`);
    if (v instanceof Map || v instanceof Set)
      throw codecError(`cannot store a ${v.constructor.name} (at "${key}") in JSON: convert it first`);
    if (typeof v === 'object' && v !== null && Object.hasOwn(v, BIGINT_KEY)) {
      throw codecError(`the key "${BIGINT_KEY}" is reserved for bigint values`);
    }
    return v;
  });
  if (text === undefined) throw codecError('cannot store undefined (or a function) as JSON');
  return text;
}

export function fromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const digits = (v as Record<string, unknown>)[BIGINT_KEY];
      if (keys.length === 1 && keys[0] === BIGINT_KEY && typeof digits === 'string' && INTEGER.test(digits))
        return BigInt(digits);
    }
    return v;
  }) as T;
}
