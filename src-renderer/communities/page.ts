// The Communities page's registry entry (app/pages.ts): #/communities, #/communities/new,
// #/communities/join, #/communities/dm, #/communities/c/<id>/<channel|members|settings>.
import type { PageEntry } from '../app/routes.ts';
import { CommunitiesPage } from './CommunitiesPage.tsx';

export const communitiesPage: PageEntry<'communities'> = {
  id: 'communities',
  nav: { label: 'Communities', icon: 'communities', order: 60 },
  component: CommunitiesPage,
};
