// The Identity page's routes: #/identity (ours, search), #/identity/new, #/identity/edit/<did>,
// #/identity/recreate/<did>, #/identity/did/<did> (any DID's profile; a did:is: link opens here).
import type { PageProps } from '../app/routes.ts';
import { IdentityEditor } from './Editor.tsx';
import { IdentityHome } from './Home.tsx';
import { ProfilePage } from './Profile.tsx';
import './identity.css';

export function IdentityPage(props: PageProps) {
  const [what, did] = props.rest;
  if (what === 'new') return <IdentityEditor mode="create" />;
  if ((what === 'edit' || what === 'recreate') && did)
    return <IdentityEditor key={`${what}-${did}`} mode={what} did={did} />;
  if (what === 'did' && did) return <ProfilePage key={did} did={did} />;
  return <IdentityHome />;
}
