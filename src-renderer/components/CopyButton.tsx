// Copies a value to the clipboard and says so in place (announced to screen readers too).
import { useEffect, useState } from 'react';

export function CopyButton(props: { text: string; label?: string; testId?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1600);
    return () => clearTimeout(t);
  }, [state]);

  const copy = () => {
    navigator.clipboard.writeText(props.text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };

  const text = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : (props.label ?? 'Copy');
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost copy-btn"
      onClick={copy}
      data-testid={props.testId}
      aria-label={state === 'idle' ? `Copy ${props.what ?? 'value'}` : undefined}
    >
      <span aria-live="polite">{text}</span>
    </button>
  );
}
