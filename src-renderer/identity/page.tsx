// Identity: the Identity page, coming in a later release.
import type { PageEntry } from '../app/routes.ts';
import { ComingSoon } from '../components/ComingSoon.tsx';

function IdentityPage() {
  return (
    <ComingSoon
      id="identity"
      title="Identity"
      body={
        'Identity is coming. You will be able to create a decentralized identity (did:is) from your vault\u2019s keys, publish a signed profile, and look up and verify the identities of others, for example a merchant asking you to pay.'
      }
    />
  );
}

export const identityPage: PageEntry<'identity'> = {
  id: 'identity',
  nav: { label: 'Identity', icon: 'identity', order: 50 },
  component: IdentityPage,
};
