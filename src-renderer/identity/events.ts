// A stored record changed: that identity's views refetch, and our list when it is ours. A
// catch-up that finished refetches searches and replication's state (its records are not
// announced one by one).
import type { FeatureEventsFactory } from '../api/events.ts';
import { identityKeys } from './queries.ts';

export const identityEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'identity.updated': (e) => {
      void qc.invalidateQueries({ queryKey: identityKeys.did(e.did) });
      if (e.mine) void qc.invalidateQueries({ queryKey: identityKeys.mine });
      void qc.invalidateQueries({ queryKey: [...identityKeys.all, 'search'] });
    },
    'identity.sync': (e) => {
      if (e.phase !== 'done' && e.phase !== 'failed') return;
      void qc.invalidateQueries({ queryKey: identityKeys.sync });
      if (e.fetched > 0) {
        void qc.invalidateQueries({ queryKey: [...identityKeys.all, 'search'] });
        void qc.invalidateQueries({ queryKey: [...identityKeys.all, 'did'] });
      }
    },
    'vault.state': (e) => {
      if (e.state !== 'unlocked') qc.removeQueries({ queryKey: identityKeys.mine });
      else void qc.invalidateQueries({ queryKey: identityKeys.mine });
    },
  },
});
