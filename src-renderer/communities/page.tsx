// Communities: the Communities page, coming in a later release.
import type { PageEntry } from '../app/routes.ts';
import { ComingSoon } from '../components/ComingSoon.tsx';

function CommunitiesPage() {
  return (
    <ComingSoon
      id="communities"
      title="Communities"
      body={
        'Communities are coming: groups whose messages are end-to-end encrypted above the peer-to-peer network, with members and roles set by the owner\u2019s signed manifest. Only members can read what is posted.'
      }
    />
  );
}

export const communitiesPage: PageEntry<'communities'> = {
  id: 'communities',
  nav: { label: 'Communities', icon: 'communities', order: 60 },
  component: CommunitiesPage,
};
