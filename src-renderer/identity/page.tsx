// The Identity page's registry entry (app/pages.ts): #/identity. Its code (signing rules, QR)
// loads on first visit.
import { lazyPage, type PageEntry } from '../app/routes.ts';

export const identityPage: PageEntry<'identity'> = {
  id: 'identity',
  nav: { label: 'Identity', icon: 'identity', order: 50 },
  component: lazyPage(() => import('./IdentityPage.tsx').then((m) => m.IdentityPage)),
  loading: 'Loading identities…',
};
