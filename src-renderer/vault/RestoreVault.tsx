// Restore a vault from a recovery phrase (and its passphrase, if one was used), under a new
// password. Problems with the phrase are shown next to the phrase.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { describeError } from '../format/errors.ts';
import { normalizeMnemonic, VALID_WORD_COUNTS } from './mnemonic.ts';
import { PasswordPair, passwordPairErrors, type PasswordPairValue } from './PasswordPair.tsx';
import { useApplyVaultState } from './use-vault-state.ts';
import { VaultLayout } from './VaultLayout.tsx';

function phraseProblem(phrase: string): string | null {
  const n = phrase.length === 0 ? 0 : phrase.split(' ').length;
  if (n === 0) return 'Enter your recovery phrase.';
  if (!VALID_WORD_COUNTS.includes(n))
    return `That is ${n} word${n === 1 ? '' : 's'}; a recovery phrase has 12, 15, 18, 21 or 24.`;
  return null;
}

export function RestoreVault(props: { onBack(): void }) {
  const api = useApi();
  const applyVaultState = useApplyVaultState();
  const [phraseText, setPhraseText] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [pair, setPair] = useState<PasswordPairValue>({ password: '', confirm: '' });
  const [submitted, setSubmitted] = useState(false);
  const phrase = normalizeMnemonic(phraseText);

  const restore = useMutation({
    mutationFn: () =>
      api.call('vault.restore', { mnemonic: phrase, password: pair.password, ...(passphrase ? { passphrase } : {}) }),
    onSuccess: (r) => applyVaultState(r.state),
  });

  const localPhrase = submitted ? phraseProblem(phrase) : null;
  const nodeError = restore.isError ? describeError(restore.error) : null;
  const phraseError =
    localPhrase ??
    (nodeError?.code === 'VAULT_BAD_MNEMONIC' ? `${nodeError.message} ${nodeError.hint ?? ''}`.trim() : null);
  const pairErrors = submitted ? passwordPairErrors(pair) : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (phraseProblem(phrase) || Object.keys(passwordPairErrors(pair)).length > 0) return;
    restore.mutate();
  };

  const count = phrase.length === 0 ? 0 : phrase.split(' ').length;
  return (
    <VaultLayout title="Restore from a recovery phrase" testId="vault-restore">
      <form onSubmit={submit} noValidate className="stack">
        <TextArea
          label="Recovery phrase"
          testId="restore-mnemonic"
          rows={4}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          className="input mono"
          value={phraseText}
          onChange={(e) => {
            setPhraseText(e.target.value);
            restore.reset();
          }}
          hint={`The words in order, separated by spaces. ${count} word${count === 1 ? '' : 's'} entered.`}
          error={phraseError}
        />
        <details className="advanced">
          <summary>Advanced: the phrase had a passphrase</summary>
          <TextField
            label="Passphrase"
            type="password"
            autoComplete="off"
            testId="restore-passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            hint="Only if you added one when the vault was created. A wrong passphrase restores different, empty keys."
          />
        </details>
        <PasswordPair value={pair} onChange={setPair} errors={pairErrors} testIdPrefix="restore" />
        {nodeError && nodeError.code !== 'VAULT_BAD_MNEMONIC' ? (
          <ErrorNote error={restore.error} testId="restore-error" />
        ) : null}
        <div className="actions">
          <button type="button" className="btn btn-ghost" onClick={props.onBack}>
            Back
          </button>
          <button type="submit" className="btn btn-primary" disabled={restore.isPending} data-testid="restore-submit">
            {restore.isPending ? 'Restoring\u2026' : 'Restore vault'}
          </button>
        </div>
      </form>
    </VaultLayout>
  );
}
