// Hash routes (`#/wallets/setup/DEVA`): they work from file:// in Electron and from the node's
// HTTP server alike, and every navigation target can be a real link.

export const PAGES = ['trade', 'swaps', 'wallets', 'pay', 'identity', 'communities', 'network', 'settings'] as const;
export type PageId = (typeof PAGES)[number];

export interface Route {
  page: PageId;
  /** Path segments after the page, e.g. ['setup', 'DEVA']. */
  rest: string[];
}

export const DEFAULT_ROUTE: Route = { page: 'wallets', rest: [] };

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith('/')) return DEFAULT_ROUTE;
  const segments = body
    .slice(1)
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
  const [first, ...rest] = segments;
  const page = PAGES.find((p) => p === first);
  return page ? { page, rest } : DEFAULT_ROUTE;
}

export function href(page: PageId, ...rest: string[]): string {
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
