// The Node page's registry entry (app/pages.ts): #/node.
import type { PageEntry } from '../app/routes.ts';
import { NodePage } from './NodePage.tsx';

export const nodePage: PageEntry<'node'> = {
  id: 'node',
  nav: { label: 'Node', icon: 'node', order: 75 },
  component: NodePage,
};
