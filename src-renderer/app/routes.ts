// Hash routes (`#/wallets/setup/DEVA`): they work from file:// in Electron and from the node's
// HTTP server alike, and every navigation target can be a real link. What a page is (its route,
// navigation entry and component) is a PageEntry; the list of them is app/pages.ts.
import { lazy, type ComponentType } from 'react';
import type { IconName } from '../components/icons.tsx';
// Type only: features import href from here, and the registry imports the features.
import type { PageId } from './pages.ts';

export type { PageId };

/** What a page gets: the path segments after its id, e.g. ['setup', 'DEVA'] for #/wallets/setup/DEVA. */
export interface PageProps {
  rest: readonly string[];
}

export interface PageEntry<Id extends string = string> {
  /** The route (#/<id>/…); also names the page's hooks: nav-<id>, page-<id>. */
  id: Id;
  /** The navigation link: its label, icon and place (ascending order; `bottom` goes below the rest). */
  nav: { label: string; icon: IconName; order: number; bottom?: boolean };
  component: ComponentType<PageProps>;
  /** Shown while a lazy page's code loads. */
  loading?: string;
}

export interface Route<Id extends string = PageId> {
  page: Id;
  /** Path segments after the page, e.g. ['setup', 'DEVA']. */
  rest: string[];
}

export function parseRoute<Id extends string>(hash: string, ids: readonly Id[], fallback: Id): Route<Id> {
  const body = hash.replace(/^#/, '');
  const none: Route<Id> = { page: fallback, rest: [] };
  if (!body.startsWith('/')) return none;
  const segments = body
    .slice(1)
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
  const [first, ...rest] = segments;
  const page = ids.find((p) => p === first);
  return page ? { page, rest } : none;
}

export function href(page: PageId, ...rest: string[]): string {
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}`;
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

/** A page whose code loads on first visit (for a page that brings a heavy library). */
export function lazyPage(load: () => Promise<ComponentType<PageProps>>): ComponentType<PageProps> {
  return lazy(() => load().then((component) => ({ default: component })));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
