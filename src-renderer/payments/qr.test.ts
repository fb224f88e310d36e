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
