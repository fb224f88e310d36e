// The current hash route as React state, read against the page registry.
import { useSyncExternalStore } from 'react';
import { DEFAULT_PAGE, PAGE_IDS } from './pages.ts';
import { parseRoute, type Route } from './routes.ts';

function subscribe(changed: () => void): () => void {
  window.addEventListener('hashchange', changed);
  return () => window.removeEventListener('hashchange', changed);
}

export function useRouteHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function useRoute(): Route {
  return parseRoute(useRouteHash(), PAGE_IDS, DEFAULT_PAGE);
}
