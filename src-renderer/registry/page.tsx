// The Registry page's entry (app/pages.ts): #/registry.
import { lazyPage, type PageEntry } from '../app/routes.ts';

export const registryPage: PageEntry<'registry'> = {
  id: 'registry',
  nav: { label: 'Registry', icon: 'registry', order: 55 },
  component: lazyPage(() => import('./RegistryPage.tsx').then((m) => m.RegistryPage)),
  loading: 'Loading the registry…',
};
