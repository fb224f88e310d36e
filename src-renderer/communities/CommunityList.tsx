// The communities and direct messages this node is in, each with its unread count (mentions
// stand out), newest activity first; requests waiting for an admin show as such.
import type { CommunitySummary } from '../../src-shared/communities/views.ts';
import { href } from '../app/routes.ts';

function byActivity(a: CommunitySummary, b: CommunitySummary): number {
  return (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0) || a.name.localeCompare(b.name);
}

export function CommunityList(props: { items: readonly CommunitySummary[]; openId?: string; loading: boolean }) {
  const groups = props.items.filter((c) => c.kind === 'community').sort(byActivity);
  const dms = props.items.filter((c) => c.kind === 'dm').sort(byActivity);
  if (props.loading) return <p className="muted cm-side-empty">Loading&hellip;</p>;
  return (
    <nav className="cm-list" data-testid="cm-list">
      <h2 className="cm-list-title">Communities</h2>
      {groups.length === 0 ? <p className="muted cm-side-empty">None yet.</p> : null}
      <ul>
        {groups.map((c) => (
          <Item key={c.id} c={c} open={c.id === props.openId} />
        ))}
      </ul>
      <h2 className="cm-list-title">Direct messages</h2>
      {dms.length === 0 ? <p className="muted cm-side-empty">None yet.</p> : null}
      <ul>
        {dms.map((c) => (
          <Item key={c.id} c={c} open={c.id === props.openId} />
        ))}
      </ul>
    </nav>
  );
}

function Item(props: { c: CommunitySummary; open: boolean }) {
  const c = props.c;
  const state =
    c.state === 'requested' ? 'waiting to be admitted' : c.state === 'removed' ? (c.removedReason ?? 'removed') : null;
  return (
    <li>
      <a
        className={`cm-item${props.open ? ' cm-item-open' : ''}${c.unread > 0 ? ' cm-item-unread' : ''}`}
        href={href('communities', 'c', c.id)}
        aria-current={props.open ? 'page' : undefined}
        data-testid="cm-item"
        data-name={c.name}
      >
        <span className="cm-avatar" aria-hidden="true">
          {(c.name.trim()[0] ?? '#').toUpperCase()}
        </span>
        <span className="cm-item-text">
          <span className="cm-item-name">{c.name}</span>
          <span className="cm-item-sub muted">
            {state ??
              (c.kind === 'dm'
                ? c.swapId
                  ? 'trading chat'
                  : 'direct message'
                : `${c.members} ${c.members === 1 ? 'member' : 'members'}`)}
          </span>
        </span>
        {c.unread > 0 ? (
          <span
            className={`badge ${c.mentions > 0 ? 'badge-error' : 'badge-info'}`}
            data-testid="cm-unread"
            aria-label={`${c.unread} unread${c.mentions > 0 ? `, ${c.mentions} mentioning you` : ''}`}
          >
            {c.mentions > 0 ? `@${c.unread}` : c.unread}
          </span>
        ) : null}
      </a>
    </li>
  );
}
