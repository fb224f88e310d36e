// The Swaps page's registry entry (app/pages.ts): #/swaps, #/swaps/<swapId>.
import type { PageEntry } from '../app/routes.ts';
import { SwapsPage } from './SwapsPage.tsx';

export const swapsPage: PageEntry<'swaps'> = {
  id: 'swaps',
  nav: { label: 'Swaps', icon: 'swaps', order: 20 },
  component: SwapsPage,
};
