import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { decodeHtlcScript, encodeHtlcScript, htlcOutputScriptHex, p2wshOutputScript, secretMatches } from './script.ts';
import { MAKER_KEYS, SECRET, SECRET_HASH, TAKER_KEYS } from './testkit.ts';

const fields = {
  secretHash: SECRET_HASH,
  claimPubkey: TAKER_KEYS.makerChain,
  refundPubkey: MAKER_KEYS.makerChain,
  locktime: 264,
};

describe('HTLC script codec (pure)', () => {
  // Locktime and the push that encodes it (minimal script numbers).
  const pushes: Array<[number, string]> = [
    [0, '00'],
    [1, '51'],
    [16, '60'],
    [17, '0111'],
    [127, '017f'],
    [128, '028000'],
    [255, '02ff00'],
    [256, '020001'],
    [32767, '02ff7f'],
    [32768, '03008000'],
    [8_388_607, '03ffff7f'],
    [8_388_608, '0400008000'],
    [499_999_999, '04ff64cd1d'],
  ];
  it.each(pushes)('locktime %i is pushed as %s and read back', (locktime, push) => {
    const hex = bytesToHex(encodeHtlcScript({ ...fields, locktime }));
    expect(hex).toContain(`67${push}b17521`);
    expect(decodeHtlcScript(hexToBytes(hex))).toEqual({ ...fields, locktime });
  });
  it('lays out the opcodes exactly as specified', () => {
    const hex = bytesToHex(encodeHtlcScript(fields));
    expect(hex).toBe(
      `6382012088a820${SECRET_HASH}8821${TAKER_KEYS.makerChain}67020801b17521${MAKER_KEYS.makerChain}68ac`,
    );
  });
  const bad: Array<[string, string, string]> = [
    ['a non-minimal locktime push', '0301010067', 'non-canonical'],
    ['a one-byte push of a small number', '010567', 'non-canonical'],
    ['a locktime pushed with OP_PUSHDATA1', '4c02080167', 'non-canonical'],
    ['a negative locktime', '018167', 'bad-locktime'],
    ['a timestamp locktime', '040065cd1d67', 'bad-locktime'],
  ];
  it.each(bad)('refuses %s', (_name, push, code) => {
    const hex = bytesToHex(encodeHtlcScript(fields)).replace('020801', push.slice(0, -2));
    expect(() => decodeHtlcScript(hexToBytes(hex))).toThrow(expect.objectContaining({ code }));
  });
  it('refuses trailing and missing bytes', () => {
    const script = encodeHtlcScript(fields);
    expect(() => decodeHtlcScript(Uint8Array.from([...script, 0x00]))).toThrow(
      expect.objectContaining({ code: 'not-htlc' }),
    );
    expect(() => decodeHtlcScript(script.slice(0, -1))).toThrow(/not a Hashlock HTLC/);
    expect(() => decodeHtlcScript(new Uint8Array())).toThrow(/not a Hashlock HTLC/);
  });
  it('refuses to encode malformed fields', () => {
    expect(() => encodeHtlcScript({ ...fields, secretHash: 'ab' })).toThrow(
      expect.objectContaining({ code: 'bad-secret-hash' }),
    );
    expect(() => encodeHtlcScript({ ...fields, claimPubkey: '04' + 'ab'.repeat(32) })).toThrow(
      expect.objectContaining({ code: 'bad-pubkey' }),
    );
    expect(() => encodeHtlcScript({ ...fields, locktime: 500_000_000 })).toThrow(
      expect.objectContaining({ code: 'bad-locktime' }),
    );
    expect(() => encodeHtlcScript({ ...fields, locktime: -1 })).toThrow(
      expect.objectContaining({ code: 'bad-locktime' }),
    );
  });
  it('P2WSH output is OP_0 followed by the script SHA-256', () => {
    const out = p2wshOutputScript(encodeHtlcScript(fields));
    expect(out.length).toBe(34);
    expect(bytesToHex(out.slice(0, 2))).toBe('0020');
    expect(htlcOutputScriptHex(fields)).toBe(bytesToHex(out));
  });
  it('secretMatches only for the preimage of the hash', () => {
    expect(secretMatches(SECRET, SECRET_HASH)).toBe(true);
    expect(secretMatches('00'.repeat(32), SECRET_HASH)).toBe(false);
    expect(secretMatches(SECRET.toUpperCase(), SECRET_HASH)).toBe(false);
    expect(secretMatches('abcd', SECRET_HASH)).toBe(false);
  });
});
