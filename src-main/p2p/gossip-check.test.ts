// The host's gossip check runs a topic's own checks after its size, ban and rate checks, and
// their verdict is gossipsub's: one reject rejects, else one ignore ignores; a check that throws
// ignores the message (not delivered, not forwarded) and is logged.
import { TopicValidatorResult, type TopicValidatorFn } from '@libp2p/gossipsub';
import { describe, expect, it } from 'vitest';
import { createGossipCheck } from './gossip-check.ts';
import type { GossipCheck } from './host-types.ts';
import { DEFAULT_LIMITS } from './limits.ts';

type Args = Parameters<TopicValidatorFn>;
const peer = (id: string) => ({ toString: () => id }) as unknown as Args[0];
const msg = (data: Uint8Array, topic = 't') =>
  ({ type: 'signed', from: peer('origin'), data, topic }) as unknown as Args[1];

function check(checks: GossipCheck[], warned: string[] = []) {
  return createGossipCheck({
    limits: DEFAULT_LIMITS,
    now: () => 0,
    isBanned: () => false,
    penalize: () => undefined,
    topicChecks: (topic) => (topic === 't' ? new Set(checks) : undefined),
    warn: (m) => warned.push(m),
  });
}

describe('gossip check with topic checks', () => {
  const data = new Uint8Array([1, 2, 3]);

  it('hands the topic check the origin and the very bytes, and follows its verdict', () => {
    const seen: unknown[] = [];
    const v = check([
      (m) => {
        seen.push(m.from, m.data);
        return 'accept';
      },
    ]);
    expect(v(peer('relay'), msg(data))).toBe(TopicValidatorResult.Accept);
    expect(seen[0]).toBe('origin');
    expect(seen[1]).toBe(data);
    expect(check([() => 'ignore'])(peer('relay'), msg(data))).toBe(TopicValidatorResult.Ignore);
    expect(check([() => 'reject'])(peer('relay'), msg(data))).toBe(TopicValidatorResult.Reject);
  });

  it('one reject wins over ignores and accepts; one ignore over accepts', () => {
    expect(check([() => 'accept', () => 'ignore', () => 'reject'])(peer('r'), msg(data))).toBe(
      TopicValidatorResult.Reject,
    );
    expect(check([() => 'accept', () => 'ignore'])(peer('r'), msg(data))).toBe(TopicValidatorResult.Ignore);
  });

  it('a topic without checks is accepted; a throwing check ignores the message and is logged', () => {
    expect(check([() => 'reject'])(peer('r'), msg(data, 'other'))).toBe(TopicValidatorResult.Accept);
    const warned: string[] = [];
    const v = check(
      [
        () => {
          throw new Error('boom');
        },
      ],
      warned,
    );
    expect(v(peer('r'), msg(data))).toBe(TopicValidatorResult.Ignore);
    expect(warned).toEqual(['gossip check failed']);
  });

  it('the host checks come first: an oversize message never reaches the topic check', () => {
    let called = false;
    const v = check([
      () => {
        called = true;
        return 'accept';
      },
    ]);
    expect(v(peer('r'), msg(new Uint8Array(DEFAULT_LIMITS.maxGossipBytes + 1)))).toBe(TopicValidatorResult.Reject);
    expect(called).toBe(false);
  });
});
