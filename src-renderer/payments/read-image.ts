// Reading a QR code from a picture the user chose, dropped or the camera saw: the image is drawn
// on a canvas (no upload, no remote URL; a data URI keeps within the CSP) and handed to decodeQr.
import { decodeQr } from './qr.ts';

/** Pictures larger than this are scaled down first: a QR code needs far fewer pixels. */
const MAX_SIDE = 1600;
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;

export type ImageRead = { ok: true; text: string } | { ok: false; reason: string };

function load(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error('the file could not be read'));
    reader.onload = () => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('the file is not an image this browser can show'));
      img.src = String(reader.result);
    };
    reader.readAsDataURL(file);
  });
}

/** RGBA pixels of whatever is drawn (an image or a video frame), scaled to at most MAX_SIDE. */
export function pixelsOf(source: CanvasImageSource, width: number, height: number) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot draw images');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

export async function readQrFile(file: File): Promise<ImageRead> {
  if (!file.type.startsWith('image/')) return { ok: false, reason: `"${file.name}" is not an image.` };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, reason: `"${file.name}" is too large for a QR code picture.` };
  try {
    const img = await load(file);
    const text = await decodeQr(pixelsOf(img, img.naturalWidth, img.naturalHeight));
    return text === undefined ? { ok: false, reason: `No QR code was found in "${file.name}".` } : { ok: true, text };
  } catch (err) {
    return { ok: false, reason: `"${file.name}": ${err instanceof Error ? err.message : String(err)}.` };
  }
}
