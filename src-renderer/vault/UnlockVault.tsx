// The vault exists but is locked: one password field. A wrong password is said plainly.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextField } from '../components/fields.tsx';
import { describeError } from '../format/errors.ts';
import { useApplyVaultState } from './use-vault-state.ts';
import { VaultLayout } from './VaultLayout.tsx';

export function UnlockVault() {
  const api = useApi();
  const applyVaultState = useApplyVaultState();
  const [password, setPassword] = useState('');

  const unlock = useMutation({
    mutationFn: () => api.call('vault.unlock', { password }),
    onSuccess: (r) => applyVaultState(r.state),
  });

  const err = unlock.isError ? describeError(unlock.error) : null;
  const wrongPassword = err?.code === 'VAULT_WRONG_PASSWORD';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length > 0) unlock.mutate();
  };

  return (
    <VaultLayout title="Unlock your vault" testId="vault-unlock">
      <form onSubmit={submit} noValidate className="stack">
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          autoFocus
          testId="unlock-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            if (unlock.isError) unlock.reset();
          }}
          error={
            wrongPassword
              ? 'That password is not right. Check Caps Lock and your keyboard layout, then try again.'
              : null
          }
        />
        {err && !wrongPassword ? <ErrorNote error={unlock.error} testId="unlock-error" /> : null}
        <div className="actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={unlock.isPending || password.length === 0}
            data-testid="unlock-submit"
          >
            {unlock.isPending ? 'Unlocking\u2026' : 'Unlock'}
          </button>
        </div>
        <p className="muted small">
          Forgot the password? It cannot be recovered, but your keys can: restore from your recovery phrase into a new
          data directory.
        </p>
      </form>
    </VaultLayout>
  );
}
