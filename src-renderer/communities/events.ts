// Community events → the communities' cache: a message or notice refetches that community's
// messages (at most every 150 ms in a burst), unread counts are written into the list in place,
// membership and settings changes refetch the community, a stored identity record (a profile
// published or deleted) refetches the communities on screen at most once a second, since members'
// names and verified marks come from it, and nothing stays after the vault locks.
import type { FeatureEventsFactory } from '../api/events.ts';
import { communityKeys } from './queries.ts';

const BURST_MS = 150;
/** Identity records arrive in floods during a sync: names are refetched at most this often. */
const NAMES_MS = 1000;

export const communitiesEvents: FeatureEventsFactory = ({ qc, refetchThrottled, requestFlush }) => {
  // Communities whose messages changed since the last flush.
  const dirty = new Set<string>();
  let listDirty = false;
  let namesDirty = false;
  return {
    on: {
      'identity.updated': ({ mine }) => {
        // Ours: the identities a community can be made or joined with may have changed.
        if (mine) void qc.invalidateQueries({ queryKey: communityKeys.identities });
        namesDirty = true;
        requestFlush();
      },
      'vault.state': ({ state }) => {
        if (state !== 'unlocked') qc.removeQueries({ queryKey: communityKeys.all });
      },
      'communities.message': ({ id }) => {
        dirty.add(id);
        listDirty = true;
        requestFlush();
      },
      'communities.notice': ({ id }) => {
        dirty.add(id);
        requestFlush();
        void qc.invalidateQueries({ queryKey: communityKeys.detail(id) });
      },
      'communities.gaps': ({ id }) => {
        dirty.add(id);
        requestFlush();
      },
      'communities.unread': ({ id }) => {
        // One channel's count: the list's total and the channels' counts are the node's to sum.
        listDirty = true;
        requestFlush();
        void qc.invalidateQueries({ queryKey: communityKeys.detail(id) });
      },
      'communities.updated': ({ id, reason }) => {
        void qc.invalidateQueries({ queryKey: communityKeys.list });
        void qc.invalidateQueries({ queryKey: communityKeys.detail(id) });
        if (reason === 'requests') void qc.invalidateQueries({ queryKey: communityKeys.requests(id) });
        if (reason === 'messages' || reason === 'epoch' || reason === 'admitted') {
          dirty.add(id);
          requestFlush();
        }
      },
      'communities.request': ({ id }) => void qc.invalidateQueries({ queryKey: communityKeys.requests(id) }),
      'communities.removed': ({ id }) => {
        void qc.invalidateQueries({ queryKey: communityKeys.list });
        void qc.invalidateQueries({ queryKey: communityKeys.one(id) });
      },
    },
    flush() {
      let again = false;
      if (namesDirty) {
        namesDirty = false;
        for (const q of qc.getQueryCache().findAll({ queryKey: communityKeys.all })) {
          if (q.queryKey[3] === 'detail' && !refetchThrottled(q.queryKey, NAMES_MS)) namesDirty = true;
        }
        // Direct messages are titled by the other side's name.
        listDirty = true;
        again = namesDirty;
      }
      for (const id of dirty) {
        if (refetchThrottled(communityKeys.messagesOf(id), BURST_MS)) dirty.delete(id);
        else again = true;
      }
      if (listDirty) {
        if (refetchThrottled(communityKeys.list, BURST_MS)) listDirty = false;
        else again = again || listDirty;
      }
      return again;
    },
  };
};
