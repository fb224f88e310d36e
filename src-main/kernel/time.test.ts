// freePort hands out a port that can be bound; waitFor polls until a value appears, reports the
// last error on timeout, and stops early when told the wait is hopeless.
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from './ports.ts';
import { waitFor } from './time.ts';

describe('freePort', () => {
  it('returns a loopback port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    server.close();
    expect(port).toBeGreaterThan(0);
  });
});

describe('waitFor', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    let n = 0;
    const got = await waitFor(() => (++n >= 3 ? { n } : n === 1 ? false : undefined), {
      timeoutMs: 2000,
      intervalMs: 5,
      what: 'three tries',
    });
    expect(got).toEqual({ n: 3 });
  });

  it('treats a throw as "not yet" and reports the last one on timeout', async () => {
    const err = await waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 100, intervalMs: 10, what: 'the daemon' },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WAIT_TIMEOUT' });
    expect((err as Error).message).toBe(
      'timed out after 100 ms waiting for the daemon (last error: connection refused)',
    );
  });

  it('stops at once when abortIf gives a reason', async () => {
    const started = Date.now();
    await expect(
      waitFor(() => undefined, { timeoutMs: 5000, intervalMs: 10, what: 'x', abortIf: () => 'the process exited' }),
    ).rejects.toThrow('the process exited');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
