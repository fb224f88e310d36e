// Shows a new recovery phrase exactly once and checks it was written down by asking for a
// few words back. The phrase lives only in this component's memory.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../components/fields.tsx';
import { cryptoRandomBelow, pickCheckPositions, splitMnemonic, wordMatches } from './mnemonic.ts';
import { VaultLayout } from './VaultLayout.tsx';

const CHECKED_WORDS = 3;

export function BackupMnemonic(props: { mnemonic: string; onDone(): void }) {
  const words = splitMnemonic(props.mnemonic);
  const [step, setStep] = useState<'show' | 'check'>('show');
  const [written, setWritten] = useState(false);
  const [positions] = useState(() => pickCheckPositions(words.length, CHECKED_WORDS, cryptoRandomBelow));
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [wrong, setWrong] = useState<number[]>([]);
  const headingRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  if (step === 'show') {
    return (
      <VaultLayout title="Write down your recovery phrase" wide testId="mnemonic-backup">
        <div className="note note-warn">
          <p className="note-title">This is shown once.</p>
          <p>
            These {words.length} words are the only way to restore your vault if this computer is lost or the password
            is forgotten. Write them on paper, in order, and keep it somewhere safe. Anyone who has them can take your
            keys. Do not take a screenshot or store them online.
          </p>
        </div>
        <ol className="mnemonic-grid" aria-label="Recovery phrase" data-testid="mnemonic-words">
          {words.map((w, i) => (
            <li key={i} data-testid={`mnemonic-word-${i + 1}`} data-word={w}>
              <span className="mnemonic-index">{i + 1}</span>
              <span className="mnemonic-word">{w}</span>
            </li>
          ))}
        </ol>
        <label className="check">
          <input
            type="checkbox"
            checked={written}
            onChange={(e) => setWritten(e.target.checked)}
            data-testid="mnemonic-written"
          />
          <span>I have written down all {words.length} words, in order.</span>
        </label>
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!written}
            onClick={() => setStep('check')}
            data-testid="mnemonic-continue"
          >
            Continue
          </button>
        </div>
      </VaultLayout>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = positions.filter((p) => !wordMatches(words[p - 1] ?? '', answers[p] ?? ''));
    setWrong(bad);
    if (bad.length === 0) props.onDone();
  };

  return (
    <VaultLayout title="Check your recovery phrase" testId="mnemonic-check">
      <p className="lead" ref={headingRef} tabIndex={-1}>
        Type these words from what you wrote down, to make sure the copy is right.
      </p>
      <form onSubmit={submit} noValidate className="stack">
        {positions.map((p) => (
          <TextField
            key={p}
            label={`Word #${p}`}
            testId={`mnemonic-check-${p}`}
            data-word-index={p}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={answers[p] ?? ''}
            onChange={(e) => setAnswers({ ...answers, [p]: e.target.value })}
            error={wrong.includes(p) ? `That is not word #${p}. Check your copy.` : null}
          />
        ))}
        <div className="actions">
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setStep('show');
              setWrong([]);
            }}
            data-testid="mnemonic-back"
          >
            Show the phrase again
          </button>
          <button type="submit" className="btn btn-primary" data-testid="mnemonic-confirm">
            Confirm
          </button>
        </div>
      </form>
    </VaultLayout>
  );
}
