// A statement was stored: searches and the record it touches refetch (witnesses and co-signatures
// change a record's page); trust changes refetch trust lists; the bucket pushes its own state.
import type { FeatureEventsFactory } from '../api/events.ts';
import { registryKeys } from './queries.ts';

export const registryEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'registry.updated': (e) => {
      void qc.invalidateQueries({ queryKey: [...registryKeys.all, 'search'] });
      void qc.invalidateQueries({ queryKey: [...registryKeys.all, 'record'] });
      void qc.invalidateQueries({ queryKey: registryKeys.node });
      if (e.kind === 'trust') void qc.invalidateQueries({ queryKey: registryKeys.trust });
    },
    'registry.bucketChanged': (e) => {
      qc.setQueryData(registryKeys.bucket, e);
    },
  },
});
