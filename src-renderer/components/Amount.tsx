// An amount as the node sent it (a decimal string), grouped and padded for aligned columns.
import { formatDecimalForDisplay } from '../format/amount.ts';

export function Amount(props: { value: string | undefined; decimals?: number; unit?: string; testId?: string }) {
  if (props.value === undefined) return <span className="num muted" data-testid={props.testId}>{'\u2014'}</span>;
  return (
    <span className="num" data-testid={props.testId} data-value={props.value}>
      {formatDecimalForDisplay(props.value, { minFractionDigits: props.decimals ?? 8 })}
      {props.unit ? <span className="unit"> {props.unit}</span> : null}
    </span>
  );
}
