// Decides which screen the user sees: the vault flow until the vault is unlocked (and a new
// recovery phrase has been written down), then the main app.
import { useIsMutating, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../src-shared/api/errors.ts';
import { useApi, useConnection } from '../api/ApiProvider.tsx';
import { BackupMnemonic, CREATE_VAULT_MUTATION, UnlockVault, vaultQueries, Welcome } from '../vault/index.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { NoToken } from './NoToken.tsx';
import { Shell } from './Shell.tsx';
import { Splash } from './Splash.tsx';

export function App() {
  const api = useApi();
  const connection = useConnection();
  const [newMnemonic, setNewMnemonic] = useState<string | null>(null);
  const vault = useQuery(vaultQueries(api).status());
  // The node may push 'unlocked' before the reply carrying the new phrase arrives.
  const creating = useIsMutating({ mutationKey: CREATE_VAULT_MUTATION }) > 0;

  if (connection.status === 'unauthorized') return <NoToken reason="refused" />;

  let screen;
  if (newMnemonic !== null) {
    screen = <BackupMnemonic mnemonic={newMnemonic} onDone={() => setNewMnemonic(null)} />;
  } else if (vault.data) {
    const state = vault.data.state;
    screen =
      state === 'absent' || creating ? (
        <Welcome onCreated={setNewMnemonic} />
      ) : state === 'locked' ? (
        <UnlockVault />
      ) : (
        <Shell />
      );
  } else if (vault.isError && (vault.error instanceof ApiError || connection.status === 'open')) {
    screen = <Splash error={vault.error} onRetry={() => void vault.refetch()} />;
  } else {
    screen = <Splash />;
  }
  return (
    <>
      <ConnectionBanner />
      {screen}
    </>
  );
}
