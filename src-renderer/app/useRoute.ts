// The current hash route as React state.
import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './routes.ts';

function subscribe(changed: () => void): () => void {
  window.addEventListener('hashchange', changed);
  return () => window.removeEventListener('hashchange', changed);
}

export function useRouteHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function useRoute(): Route {
  return parseRoute(useRouteHash());
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}
