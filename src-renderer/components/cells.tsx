// Cells the trading tables share: a side in words, a time (short, the full one on hover) and
// the row shown when a table is empty.
import { fullTime, shortTime } from '../format/time.ts';

export function Side(props: { side: 'buy' | 'sell' }) {
  return <span className={`side-word side-${props.side}`}>{props.side === 'buy' ? 'Buy' : 'Sell'}</span>;
}

export function When(props: { ms: number }) {
  return (
    <time className="num muted" dateTime={new Date(props.ms).toISOString()} title={fullTime(props.ms)}>
      {shortTime(props.ms)}
    </time>
  );
}

export function EmptyRow(props: { cols: number; children: string; testId: string }) {
  return (
    <tr>
      <td colSpan={props.cols} className="empty muted" data-testid={props.testId}>
        {props.children}
      </td>
    </tr>
  );
}
