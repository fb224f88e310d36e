// One community or direct message: its header (members, where messages are kept), then the
// conversation of a channel, the members, or the owner's settings. A node that was removed or
// is still waiting to be admitted says so in plain words instead.
import { useQuery } from '@tanstack/react-query';
import type { CommunityDetail } from '../../src-shared/communities/views.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Conversation } from './Conversation.tsx';
import { Members } from './Members.tsx';
import { communityQueries } from './queries.ts';
import { Settings } from './Settings.tsx';

export function CommunityView(props: { id: string; tab?: string }) {
  const api = useApi();
  const detail = useQuery(communityQueries(api).detail(props.id));
  if (detail.isError) return <ErrorNote error={detail.error} title="This conversation could not be opened." />;
  const d = detail.data;
  if (!d) return <p className="muted">Loading&hellip;</p>;
  if (d.state === 'requested') return <Waiting d={d} />;
  if (d.state === 'removed') return <Removed d={d} />;
  const tab = props.tab === 'members' || props.tab === 'settings' ? props.tab : 'chat';
  const channel = tab === 'chat' ? (d.channels.find((c) => c.id === props.tab) ?? d.channels[0]) : undefined;
  return (
    <div className="cm-view" data-testid="cm-view">
      <Header d={d} tab={tab} channel={channel?.id} />
      {tab === 'members' ? (
        <Members d={d} />
      ) : tab === 'settings' ? (
        <Settings d={d} />
      ) : channel ? (
        <Conversation key={channel.id} d={d} channel={channel.id} />
      ) : (
        <p className="muted">This community has no channel.</p>
      )}
    </div>
  );
}

function Header(props: { d: CommunityDetail; tab: string; channel?: string }) {
  const d = props.d;
  const link = (rest: string, label: string, active: boolean, testId: string, badge?: number) => (
    <a
      className={`cm-tab${active ? ' cm-tab-open' : ''}`}
      href={href('communities', 'c', d.id, rest)}
      aria-current={active ? 'page' : undefined}
      data-testid={testId}
    >
      {label}
      {badge ? <span className="badge badge-info">{badge}</span> : null}
    </a>
  );
  return (
    <header className="cm-header">
      <div className="cm-title">
        <h1 tabIndex={-1} data-testid="cm-title">
          {d.name}
        </h1>
        <span className="muted">
          {d.kind === 'dm' ? 'Direct message' : `${d.members} ${d.members === 1 ? 'member' : 'members'}`} ·{' '}
          <span
            className={`badge ${d.persistence === 'store' ? 'badge-ok' : 'badge-info'}`}
            title={
              d.persistence === 'store'
                ? 'Storage nodes keep the encrypted messages for members who were offline; they cannot read them.'
                : 'No node keeps messages; members who were offline get them from other members.'
            }
            data-testid="cm-persistence-badge"
          >
            {d.persistence === 'store' ? 'kept encrypted on storage nodes' : 'relay only'}
          </span>{' '}
          · <span title="Only members hold the keys.">end-to-end encrypted</span>
        </span>
        {d.description ? <p className="cm-description">{d.description}</p> : null}
      </div>
      <nav className="cm-tabs" aria-label="Community sections">
        {d.channels.length > 1 || d.kind === 'community'
          ? d.channels.map((c) =>
              link(c.id, `# ${c.name}`, props.tab === 'chat' && props.channel === c.id, `cm-channel-${c.id}`, c.unread),
            )
          : link('', 'Conversation', props.tab === 'chat', 'cm-tab-chat')}
        {link('members', 'Members', props.tab === 'members', 'cm-tab-members')}
        {d.kind === 'community' && d.role === 'owner'
          ? link('settings', 'Settings', props.tab === 'settings', 'cm-tab-settings')
          : null}
      </nav>
    </header>
  );
}

function Waiting(props: { d: CommunityDetail }) {
  return (
    <div className="panel panel-pad prose" data-testid="cm-waiting">
      <h1 tabIndex={-1}>Waiting to be admitted</h1>
      <p>
        Your request went to the community. The owner or any admin who is online admits you; this page opens the
        conversation as soon as they do. You can close the app meanwhile: the request is sent again when you are back.
      </p>
      <p className="muted mono small">{props.d.id}</p>
    </div>
  );
}

function Removed(props: { d: CommunityDetail }) {
  const reason = props.d.removedReason ?? 'removed';
  return (
    <div className="panel panel-pad prose" data-testid="cm-removed" data-reason={reason}>
      <h1 tabIndex={-1}>{props.d.name}</h1>
      <p className="note note-warn">
        {reason === 'left'
          ? 'You left this community.'
          : reason === 'banned'
            ? 'You were removed from this community and banned from it.'
            : 'You were removed from this community.'}{' '}
        Its messages are now encrypted with keys you do not have: you can read nothing sent after that.
      </p>
    </div>
  );
}
