import { describe, expect, it } from 'vitest';
import { orderIdScript, outpointKey, parseOutpoint } from './chain.ts';

describe('order-network transaction pieces', () => {
  it('puts the 32-byte order id in an OP_RETURN push', () => {
    const id = 'ab'.repeat(32);
    const script = orderIdScript(id);
    expect(script).toHaveLength(34);
    expect(Buffer.from(script).toString('hex')).toBe(`6a20${id}`);
  });

  it('reads and writes outpoints', () => {
    const o = { txid: 'cd'.repeat(32), vout: 17 };
    expect(parseOutpoint(outpointKey(o))).toEqual(o);
  });
});
