// A payment request as a QR code (byte mode: the text's case is kept) drawn as one SVG path,
// with crisp edges: a code placed at a fractional pixel offset would otherwise blur every module
// edge into grey, and a camera or a screenshot reads it less well.
import { useMemo } from 'react';
import { encodeQr, qrPath, qrPixelSize, QUIET_ZONE } from './qr.ts';

/** `size`: about how wide, in CSS pixels; the code is drawn with whole pixels per module. */
export function QrCode(props: { text: string; size?: number; testId?: string; label?: string }) {
  const { modules, path, width } = useMemo(() => {
    const m = encodeQr(props.text);
    return { modules: m.size, path: qrPath(m), width: qrPixelSize(m, props.size ?? 264).width };
  }, [props.text, props.size]);
  const q = QUIET_ZONE;
  return (
    <div className="qr" data-testid={props.testId} data-text={props.text}>
      <svg
        width={width}
        height={width}
        viewBox={`${-q} ${-q} ${modules + 2 * q} ${modules + 2 * q}`}
        role="img"
        shapeRendering="crispEdges"
        aria-label={props.label ?? 'QR code of the payment request'}
      >
        <rect x={-q} y={-q} width={modules + 2 * q} height={modules + 2 * q} fill="#fff" />
        <path d={path} fill="#000" />
      </svg>
    </div>
  );
}
