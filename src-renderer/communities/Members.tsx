// Who is in a community and what they may do: members with their role and a verified mark, join
// requests the owner or an admin admits, invitation links, and the moderation the role table
// allows (roles are the owner's; admins remove and ban members). Leaving is here too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CommunityDetail, MemberView } from '../../src-shared/communities/views.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortTime } from '../format/time.ts';
import { Verified } from './Conversation.tsx';
import { communityKeys, communityQueries } from './queries.ts';
import { nameOf } from './words.ts';

const RANK = { owner: 0, admin: 1, member: 2 } as const;

export function Members(props: { d: CommunityDetail }) {
  const d = props.d;
  const moderator = d.role !== 'member';
  const mayInvite =
    d.kind === 'community' && (d.invite === 'members' || (d.invite === 'admins' && moderator) || d.role === 'owner');
  return (
    <div className="cm-members stack">
      {mayInvite ? <Invite d={d} /> : null}
      {moderator && d.kind === 'community' ? <Requests d={d} /> : null}
      <div className="panel flush">
        <table className="table" data-testid="cm-member-table">
          <caption className="sr-only">Members</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Devices</th>
              <th scope="col" className="actions-col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.memberList.map((m) => (
              <MemberRow key={m.did} d={d} m={m} />
            ))}
          </tbody>
        </table>
      </div>
      {moderator && (d.bans?.length ?? 0) > 0 ? <Bans d={d} /> : null}
      {d.role !== 'owner' ? <Leave d={d} /> : null}
    </div>
  );
}

function useAct(d: CommunityDetail) {
  const qc = useQueryClient();
  return {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: communityKeys.one(d.id) });
      void qc.invalidateQueries({ queryKey: communityKeys.list });
    },
  };
}

function MemberRow(props: { d: CommunityDetail; m: MemberView }) {
  const api = useApi();
  const { d, m } = props;
  const [confirm, setConfirm] = useState<'remove' | 'ban' | null>(null);
  const act = useMutation({
    mutationFn: (a: { t: 'remove' | 'ban' } | { t: 'role'; role: 'admin' | 'member' }) =>
      a.t === 'role'
        ? api.call('communities.setRole', { id: d.id, did: m.did, role: a.role })
        : api.call('communities.remove', { id: d.id, did: m.did, ban: a.t === 'ban' }),
    ...useAct(d),
    onSettled: () => setConfirm(null),
  });
  // Who may act on whom: only a higher role, never oneself; roles are the owner's alone.
  const mayModerate = d.kind === 'community' && !m.me && RANK[d.role] < RANK[m.role];
  const name = nameOf(m.did, d.memberList);
  return (
    <>
      <tr data-testid="cm-member" data-did={m.did} data-role={m.role}>
        <td>
          <span className="cm-author">{name}</span> <Verified member={m} />
          <div className="muted mono small">{m.did}</div>
        </td>
        <td>
          <span className={`badge ${m.role === 'member' ? 'badge-info' : 'badge-ok'}`}>{m.role}</span>
        </td>
        <td className="num">{m.devices}</td>
        <td>
          {mayModerate && !confirm ? (
            <div className="row-actions">
              {d.role === 'owner' ? (
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  disabled={act.isPending}
                  onClick={() => act.mutate({ t: 'role', role: m.role === 'admin' ? 'member' : 'admin' })}
                  data-testid="cm-role"
                >
                  {m.role === 'admin' ? 'Make member' : 'Make admin'}
                </button>
              ) : null}
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => setConfirm('remove')}
                data-testid="cm-remove"
              >
                Remove
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => setConfirm('ban')}
                data-testid="cm-ban"
              >
                Ban
              </button>
            </div>
          ) : null}
        </td>
      </tr>
      {confirm || act.isError ? (
        <tr className="cm-confirm-row" data-testid="cm-member-confirm" data-did={m.did}>
          <td colSpan={4}>
            {confirm ? (
              <ConfirmRemoval
                name={name}
                ban={confirm === 'ban'}
                pending={act.isPending}
                onConfirm={() => act.mutate({ t: confirm })}
                onCancel={() => setConfirm(null)}
              />
            ) : null}
            {act.isError ? <ErrorNote error={act.error} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Removing (or banning) a member, asked again: they lose the keys of everything sent after. */
function ConfirmRemoval(props: {
  name: string;
  ban: boolean;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { name, ban } = props;
  return (
    <div className="row-actions">
      <span className="muted">
        {ban ? `Remove ${name} and ban them from coming back?` : `Remove ${name}?`} Everything sent after is encrypted
        with new keys they do not get.
      </span>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={props.pending}
        onClick={props.onConfirm}
        data-testid="cm-confirm"
      >
        {props.pending ? 'Re-keying…' : ban ? 'Remove and ban' : 'Remove'}
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

function Invite(props: { d: CommunityDetail }) {
  const api = useApi();
  const invite = useMutation({ mutationFn: () => api.call('communities.invite', { id: props.d.id }) });
  return (
    <div className="panel panel-pad stack" data-testid="cm-invite">
      <div className="cm-invite-head">
        <h2 className="panel-title">Invite someone</h2>
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={invite.isPending}
          onClick={() => invite.mutate()}
          data-testid="cm-invite-create"
        >
          {invite.data ? 'Make another link' : 'Make an invitation link'}
        </button>
      </div>
      <p className="muted">
        A link works once and carries a secret: give it only to the person you invite. When they use it, you or any
        admin online admits them.
      </p>
      {invite.data ? (
        <div className="with-copy">
          <code className="mono cm-link" data-testid="cm-invite-link">
            {invite.data.link}
          </code>
          <CopyButton text={invite.data.link} what="invitation link" />
          <span className="muted small">valid until {shortTime(invite.data.expiresAt)}</span>
        </div>
      ) : null}
      {invite.isError ? <ErrorNote error={invite.error} /> : null}
    </div>
  );
}

function Requests(props: { d: CommunityDetail }) {
  const api = useApi();
  const d = props.d;
  const q = useQuery(communityQueries(api).requests(d.id));
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (a: { admit: boolean; requestId: string }) =>
      api.call(a.admit ? 'communities.admit' : 'communities.reject', { id: d.id, requestId: a.requestId }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: communityKeys.one(d.id) }),
  });
  const rows = q.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div className="panel panel-pad stack" data-testid="cm-requests">
      <h2 className="panel-title">Asking to join</h2>
      {rows.map((r) => (
        <div key={r.requestId} className="cm-request" data-testid="cm-request">
          <span className="mono small">{r.did}</span>
          <span className="muted">
            {r.via === 'invite' ? 'with an invitation' : 'without an invitation'} · {shortTime(r.at)}
          </span>
          {r.problem ? <span className="badge badge-error">{r.problem}</span> : null}
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={act.isPending || !!r.problem}
            onClick={() => act.mutate({ admit: true, requestId: r.requestId })}
          >
            Admit
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={act.isPending}
            onClick={() => act.mutate({ admit: false, requestId: r.requestId })}
          >
            Decline
          </button>
        </div>
      ))}
      {act.isError ? <ErrorNote error={act.error} /> : null}
    </div>
  );
}

function Bans(props: { d: CommunityDetail }) {
  const api = useApi();
  const d = props.d;
  const unban = useMutation({
    mutationFn: (did: string) => api.call('communities.unban', { id: d.id, did }),
    ...useAct(d),
  });
  return (
    <div className="panel panel-pad stack" data-testid="cm-bans">
      <h2 className="panel-title">Banned</h2>
      {(d.bans ?? []).map((did) => (
        <div key={did} className="cm-request">
          <span className="mono small">{did}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => unban.mutate(did)}>
            Lift the ban
          </button>
        </div>
      ))}
      {unban.isError ? <ErrorNote error={unban.error} /> : null}
    </div>
  );
}

function Leave(props: { d: CommunityDetail }) {
  const api = useApi();
  const qc = useQueryClient();
  const [sure, setSure] = useState(false);
  const leave = useMutation({
    mutationFn: () => api.call('communities.leave', { id: props.d.id }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: communityKeys.all });
      navigate(href('communities'));
    },
  });
  return (
    <div className="cm-actions">
      {sure ? (
        <>
          <span className="muted">You will read nothing sent after you leave.</span>
          <button type="button" className="btn btn-small btn-danger" onClick={() => leave.mutate()}>
            Leave {props.d.kind === 'dm' ? 'the conversation' : 'the community'}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setSure(false)}>
            Stay
          </button>
        </>
      ) : (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setSure(true)} data-testid="cm-leave">
          Leave…
        </button>
      )}
      {leave.isError ? <ErrorNote error={leave.error} /> : null}
    </div>
  );
}
