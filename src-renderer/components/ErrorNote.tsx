// One failure, in plain words, with what to do about it.
import { describeError } from '../format/errors.ts';

export function ErrorNote(props: { error: unknown; testId?: string; title?: string }) {
  const d = describeError(props.error);
  return (
    <div className="note note-error" role="alert" data-testid={props.testId} data-code={d.code}>
      {props.title ? <p className="note-title">{props.title}</p> : null}
      <p>{d.message}</p>
      {d.hint ? <p className="note-hint">{d.hint}</p> : null}
    </div>
  );
}
