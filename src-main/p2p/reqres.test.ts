// The request path's stream opening: a failed open is tried again once (nothing was sent), a
// peer that does not offer the protocol is not asked twice, and a timeout ends it at once.
import { describe, expect, it } from 'vitest';
import { askPeer, OPEN_ATTEMPTS, peerFailure, type AskDeps } from './reqres.ts';

function deps(open: AskDeps['openStream'], timeoutMs = 5_000): AskDeps {
  return { openStream: open, maxResponseBytes: 1024, timeoutMs, penalize: () => undefined };
}

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('askPeer opening its stream', () => {
  it('opens again after a connection closed during opening, then reports the peer unreachable with the last error', async () => {
    let calls = 0;
    const err = await askPeer(
      Uint8Array.of(1),
      'peer-a',
      deps(async () => {
        calls++;
        throw new Error(calls === 1 ? 'Remote closed connection during opening' : 'no route to host');
      }),
    ).catch((e: unknown) => e);
    expect(calls).toBe(OPEN_ATTEMPTS);
    expect(peerFailure(err)?.reason).toBe('unreachable');
    expect((err as Error).message).toContain('no route to host');
  });

  it('gets the stream on the second open when the first lost its connection', async () => {
    let calls = 0;
    const sentinel = named('Sentinel', 'the stream was handed over');
    const err = await askPeer(
      Uint8Array.of(1),
      'peer-b',
      deps(async () => {
        calls++;
        if (calls === 1) throw new Error('Remote closed connection during opening');
        // A stream object that fails on first use shows the second open's stream was the one used.
        return new Proxy({} as never, {
          get: (_target, prop) => {
            if (prop === 'then') return undefined; // not a promise
            throw sentinel;
          },
        });
      }),
    ).catch((e: unknown) => e);
    expect(calls).toBe(2);
    // The request went on to use the second stream (not reported unreachable after the first).
    expect(err).toBe(sentinel);
  });

  it('does not ask a peer twice for a protocol it does not offer', async () => {
    let calls = 0;
    const err = await askPeer(
      Uint8Array.of(1),
      'peer-c',
      deps(async () => {
        calls++;
        throw named('UnsupportedProtocolError', 'protocol selection failed');
      }),
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(peerFailure(err)?.reason).toBe('unsupported');
  });

  it('stops at the request timeout instead of opening again', async () => {
    let calls = 0;
    const err = await askPeer(
      Uint8Array.of(1),
      'peer-d',
      deps(async (signal) => {
        calls++;
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        throw new Error('aborted');
      }, 100),
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(peerFailure(err)?.reason).toBe('timeout');
  });
});
