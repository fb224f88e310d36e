// An avatar picked from a file, made small enough for the profile's image field: a square crop,
// downscaled and re-encoded until the data URI fits the pure core's cap (2000 characters, 1,468
// bytes of image). The search is pure over an encoder; the canvas encoder is the browser part.
import { MAX_INLINE_IMAGE_BYTES, PROFILE_LIMITS, imageKind } from '../../src-shared/identity/profile.ts';

export interface Encoding {
  readonly size: number;
  readonly type: 'image/webp' | 'image/jpeg' | 'image/png';
  readonly quality: number;
}

/** Largest and best first: the first that fits wins. */
export const ENCODINGS: readonly Encoding[] = [
  ...[64, 56, 48, 40, 32, 24].flatMap((size) =>
    (['image/webp', 'image/jpeg'] as const).flatMap((type) =>
      [0.8, 0.6, 0.4].map((quality): Encoding => ({ size, type, quality })),
    ),
  ),
  { size: 32, type: 'image/png', quality: 1 },
  { size: 24, type: 'image/png', quality: 1 },
];

/** Whether a data URI is one the profile accepts (and we publish). */
export function fitsProfile(dataUri: string): boolean {
  return dataUri.length <= PROFILE_LIMITS.image && imageKind(dataUri) === 'data';
}

/**
 * The first encoding whose result fits; `encode` returns a data URI (or '' when the browser cannot
 * encode that type: canvas falls back to PNG, which is then checked like any other).
 */
export async function smallestFitting(
  encode: (e: Encoding) => Promise<string> | string,
  encodings: readonly Encoding[] = ENCODINGS,
): Promise<{ dataUri: string; encoding: Encoding } | undefined> {
  for (const e of encodings) {
    const dataUri = await encode(e);
    if (dataUri.startsWith(`data:${e.type};`) && fitsProfile(dataUri)) return { dataUri, encoding: e };
  }
  return undefined;
}

/** Reads an image file and returns a data URI that fits the profile, or says why it cannot. */
export async function avatarFromFile(file: Blob): Promise<string> {
  if (!file.type.startsWith('image/') || file.type === 'image/svg+xml') {
    throw new Error('Pick a PNG, JPEG, GIF or WebP picture (SVG can carry scripts and is not accepted).');
  }
  if (file.size > 20 * 1024 * 1024) throw new Error('That picture is over 20 MB; pick a smaller one.');
  const bitmap = await createImageBitmap(file);
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const sx = (bitmap.width - side) / 2;
    const sy = (bitmap.height - side) / 2;
    const canvas = document.createElement('canvas');
    const found = await smallestFitting((e) => {
      canvas.width = e.size;
      canvas.height = e.size;
      const ctx = canvas.getContext('2d');
      if (!ctx) return '';
      ctx.imageSmoothingQuality = 'high';
      ctx.clearRect(0, 0, e.size, e.size);
      ctx.drawImage(bitmap, sx, sy, side, side, 0, 0, e.size, e.size);
      return canvas.toDataURL(e.type, e.quality);
    });
    if (!found)
      throw new Error(`The picture cannot be made small enough (${MAX_INLINE_IMAGE_BYTES} bytes); try a simpler one.`);
    return found.dataUri;
  } finally {
    bitmap.close();
  }
}
