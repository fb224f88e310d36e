import { describe, expect, it } from 'vitest';
import { ENCODINGS, fitsProfile, smallestFitting, type Encoding } from './avatar-image.ts';

/** A fake encoder: the image's bytes grow with size² × quality. */
const fake = (bytesPer: number) => (e: Encoding) => {
  const bytes = Math.round(e.size * e.size * e.quality * bytesPer);
  const b64 = 'A'.repeat(Math.ceil(bytes / 3) * 4);
  return `data:${e.type};base64,${b64}`;
};

describe('avatar encoding', () => {
  it('takes the largest, best encoding that fits the 2000-character field', async () => {
    const r = await smallestFitting(fake(0.3));
    expect(r?.encoding).toEqual({ size: 64, type: 'image/webp', quality: 0.8 });
    expect(fitsProfile(r!.dataUri)).toBe(true);
  });

  it('steps down in size and quality for a busy picture', async () => {
    const r = await smallestFitting(fake(1));
    expect(r!.encoding.size).toBeLessThan(64);
    expect(r!.dataUri.length).toBeLessThanOrEqual(2000);
  });

  it('skips an encoding the browser fell back from (canvas gives PNG for unknown types)', async () => {
    const r = await smallestFitting((e) =>
      e.type === 'image/webp' ? fake(0.3)({ ...e, type: 'image/png' }) : fake(0.3)(e),
    );
    expect(r?.encoding.type).toBe('image/jpeg');
  });

  it('gives up when nothing fits', async () => {
    expect(await smallestFitting(fake(100))).toBeUndefined();
  });

  it('accepts only raster data URIs within the cap', () => {
    expect(fitsProfile('data:image/png;base64,AAAA')).toBe(true);
    expect(fitsProfile('data:image/svg+xml;base64,AAAA')).toBe(false);
    expect(fitsProfile(`data:image/png;base64,${'A'.repeat(2000)}`)).toBe(false);
    expect(ENCODINGS.length).toBeGreaterThan(10);
  });
});
