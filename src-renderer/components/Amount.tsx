// An amount as the node sent it (a decimal string), grouped and padded for aligned columns, in
// the user's number format (Settings).
import { formatNumber, useNumberFormat } from '../format/number-format.tsx';

export function Amount(props: { value: string | undefined; decimals?: number; unit?: string; testId?: string }) {
  const fmt = useNumberFormat();
  if (props.value === undefined)
    return (
      <span className="num muted" data-testid={props.testId}>
        {'\u2014'}
      </span>
    );
  return (
    <span className="num" data-testid={props.testId} data-value={props.value}>
      {formatNumber(fmt, props.value, props.decimals ?? 8)}
      {props.unit ? <span className="unit"> {props.unit}</span> : null}
    </span>
  );
}
