// A payment request as a QR code (byte mode: the text's case is kept) drawn as one SVG path.
import { useMemo } from 'react';
import { encodeQr, qrPath } from './qr.ts';

export function QrCode(props: { text: string; testId?: string; label?: string }) {
  const { size, path } = useMemo(() => {
    const m = encodeQr(props.text);
    return { size: m.size, path: qrPath(m) };
  }, [props.text]);
  return (
    <div className="qr" data-testid={props.testId} data-text={props.text}>
      <svg
        viewBox={`-2 -2 ${size + 4} ${size + 4}`}
        role="img"
        aria-label={props.label ?? 'QR code of the payment request'}
      >
        <rect x={-2} y={-2} width={size + 4} height={size + 4} fill="#fff" />
        <path d={path} fill="#000" />
      </svg>
    </div>
  );
}
