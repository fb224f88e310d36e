// Communities: the list of communities and direct messages beside the one open, and the forms to
// create, join or start one. The route says what is open (see page.ts).
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { href, type PageProps } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { NoIdentity, useIdentities } from './AsIdentity.tsx';
import { CommunityList } from './CommunityList.tsx';
import { CommunityView } from './CommunityView.tsx';
import { CreateCommunity, JoinCommunity, StartDm } from './forms.tsx';
import { communityQueries } from './queries.ts';
import { StorageReport } from './StorageReport.tsx';
import '../styles/communities.css';

export function CommunitiesPage(props: PageProps) {
  const api = useApi();
  const list = useQuery(communityQueries(api).list());
  const [first, id, tab] = props.rest;
  const openId = first === 'c' ? id : undefined;
  return (
    <section className="cm-page">
      <aside className="cm-side" aria-label="Communities and direct messages">
        <div className="cm-side-actions">
          <a className="btn btn-primary btn-small" href={href('communities', 'new')} data-testid="cm-new">
            New community
          </a>
          <a className="btn btn-small" href={href('communities', 'join')} data-testid="cm-join">
            Join
          </a>
          <a className="btn btn-small" href={href('communities', 'dm')} data-testid="cm-dm">
            Message
          </a>
        </div>
        {list.isError ? <ErrorNote error={list.error} title="The list could not be loaded." /> : null}
        <CommunityList items={list.data ?? []} openId={openId} loading={list.isPending} />
      </aside>
      <div className="cm-main">
        {first === 'new' ? (
          <CreateCommunity />
        ) : first === 'join' ? (
          <JoinCommunity link={id} />
        ) : first === 'dm' ? (
          <StartDm />
        ) : openId ? (
          <CommunityView key={openId} id={openId} tab={tab} />
        ) : (
          <Welcome empty={list.data?.length === 0} />
        )}
      </div>
    </section>
  );
}

function Welcome(props: { empty: boolean }) {
  const ids = useIdentities();
  return (
    <div className="cm-welcome stack">
      <div className="panel panel-pad prose" data-testid="cm-welcome">
        <h1 tabIndex={-1}>Communities</h1>
        <p>
          Private groups and direct messages, encrypted end to end with MLS: only members hold the keys. Nodes on the
          network relay the encrypted messages; if the owner chooses, storage nodes also keep them, still encrypted, for
          members who were offline.
        </p>
        <p>
          {props.empty
            ? 'You are in no community yet. Create one, or join with an invitation link someone gave you.'
            : 'Pick a community or a conversation on the left.'}
        </p>
      </div>
      {ids.none ? <NoIdentity /> : null}
      <StorageReport />
    </div>
  );
}
