// widenReceiveWindow on real yamux streams (@chainsafe/libp2p-yamux over an in-memory connection
// pair): the peer is granted the room in one window update and sends a whole large answer without
// waiting for us; the default window makes it wait after 256 KiB. Also what it leaves alone.
import { yamux } from '@chainsafe/libp2p-yamux';
import { multiaddrConnectionPair } from '@libp2p/utils';
import type { Stream, StreamMuxer } from '@libp2p/interface';
import { afterEach, describe, expect, it } from 'vitest';
import { widenReceiveWindow } from './reqres.ts';

const MiB = 1024 * 1024;
const muxers: StreamMuxer[] = [];

afterEach(async () => {
  await Promise.all(muxers.splice(0).map((m) => m.close().catch(() => undefined)));
});

/** A stream this side opened and the peer's end of it, over two real yamux muxers. */
async function pair(): Promise<{ ours: Stream; theirs: Stream }> {
  const [a, b] = multiaddrConnectionPair();
  const factory = yamux()();
  const local = factory.createStreamMuxer(a);
  const remote = factory.createStreamMuxer(b);
  muxers.push(local, remote);
  const theirs = new Promise<Stream>((resolve) =>
    remote.addEventListener('stream', (e) => resolve((e as CustomEvent<Stream>).detail), { once: true }),
  );
  const ours = await local.createStream();
  ours.send(new Uint8Array([1])); // opens the stream on the peer's side
  return { ours, theirs: await theirs };
}

const settle = () => new Promise((r) => setTimeout(r, 50));
/** What the peer may still send before it must wait for a window update (yamux's own count). */
const peerMaySend = (s: Stream) => (s as unknown as { sendWindowCapacity: number }).sendWindowCapacity;

describe('a stream opened for a large answer', () => {
  it('lets the peer send 3 MiB at once when widened; with the default window the peer must wait', async () => {
    const widened = await pair();
    expect(widenReceiveWindow(widened.ours, 4 * MiB)).toBe(true);
    await settle(); // the window update reaches the peer
    expect(peerMaySend(widened.theirs)).toBe(4 * MiB);
    widened.theirs.send(new Uint8Array(3 * MiB));
    expect(peerMaySend(widened.theirs)).toBe(1 * MiB); // all 3 MiB left the stream at once

    const plain = await pair();
    await settle();
    expect(peerMaySend(plain.theirs)).toBe(256 * 1024);
    plain.theirs.send(new Uint8Array(3 * MiB));
    expect(peerMaySend(plain.theirs)).toBe(0); // 256 KiB out, the rest waits for our updates
  });

  it('the answer still arrives whole and in order', async () => {
    const { ours, theirs } = await pair();
    widenReceiveWindow(ours, 4 * MiB);
    await settle();
    const chunks: Uint8Array[] = [];
    const read = (async () => {
      for await (const c of ours) chunks.push(c instanceof Uint8Array ? c : c.subarray());
    })();
    const sent = Uint8Array.from({ length: 3 * MiB }, (_, i) => (i * 7) & 0xff);
    theirs.send(sent);
    await theirs.close();
    await ours.close();
    await read;
    expect(Buffer.concat(chunks).equals(Buffer.from(sent))).toBe(true);
  });

  it('leaves a window alone when asked for no more than the default, and any stream that is not yamux', async () => {
    const { ours } = await pair();
    expect(widenReceiveWindow(ours, 256 * 1024)).toBe(false);
    expect(widenReceiveWindow({} as Stream, 4 * MiB)).toBe(false);
  });
});
