// The API tokens' queries under the one root key ['tokens'].
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../src-shared/api/client.ts';

const all = ['tokens'] as const;
export const tokensKeys = { all, list: [...all, 'list'] as const };

export function tokensQueries(api: ApiClient) {
  return { list: () => queryOptions({ queryKey: tokensKeys.list, queryFn: () => api.call('tokens.list', {}) }) };
}
