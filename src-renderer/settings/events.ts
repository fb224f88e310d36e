// settings.changed carries the whole settings: every window and tab shows the same at once.
import type { FeatureEventsFactory } from '../api/events.ts';
import { settingsKeys } from './queries.ts';

export const settingsEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'settings.changed': (settings) => {
      qc.setQueryData(settingsKeys.current, settings);
    },
  },
});
