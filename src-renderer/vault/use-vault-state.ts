// The answers to create, restore, unlock and lock carry the vault's new state, the same fact the
// node pushes as vault.state: they are applied as that event, so every feature drops what needed
// the unlocked vault in one place (its own vault.state handler), whichever arrives first.
import { useMutation } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi, useDispatchEvent } from '../api/ApiProvider.tsx';

type VaultState = Result<'vault.status'>['state'];

export function useApplyVaultState(): (state: VaultState) => void {
  const dispatch = useDispatchEvent();
  return useCallback((state: VaultState) => dispatch({ event: 'vault.state', data: { state } }), [dispatch]);
}

export function useLockVault() {
  const api = useApi();
  const apply = useApplyVaultState();
  return useMutation({
    mutationFn: () => api.call('vault.lock', {}),
    onSuccess: (r) => apply(r.state),
  });
}
