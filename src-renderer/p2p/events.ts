// p2p.peers carries only the count: the peer list is refetched, and the reachability view with it
// (it counts peers by path). p2p.reachability says the state changed: the view is refetched.
import type { FeatureEventsFactory } from '../api/events.ts';
import { p2pKeys } from './queries.ts';

export const p2pEvents: FeatureEventsFactory = ({ qc }) => ({
  on: {
    'p2p.peers': () => {
      void qc.invalidateQueries({ queryKey: p2pKeys.peers });
      void qc.invalidateQueries({ queryKey: p2pKeys.reachability });
    },
    'p2p.reachability': () => {
      void qc.invalidateQueries({ queryKey: p2pKeys.reachability });
    },
  },
});
