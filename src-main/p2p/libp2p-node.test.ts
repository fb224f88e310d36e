// gossipFastId: the key gossipsub knows a copy of a message by before it checks the copy's
// signature. Two copies of one message share it; any other origin or sequence number does not,
// however the bytes of the two fields are split.
import { describe, expect, it } from 'vitest';
import { gossipFastId } from './libp2p-node.ts';

const b = (...xs: number[]) => Uint8Array.from(xs);

describe('gossipFastId', () => {
  it('is the same for two copies of one message and differs for another origin or sequence number', () => {
    const from = b(0, 36, 8, 1, 18, 32, 7, 7);
    const seqno = b(0x18, 0x6a, 0, 0, 0, 0, 0, 1);
    expect(gossipFastId({ from: Uint8Array.from(from), seqno: Uint8Array.from(seqno) })).toBe(
      gossipFastId({ from, seqno }),
    );
    expect(gossipFastId({ from, seqno: b(0x18, 0x6a, 0, 0, 0, 0, 0, 2) })).not.toBe(gossipFastId({ from, seqno }));
    expect(gossipFastId({ from: b(0, 36, 8, 1, 18, 32, 7, 8), seqno })).not.toBe(gossipFastId({ from, seqno }));
  });

  it('keeps the two fields apart: moving a byte from one to the other is another id', () => {
    expect(gossipFastId({ from: b(1, 2), seqno: b(3) })).not.toBe(gossipFastId({ from: b(1), seqno: b(2, 3) }));
    expect(gossipFastId({ from: b(1, 2, 3) })).not.toBe(gossipFastId({ seqno: b(1, 2, 3) }));
  });
});
