// publishUntilHeard: an announce made right after a start, when the node knows no peer on the
// topic yet, is published again until a peer gets it, and no longer than it is wanted.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/log.ts';
import { UNHEARD_RETRY_MS, UNHEARD_TRIES, publishUntilHeard } from './net.ts';

const announce = { type: 'order.announce' as const };

/** A host whose publish reaches `recipients[i]` peers on its i-th call (0 after the list). */
function host(recipients: Array<number | Error>) {
  const calls: string[] = [];
  return {
    calls,
    publish: async (topic: string) => {
      calls.push(topic);
      const r = recipients[calls.length - 1] ?? 0;
      if (r instanceof Error) throw r;
      return { recipients: r };
    },
  };
}

describe('publishUntilHeard', () => {
  it('publishes again every 2 s while nobody received it, and stops once a peer did', async () => {
    const p2p = host([0, new Error('no topic peers'), 0, 2]);
    const waits: number[] = [];
    const heard = await publishUntilHeard(
      p2p,
      't',
      announce,
      silentLogger,
      () => true,
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(heard).toBe(true);
    expect(p2p.calls).toHaveLength(4);
    expect(waits).toEqual([UNHEARD_RETRY_MS, UNHEARD_RETRY_MS, UNHEARD_RETRY_MS]);
  });

  it('gives up after its tries, and sends nothing once the order is no longer wanted', async () => {
    const never = host([]);
    expect(
      await publishUntilHeard(
        never,
        't',
        announce,
        silentLogger,
        () => true,
        async () => {},
      ),
    ).toBe(false);
    expect(never.calls).toHaveLength(UNHEARD_TRIES);

    const canceled = host([]);
    let wanted = true;
    const result = await publishUntilHeard(
      canceled,
      't',
      announce,
      silentLogger,
      () => wanted,
      async () => {
        wanted = false; // canceled while it waited
      },
    );
    expect(result).toBe(false);
    expect(canceled.calls).toHaveLength(1);
  });

  it('a message heard at once is published once', async () => {
    const p2p = host([1]);
    expect(
      await publishUntilHeard(
        p2p,
        't',
        announce,
        silentLogger,
        () => true,
        async () => {},
      ),
    ).toBe(true);
    expect(p2p.calls).toEqual(['t']);
  });
});
