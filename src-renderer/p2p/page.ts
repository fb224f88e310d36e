// The Network page's registry entry (app/pages.ts): #/network.
import type { PageEntry } from '../app/routes.ts';
import { NetworkPage } from './NetworkPage.tsx';

export const networkPage: PageEntry<'network'> = {
  id: 'network',
  nav: { label: 'Network', icon: 'network', order: 70 },
  component: NetworkPage,
};
