// QR codes carry payment requests byte for byte: mixed case kept (identity keys and signatures are
// case-sensitive), UTF-8 kept, and what is drawn reads back the same. Something that is no code
// reads as nothing.
import { describe, expect, it } from 'vitest';
import bindings from '../../src-shared/payments/fixtures/bindings.json' with { type: 'json' };
import { decodeQr, encodeQr, qrPath, qrPixels, qrPixelSize } from './qr.ts';

const SIGNED = bindings.vectors[0]!.uri;

describe('payment QR codes', () => {
  it('a signed request reads back exactly, upper and lower case intact', async () => {
    expect(SIGNED).toMatch(/[a-z]/);
    expect(SIGNED).toMatch(/[A-Z]/);
    expect(await decodeQr(qrPixels(encodeQr(SIGNED)))).toBe(SIGNED);
  });

  it('the code as drawn on screen still reads when a screenshot scales it by an odd factor', async () => {
    const m = encodeQr(SIGNED);
    const { perModule } = qrPixelSize(m, 264);
    expect(perModule).toBeGreaterThanOrEqual(4);
    const img = qrPixels(m, perModule, 4);
    for (const f of [0.9, 1.25, 1.5]) {
      const w = Math.round(img.width * f);
      const data = new Uint8ClampedArray(w * w * 4);
      for (let y = 0; y < w; y++)
        for (let x = 0; x < w; x++)
          for (let k = 0; k < 4; k++)
            data[(y * w + x) * 4 + k] = img.data[(Math.floor(y / f) * img.width + Math.floor(x / f)) * 4 + k]!;
      expect(await decodeQr({ data, width: w, height: w }), `scaled ${f}`).toBe(SIGNED);
    }
  });

  it('a code cut from a dark screen with a strip of the dark around it still reads', async () => {
    // Seen in a screenshot of the counter view: the code's box at a half pixel took one row of
    // the dark page below it, and the reader found no code in a clean picture.
    const uri =
      'deva:rltc1qrzhh6adpc8mlhdfzmrn4ntj3ug0g83eusumzwh?amount=1.25&label=Alice%20Shop&message=Order%2042' +
      '&identity=did:is:PPcMTa6tCWsesqeDAKp333LAmNzRwdzdrH&identity-expires=1796645759&identity-nonce=dEgEcH4o4nS8CCplqMtiwA' +
      '&identity-sig=H0oCYa13qc5bu9wWwGpVW1HB12E-tuoJsTGXP-SxyzwMCHWhtF-NfqhWAdUUMRhXqGqNb2MDtP7vhMp81f7P1vE';
    const code = qrPixels(encodeQr(uri), 4, 4);
    const frames = [
      { top: 0, bottom: 1, left: 0, right: 0 },
      { top: 2, bottom: 2, left: 2, right: 2 },
      { top: 24, bottom: 24, left: 24, right: 24 },
    ];
    for (const f of frames) {
      const width = code.width + f.left + f.right;
      const height = code.height + f.top + f.bottom;
      const data = new Uint8ClampedArray(width * height * 4);
      for (let i = 0; i < width * height; i++) data.set([17, 17, 17, 255], i * 4);
      for (let y = 0; y < code.height; y++)
        data.set(code.data.subarray(y * code.width * 4, (y + 1) * code.width * 4), ((y + f.top) * width + f.left) * 4);
      expect(await decodeQr({ data, width, height }), JSON.stringify(f)).toBe(uri);
    }
  });

  it('UTF-8 text survives', async () => {
    const text = 'deva:rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn?label=Caf%C3%A9&message=Grüße';
    expect(await decodeQr(qrPixels(encodeQr(text)))).toBe(text);
  });

  it('the code of a text differs from the code of its upper-cased form (byte mode, nothing folded)', () => {
    const a = qrPath(encodeQr(SIGNED));
    const b = qrPath(encodeQr(SIGNED.toUpperCase()));
    expect(a).not.toBe(b);
  });

  it('a blank or noisy image holds no code', async () => {
    const blank = { data: new Uint8ClampedArray(120 * 120 * 4).fill(255), width: 120, height: 120 };
    expect(await decodeQr(blank)).toBeUndefined();
    const noise = new Uint8ClampedArray(120 * 120 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7919) % 256));
    expect(await decodeQr({ data: noise, width: 120, height: 120 })).toBeUndefined();
  });

  it('draws one square per dark module', () => {
    const m = encodeQr('deva:x');
    let dark = 0;
    for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.dark(r, c)) dark++;
    expect(qrPath(m).match(/M/g)).toHaveLength(dark);
  });
});
