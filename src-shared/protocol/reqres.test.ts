import { describe, expect, it } from 'vitest';
import {
  JsonText,
  decodeJson,
  decodeResponse,
  encodeJson,
  errorResponse,
  okResponse,
  sanitizeRemoteText,
} from './reqres.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodeJson', () => {
  it.each([
    ['an object', '{"a":1}', { a: 1 }],
    ['a bare string', '"x"', 'x'],
    ['null', 'null', null],
    ['deeply nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, expect.any(Array)],
  ])('accepts %s', (_name, text, value) => {
    expect(decodeJson(bytes(text))).toEqual({ ok: true, value });
  });

  it.each([
    ['truncated JSON', bytes('{"a":'), 'not-json'],
    ['empty input', new Uint8Array(), 'not-json'],
    ['JavaScript that is not JSON', bytes("{a: 'b'}"), 'not-json'],
    ['invalid UTF-8', new Uint8Array([0x22, 0xff, 0xfe, 0x22]), 'not-utf8'],
    ['a lone continuation byte', new Uint8Array([0x80]), 'not-utf8'],
  ])('refuses %s without throwing', (_name, input, reason) => {
    expect(decodeJson(input)).toEqual({ ok: false, reason });
  });
});

describe('encodeJson', () => {
  it('sends an answer written as JSON text as it is, inside the ok envelope', () => {
    const text = '{"v":1,"records":[{"content":"a.b.c"}]}';
    const encoded = encodeJson(okResponse(new JsonText(text)));
    expect(new TextDecoder().decode(encoded)).toBe(`{"ok":true,"body":${text}}`);
    expect(decodeResponse(encoded)).toEqual({
      ok: true,
      response: { ok: true, body: { v: 1, records: [{ content: 'a.b.c' }] } },
    });
  });

  it('round-trips through decodeJson', () => {
    const value = { amount: '1.25', list: [1, 'two', null], nested: { ok: true } };
    expect(decodeJson(encodeJson(value))).toEqual({ ok: true, value });
  });

  it.each([
    ['a bigint', 10n],
    ['undefined', undefined],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
  ])('refuses %s', (_name, value) => {
    expect(() => encodeJson(value)).toThrow(expect.objectContaining({ code: 'NOT_JSON_ENCODABLE' }));
  });
});

describe('decodeResponse', () => {
  it.each([
    ['a success', okResponse({ n: 1 })],
    ['a success with no body', okResponse(undefined)],
    ['an error', errorResponse('BAD_REQUEST', 'The request was not valid JSON.')],
  ])('accepts %s', (_name, response) => {
    expect(decodeResponse(encodeJson(response))).toEqual({ ok: true, response });
  });

  it.each([
    ['a bare body', '{"n":1}', 'bad-envelope'],
    ['ok as a string', '{"ok":"true","body":1}', 'bad-envelope'],
    ['an error without a code', '{"ok":false,"error":{"message":"x"}}', 'bad-envelope'],
    ['an oversized error code', `{"ok":false,"error":{"code":"${'X'.repeat(65)}","message":""}}`, 'bad-envelope'],
    ['an oversized error message', `{"ok":false,"error":{"code":"X","message":"${'m'.repeat(501)}"}}`, 'bad-envelope'],
    ['not JSON', 'ok', 'not-json'],
  ])('refuses %s', (_name, text, reason) => {
    expect(decodeResponse(bytes(text))).toEqual({ ok: false, reason });
  });

  it('bounds the message of an error it builds', () => {
    const r = errorResponse('INTERNAL', 'x'.repeat(10_000));
    expect(r.ok === false && r.error.message.length).toBe(500);
  });
});

describe('sanitizeRemoteText', () => {
  it('removes control and bidi-override characters and bounds the length', () => {
    expect(sanitizeRemoteText('a\u0000b\nc\u202ed')).toBe('a b c d');
    expect(sanitizeRemoteText('y'.repeat(300))).toHaveLength(200);
  });
});
