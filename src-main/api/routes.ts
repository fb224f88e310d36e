// Matching a request path against the modules' HTTP routes (`/api/identity/:address`).
import type { HttpRoute } from '../kernel/module.ts';

/** The route for this method and path with its named parts decoded, or undefined. */
export function matchRoute(
  routes: readonly HttpRoute[],
  method: string,
  pathname: string,
): { route: HttpRoute; params: Record<string, string> } | undefined {
  const parts = pathname.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const want = pattern[i]!;
      const got = parts[i]!;
      if (want.startsWith(':')) {
        try {
          const value = decodeURIComponent(got);
          if (value === '') ok = false;
          else params[want.slice(1)] = value;
        } catch {
          ok = false;
        }
      } else if (want !== got) ok = false;
    }
    if (ok) return { route, params };
  }
  return undefined;
}
