import { describe, expect, it } from 'vitest';
import {
  TXID_A,
  acceptWire,
  announceWire,
  cancelWire,
  holdWire,
  keepaliveWire,
  signedOrder,
} from '../orders/testkit.ts';
import {
  MAX_ORDER_MESSAGE_BYTES,
  ORDER_MESSAGE_CAPS,
  ORDER_MESSAGE_TYPES,
  decodeOrderMessage,
  encodeOrderMessage,
  marketTopic,
  messageTypeOf,
  signedMessageId,
  type OrderMessageType,
} from './orders.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const order = signedOrder();
const bigOrder = signedOrder({ makerUtxos: Array.from({ length: 50 }, (_, i) => `${TXID_A}:${i + 100_000}`) });

describe('decodeOrderMessage', () => {
  it('decodes an announce from bytes with amounts as bigint and the raw JSON kept for signatures', () => {
    const d = decodeOrderMessage(utf8(JSON.stringify(announceWire(order))), 'order.announce');
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.msg.order).toEqual(order);
    expect((d.raw.order as { baseAmount: unknown }).baseAmount).toBe('100000000');
  });
  it('decodes an already-parsed value the same way', () => {
    const d = decodeOrderMessage(announceWire(order), 'order.announce');
    expect(d.ok && d.msg.order.quoteAmount).toBe(25_000_000n);
  });
  it('encodes a message held with bigints back to the same wire JSON', () => {
    const wire = announceWire(order);
    expect(new TextDecoder().decode(encodeOrderMessage({ type: 'order.announce', order } as never))).toBe(
      JSON.stringify(wire),
    );
  });

  const wire = () =>
    JSON.parse(JSON.stringify(announceWire(order))) as { order: Record<string, unknown> } & Record<string, unknown>;
  const malformed: Array<[string, () => unknown, RegExp]> = [
    [
      'an amount as a number',
      () => ({ ...wire(), order: { ...wire().order, baseAmount: 100000000 } }),
      /order.baseAmount/,
    ],
    ['a decimal amount', () => ({ ...wire(), order: { ...wire().order, quoteAmount: '0.25' } }), /order.quoteAmount/],
    [
      'an amount with a leading zero',
      () => ({ ...wire(), order: { ...wire().order, quoteAmount: '025000000' } }),
      /order.quoteAmount/,
    ],
    ['a price as a decimal', () => ({ ...wire(), order: { ...wire().order, price: '0.25' } }), /order.price/],
    [
      'a zero price denominator',
      () => ({ ...wire(), order: { ...wire().order, price: { num: '1', den: '0' } } }),
      /order.price.den/,
    ],
    ['an unknown field', () => ({ ...wire(), order: { ...wire().order, bonus: '1' } }), /unrecognized|bonus/i],
    [
      'a missing service-node signature',
      () => {
        const w = wire();
        delete w.order.serviceNode;
        return w;
      },
      /order.serviceNode/,
    ],
    [
      'upper-case hex in the id',
      () => ({ ...wire(), order: { ...wire().order, id: (wire().order.id as string).toUpperCase() } }),
      /order.id/,
    ],
    [
      'an outpoint without vout',
      () => ({ ...wire(), order: { ...wire().order, makerUtxos: [TXID_A] } }),
      /order.makerUtxos/,
    ],
    ['a fractional timestamp', () => ({ ...wire(), order: { ...wire().order, createdAt: 1.5 } }), /order.createdAt/],
    [
      'a side that is neither buy nor sell',
      () => ({ ...wire(), order: { ...wire().order, side: 'short' } }),
      /order.side/,
    ],
    [
      'a bad ticker',
      () => ({ ...wire(), order: { ...wire().order, market: { base: 'D', quote: 'DEVB' } } }),
      /order.market.base/,
    ],
    ['another type', () => ({ ...wire(), type: 'order.cancel' }), /type/],
    ['not an object', () => 'hello', /invalid order.announce/],
    ['a bigint that never became a string', () => ({ ...wire(), extra: 1n }), /no JSON form/],
  ];
  it.each(malformed)('refuses %s as malformed', (_n, make, msg) => {
    const d = decodeOrderMessage(make(), 'order.announce');
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reason).toBe('malformed');
    expect(d.message).toMatch(msg);
  });

  const bytesCases: Array<[string, Uint8Array, string, RegExp]> = [
    ['bytes that are not UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d), 'malformed', /UTF-8/],
    ['text that is not JSON', utf8('{"type":'), 'malformed', /not JSON/],
    [
      'a duplicate key (two meanings for one signature)',
      utf8('{"type":"order.cancel","orderId":"x","orderId":"y"}'),
      'malformed',
      /twice/,
    ],
    [
      'bytes over the cap, before parsing them',
      new Uint8Array(ORDER_MESSAGE_CAPS['order.cancel'] + 1),
      'oversize',
      /over the 1024-byte cap/,
    ],
  ];
  it.each(bytesCases)('refuses %s', (_n, bytes, reason, msg) => {
    const d = decodeOrderMessage(bytes, 'order.cancel');
    expect(d.ok ? null : [d.reason, d.message]).toEqual([reason, expect.stringMatching(msg)]);
  });
  it('refuses a parsed value over the cap', () => {
    const d = decodeOrderMessage({ ...cancelWire(order.id), pad: 'x'.repeat(2000) }, 'order.cancel');
    expect(d.ok ? null : d.reason).toBe('oversize');
  });
  it('refuses to encode a message over its cap', () => {
    expect(() => encodeOrderMessage({ type: 'order.cancel', pad: 'x'.repeat(2000) } as never)).toThrow(
      expect.objectContaining({ code: 'ORDER_MESSAGE_TOO_LARGE' }),
    );
  });
});

describe('size caps', () => {
  const largest: Array<[OrderMessageType, Record<string, unknown>]> = [
    ['order.announce', announceWire(bigOrder)],
    ['order.keepalive', keepaliveWire(Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(64, '0')))],
    ['order.cancel', cancelWire(order.id)],
    ['order.accept', acceptWire(order)],
    ['order.hold', holdWire(order)],
  ];
  it.each(largest)('the largest real %s fits its cap with room to spare', (type, msg) => {
    const bytes = utf8(JSON.stringify(msg)).length;
    expect(bytes).toBeLessThan(ORDER_MESSAGE_CAPS[type]);
    expect(bytes).toBeGreaterThan(ORDER_MESSAGE_CAPS[type] / 4);
    expect(decodeOrderMessage(msg, type).ok).toBe(true);
  });
  it('a snapshot page of 100 of the largest orders fits its cap and the 1 MiB response limit', () => {
    const entry = { order: announceWire(bigOrder).order, hold: holdWire(order) };
    const page = {
      type: 'book.snapshot',
      market: { base: 'DEVA', quote: 'DEVB' },
      entries: Array.from({ length: 100 }, () => entry),
      next: null,
    };
    expect(utf8(JSON.stringify(page)).length).toBeLessThan(ORDER_MESSAGE_CAPS['book.snapshot']);
    expect(MAX_ORDER_MESSAGE_BYTES).toBeLessThan(1024 * 1024);
  });
  it('every message type has a cap', () => {
    for (const t of ORDER_MESSAGE_TYPES) expect(ORDER_MESSAGE_CAPS[t]).toBeGreaterThan(0);
  });
});

describe('names and ids', () => {
  it('one gossip topic per market, in its orientation', () => {
    expect(marketTopic('DEVA', 'DEVB')).toBe('/hashlock/orders/DEVA-DEVB/1');
  });
  it('finds the type of a message', () => {
    expect(messageTypeOf({ type: 'order.hold' })).toBe('order.hold');
    expect(messageTypeOf({ type: 'order.steal' })).toBeNull();
    expect(messageTypeOf([])).toBeNull();
    expect(messageTypeOf(null)).toBeNull();
  });
  it('a signed message id ignores the signature and changes with any signed field', () => {
    const a = acceptWire(order);
    expect(signedMessageId(a as never)).toBe(signedMessageId({ ...a, sig: '00'.repeat(64) } as never));
    expect(signedMessageId(a as never)).not.toBe(signedMessageId(acceptWire(order, { seq: 21 }) as never));
  });
});
