// First run: no vault yet. The user creates a new one or restores from a recovery phrase.
import { useState } from 'react';
import { CreateVault } from './CreateVault.tsx';
import { RestoreVault } from './RestoreVault.tsx';
import { VaultLayout } from './VaultLayout.tsx';

export function Welcome(props: { onCreated(mnemonic: string): void }) {
  const [mode, setMode] = useState<'choose' | 'create' | 'restore'>('choose');
  if (mode === 'create') return <CreateVault onCreated={props.onCreated} onBack={() => setMode('choose')} />;
  if (mode === 'restore') return <RestoreVault onBack={() => setMode('choose')} />;
  return (
    <VaultLayout title="Welcome to Hashlock" testId="vault-welcome">
      <p className="lead">
        Hashlock swaps coins directly with other people, from your own wallets. It needs a vault: the keys it uses to
        sign swap claims, refunds and your identity, encrypted with a password and kept only on this computer.
      </p>
      <div className="choice-list">
        <button type="button" className="choice" data-testid="create-vault" onClick={() => setMode('create')}>
          <span className="choice-title">Create a new vault</span>
          <span className="choice-text">You get a new recovery phrase to write down.</span>
        </button>
        <button type="button" className="choice" data-testid="restore-vault" onClick={() => setMode('restore')}>
          <span className="choice-title">Restore from a recovery phrase</span>
          <span className="choice-text">Use the 12 or 24 words you wrote down before.</span>
        </button>
      </div>
    </VaultLayout>
  );
}
