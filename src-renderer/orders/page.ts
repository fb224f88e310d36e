// The Trade page's registry entry (app/pages.ts): #/trade, #/trade/<BASE>/<QUOTE>. The page
// brings the chart library, so it loads when first opened, not with the app.
import { lazyPage, type PageEntry } from '../app/routes.ts';

export const ordersPage: PageEntry<'trade'> = {
  id: 'trade',
  nav: { label: 'Trade', icon: 'trade', order: 10 },
  component: lazyPage(() => import('./TradePage.tsx').then((m) => m.TradePage)),
  loading: 'Loading the trading screen\u2026',
};
