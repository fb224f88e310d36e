// The page registry: every page of the app, each entry exported by its feature (route,
// navigation entry, component). Adding a page is one line here; the shell, the navigation and
// the routes all read this list.
import { communitiesPage } from '../communities/index.ts';
import { identityPage } from '../identity/index.ts';
import { nodePage } from '../metrics/index.ts';
import { ordersPage } from '../orders/index.ts';
import { networkPage } from '../p2p/index.ts';
import { paymentsPage } from '../payments/index.ts';
import { registryPage } from '../registry/index.ts';
import { settingsPage } from '../settings/index.ts';
import { swapsPage } from '../swaps/index.ts';
import { walletsPage } from '../wallets/index.ts';

export const PAGES = [
  ordersPage,
  swapsPage,
  walletsPage,
  paymentsPage,
  identityPage,
  registryPage,
  communitiesPage,
  networkPage,
  nodePage,
  settingsPage,
] as const;

export type PageId = (typeof PAGES)[number]['id'];
export type AnyPage = (typeof PAGES)[number];

export const PAGE_IDS: readonly PageId[] = PAGES.map((p) => p.id);

/** The page for an empty or unknown route. */
export const DEFAULT_PAGE: PageId = 'wallets';

export function pageOf(id: PageId): AnyPage | undefined {
  return PAGES.find((p) => p.id === id);
}

/** The navigation: the main links in their order, then the ones kept at the bottom. */
export function navigation(pages: readonly AnyPage[] = PAGES): { main: AnyPage[]; bottom: AnyPage[] } {
  const sorted = [...pages].sort((a, b) => a.nav.order - b.nav.order);
  return { main: sorted.filter((p) => !p.nav.bottom), bottom: sorted.filter((p) => p.nav.bottom) };
}
