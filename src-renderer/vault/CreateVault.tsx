// Create a vault: password (twice), phrase length, optional passphrase. The node returns the
// new recovery phrase once; the parent shows it before anything else happens.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { PasswordPair, passwordPairErrors, type PasswordPairValue } from './PasswordPair.tsx';
import { useApplyVaultState } from './use-vault-state.ts';
import { VaultLayout } from './VaultLayout.tsx';

/** App keeps this flow on screen while the node creates the vault, even if 'unlocked' is pushed first. */
export const CREATE_VAULT_MUTATION = ['vault', 'create'] as const;

export function CreateVault(props: { onCreated(mnemonic: string): void; onBack(): void }) {
  const api = useApi();
  const applyVaultState = useApplyVaultState();
  const [pair, setPair] = useState<PasswordPairValue>({ password: '', confirm: '' });
  const [words, setWords] = useState<12 | 24>(12);
  const [passphrase, setPassphrase] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const create = useMutation({
    mutationKey: CREATE_VAULT_MUTATION,
    mutationFn: () =>
      api.call('vault.create', { password: pair.password, words, ...(passphrase ? { passphrase } : {}) }),
    onSuccess: (r) => {
      // The phrase screen must take over before the unlocked vault shows the main app.
      props.onCreated(r.mnemonic);
      applyVaultState(r.state);
    },
  });

  const errors = submitted ? passwordPairErrors(pair) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(passwordPairErrors(pair)).length > 0) return;
    create.mutate();
  };

  return (
    <VaultLayout title="Create a new vault" testId="vault-create">
      <form onSubmit={submit} noValidate className="stack">
        <PasswordPair value={pair} onChange={setPair} errors={errors} testIdPrefix="vault" />
        <fieldset className="field">
          <legend>Recovery phrase length</legend>
          <div className="segmented">
            {([12, 24] as const).map((n) => (
              <label key={n} className="segmented-option">
                <input
                  type="radio"
                  name="words"
                  value={n}
                  checked={words === n}
                  onChange={() => setWords(n)}
                  data-testid={`vault-words-${n}`}
                />
                <span>{n} words</span>
              </label>
            ))}
          </div>
        </fieldset>
        <details className="advanced">
          <summary data-testid="vault-advanced">Advanced: add a passphrase</summary>
          <p className="muted small">
            A passphrase is an extra secret added to the recovery phrase. Restoring then needs both; if you lose the
            passphrase, the words alone will not bring your keys back. Most people leave this empty.
          </p>
          <TextField
            label="Passphrase (optional)"
            type="password"
            autoComplete="off"
            testId="vault-passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </details>
        {create.isError ? <ErrorNote error={create.error} testId="vault-create-error" /> : null}
        <div className="actions">
          <button type="button" className="btn btn-ghost" onClick={props.onBack}>
            Back
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending}
            data-testid="create-vault-submit"
          >
            {create.isPending ? 'Creating\u2026' : 'Create vault'}
          </button>
        </div>
      </form>
    </VaultLayout>
  );
}
