// The Wallets page's registry entry (app/pages.ts): #/wallets, #/wallets/setup/<TICKER>.
import type { PageEntry } from '../app/routes.ts';
import { WalletsPage } from './WalletsPage.tsx';

export const walletsPage: PageEntry<'wallets'> = {
  id: 'wallets',
  nav: { label: 'Wallets', icon: 'wallets', order: 30 },
  component: WalletsPage,
};
