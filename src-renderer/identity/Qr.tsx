// A QR code of a DID (or a did:is link) in byte mode: base58 is case-sensitive, so it must never
// be upper-cased into alphanumeric mode (facts/identity.md). Drawn as SVG rectangles: no canvas,
// no inline HTML.
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

export function Qr(props: { text: string; size?: number; label: string; testId?: string }) {
  const cells = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(props.text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    const dark: Array<[number, number]> = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push([c, r]);
    return { n, dark };
  }, [props.text]);
  const quiet = 4;
  const view = cells.n + quiet * 2;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={props.label}
      width={props.size ?? 180}
      height={props.size ?? 180}
      viewBox={`0 0 ${view} ${view}`}
      shapeRendering="crispEdges"
      data-testid={props.testId}
    >
      <rect width={view} height={view} fill="#fff" />
      <path fill="#000" d={cells.dark.map(([x, y]) => `M${x + quiet} ${y + quiet}h1v1h-1z`).join('')} />
    </svg>
  );
}
