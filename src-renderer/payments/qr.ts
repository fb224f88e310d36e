// QR codes for payment requests. Written in byte mode only: a URI with did:is identifiers and
// base64url signatures is case-sensitive, and the alphanumeric mode (upper case only) would turn
// it into another request. Read with @zxing/library (pure JS, loaded only when a code is read).
import qrcode from 'qrcode-generator';

export interface QrMatrix {
  readonly size: number;
  readonly dark: (row: number, col: number) => boolean;
}

const UTF8 = new TextEncoder();

/** The code for `text`, in byte mode (UTF-8), error correction M. Never changes the text's case. */
export function encodeQr(text: string): QrMatrix {
  const qr = qrcode(0, 'M');
  // Bytes of the UTF-8 text, one QR byte each: the library's default would drop the high bits.
  const bytes = Array.from(UTF8.encode(text), (b) => String.fromCharCode(b)).join('');
  qr.addData(bytes, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  return { size, dark: (r, c) => qr.isDark(r, c) };
}

/** Modules of white around a code, as the QR standard asks (scanners find the corners by it). */
export const QUIET_ZONE = 4;

/** Whole pixels per module for a code drawn about `target` pixels wide: uneven modules read badly. */
export function qrPixelSize(m: QrMatrix, target: number): { perModule: number; width: number } {
  const modules = m.size + 2 * QUIET_ZONE;
  const perModule = Math.max(4, Math.floor(target / modules));
  return { perModule, width: perModule * modules };
}

/** One SVG path drawing every dark module as a 1×1 square (viewBox `0 0 size size`). */
export function qrPath(m: QrMatrix): string {
  let d = '';
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) if (m.dark(r, c)) d += `M${c} ${r}h1v1h-1z`;
  }
  return d;
}

/** RGBA pixels of the code: `scale` pixels per module and a quiet zone of `margin` modules. */
export function qrPixels(
  m: QrMatrix,
  scale = 4,
  margin = 4,
): { data: Uint8ClampedArray; width: number; height: number } {
  const width = (m.size + 2 * margin) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (!m.dark(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const i = (((r + margin) * scale + y) * width + (c + margin) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  return { data, width, height: width };
}

/**
 * The text of the QR code in an RGBA image, or undefined when it holds none. Decoded as UTF-8
 * bytes; the library is loaded on first use.
 */
export async function decodeQr(image: {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}): Promise<string | undefined> {
  const { data, width, height } = image;
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++) {
    // Rec. 601 weights; transparent pixels count as white (a PNG with an alpha background).
    const a = data[i * 4 + 3]! / 255;
    const y = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
    luminance[i] = Math.round(y * a + 255 * (1 - a));
  }
  // A picture cut from a dark screen keeps a strip of the dark around the code's quiet zone, and
  // the reader then misses a clean code (seen: one dark row under a screenshot). Read as it is
  // first, then with the dark that touches the picture's edge whitened.
  return (
    (await readLuminance(luminance, width, height)) ??
    (await readLuminance(whitenEdgeDark(luminance, width, height), width, height))
  );
}

async function readLuminance(luminance: Uint8ClampedArray, width: number, height: number) {
  const z = await import('@zxing/library');
  const source = new z.RGBLuminanceSource(luminance, width, height);
  const base: Array<[number, unknown]> = [
    [z.DecodeHintType.TRY_HARDER, true],
    [z.DecodeHintType.POSSIBLE_FORMATS, [z.BarcodeFormat.QR_CODE]],
    [z.DecodeHintType.CHARACTER_SET, 'UTF-8'],
  ];
  // A photo needs the finder search; a clean screenshot scaled by a non-integer factor reads
  // better as a "pure" code (module size taken from the corner pattern).
  for (const pure of [false, true]) {
    const hints = new Map<number, unknown>(pure ? [...base, [z.DecodeHintType.PURE_BARCODE, true]] : base);
    for (const binarizer of [z.HybridBinarizer, z.GlobalHistogramBinarizer]) {
      try {
        return new z.QRCodeReader().decode(new z.BinaryBitmap(new binarizer(source)), hints).getText();
      } catch {
        // No code found this way; try the next, then give up.
      }
    }
  }
  return undefined;
}

/**
 * A copy of the luminance with every dark pixel joined to the picture's edge by dark pixels
 * turned white (a flood fill from the edge). A code's dark modules sit inside its white quiet
 * zone, so they stay; a frame, a strip of dark screen or a shadow around it goes. "Dark" is below
 * the midpoint of the picture's darkest and lightest pixel.
 */
function whitenEdgeDark(luminance: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  let lo = 255;
  let hi = 0;
  for (const l of luminance) {
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const mid = (lo + hi) / 2;
  const out = Uint8ClampedArray.from(luminance);
  const stack: number[] = [];
  const push = (i: number) => {
    if (out[i]! < mid) {
      out[i] = 255;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < (height - 1) * width) push(i + width);
  }
  return out;
}
