// Labelled form controls with their hint and error wired up for assistive technology.
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  testId?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Chrome(props: FieldChrome & { id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <div id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div
          id={`${props.id}-error`}
          className="field-error"
          role="alert"
          data-testid={props.testId ? `${props.testId}-error` : undefined}
        >
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

export function TextField(props: FieldChrome & InputHTMLAttributes<HTMLInputElement>) {
  const { label, hint, error, testId, id, className, ...input } = props;
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Chrome id={fieldId} label={label} hint={hint} error={error} testId={testId}>
      <input
        id={fieldId}
        data-testid={testId}
        className={className ?? 'input'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...input}
      />
    </Chrome>
  );
}

export function TextArea(props: FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { label, hint, error, testId, id, className, ...area } = props;
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Chrome id={fieldId} label={label} hint={hint} error={error} testId={testId}>
      <textarea
        id={fieldId}
        data-testid={testId}
        className={className ?? 'input'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...area}
      />
    </Chrome>
  );
}
