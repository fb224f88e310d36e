// vault.state sets the vault's status; what other features drop when it locks, they drop
// themselves (each registers vault.state for its own data).
import type { FeatureEventsFactory } from '../api/events.ts';
import { vaultKeys } from './queries.ts';

export const vaultEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'vault.state': ({ state }) => {
      qc.setQueryData(vaultKeys.status, { state });
    },
  },
});
