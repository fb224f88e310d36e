// Communities' queries under the one root key ['communities'], general → specific: the list
// (communities and DMs with unread counts), one community, a channel's messages, its join
// requests, and the storage nodes and identities an owner picks from. All need the unlocked vault.
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['communities'] as const;
// 'c' sits before the id so the list and the lookups can never collide with a community id.
const one = (id: string) => [...all, 'c', id] as const;

export const communityKeys = {
  all,
  list: [...all, 'list'] as const,
  one,
  detail: (id: string) => [...one(id), 'detail'] as const,
  messagesOf: (id: string) => [...one(id), 'messages'] as const,
  messages: (id: string, channel: string, limit: number) => [...one(id), 'messages', channel, limit] as const,
  requests: (id: string) => [...one(id), 'requests'] as const,
  storageNodes: [...all, 'storageNodes'] as const,
  storageReport: [...all, 'storageReport'] as const,
  identities: [...all, 'identities'] as const,
};

/** Messages asked for at first; "Show earlier" asks for this many more each time. */
export const PAGE = 100;

export function communityQueries(api: ApiClient) {
  return {
    list: () => queryOptions({ queryKey: communityKeys.list, queryFn: () => api.call('communities.list', {}) }),
    detail: (id: string) =>
      queryOptions({ queryKey: communityKeys.detail(id), queryFn: () => api.call('communities.get', { id }) }),
    messages: (id: string, channel: string, limit: number) =>
      queryOptions({
        queryKey: communityKeys.messages(id, channel, limit),
        queryFn: () => api.call('communities.messages', { id, channel, limit }),
      }),
    requests: (id: string) =>
      queryOptions({ queryKey: communityKeys.requests(id), queryFn: () => api.call('communities.requests', { id }) }),
    storageNodes: () =>
      queryOptions({ queryKey: communityKeys.storageNodes, queryFn: () => api.call('communities.storageNodes', {}) }),
    storageReport: () =>
      queryOptions({ queryKey: communityKeys.storageReport, queryFn: () => api.call('communities.storageReport', {}) }),
    identities: () =>
      queryOptions({ queryKey: communityKeys.identities, queryFn: () => api.call('communities.identities', {}) }),
  };
}
