// Checks everything that arrives from the node against the contract before the UI sees it:
// results by their method's schema, events by theirs. A broken or hostile node gets an
// error on screen, never malformed data in the cache.
import {
  events,
  methods,
  type EventName,
  type MethodName,
  type PushedEvent,
  type Result,
} from '../../src-shared/api/contract.ts';
import { ApiError, isApiErrorData, type ErrorCode } from '../../src-shared/api/errors.ts';
import type { EventFrame, ReplyFrame } from '../../src-shared/api/wire.ts';

export function parseResult<M extends MethodName>(method: M, raw: unknown): Result<M> {
  const checked = methods[method].result.safeParse(raw);
  if (!checked.success) {
    const where = checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ApiError(
      'INTERNAL',
      `the node's answer to ${method} does not match what this app expects (${where.join('; ')})`,
    );
  }
  return checked.data as Result<M>;
}

/** Error data from the wire, as an ApiError; anything unrecognisable becomes INTERNAL. */
export function errorFromData(data: unknown): ApiError {
  if (isApiErrorData(data)) return new ApiError(data.code as ErrorCode, data.message, data.details);
  return new ApiError('INTERNAL', 'the node reported a failure without saying what went wrong');
}

/** A pushed event whose name and payload match the contract, or null to drop it. */
export function parseEvent(frame: EventFrame): PushedEvent | null {
  if (typeof frame.event !== 'string' || !Object.hasOwn(events, frame.event)) return null;
  const name = frame.event as EventName;
  const checked = events[name].safeParse(frame.data);
  if (!checked.success) return null;
  return { event: name, data: checked.data } as PushedEvent;
}

export type IncomingFrame =
  { kind: 'reply'; frame: ReplyFrame } | { kind: 'event'; frame: EventFrame } | { kind: 'junk' };

/** Classify one text frame from the WebSocket. */
export function classifyFrame(text: string): IncomingFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'junk' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'junk' };
  const v = value as Record<string, unknown>;
  if (typeof v.event === 'string') return { kind: 'event', frame: { event: v.event, data: v.data } };
  if (typeof v.id === 'number' && v.ok === true)
    return { kind: 'reply', frame: { id: v.id, ok: true, result: v.result } };
  if (typeof v.id === 'number' && v.ok === false)
    return { kind: 'reply', frame: { id: v.id, ok: false, error: errorFromData(v.error).toData() } };
  return { kind: 'junk' };
}
