// A channel's conversation: messages in the node's order with key events between them in plain
// words, the gaps still being fetched, a line where the unread part starts, and the composer.
// Rows off screen are skipped by the browser (content-visibility), and at most PAGE × n of the
// newest messages are asked for, so a long history costs little to show.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CommunityDetail, GapView, MemberView, MessageView } from '../../src-shared/communities/views.ts';
import { MAX_TEXT_CHARS } from '../../src-shared/communities/envelope.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { shortTime } from '../format/time.ts';
import { PAGE, communityQueries } from './queries.ts';
import { conversation, gapText, nameOf, noticeText } from './words.ts';

const MAX_LIMIT = 500;

export function Conversation(props: { d: CommunityDetail; channel: string }) {
  const api = useApi();
  const { d, channel } = props;
  const [limit, setLimit] = useState(PAGE);
  const q = useQuery(communityQueries(api).messages(d.id, channel, limit));
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const [editing, setEditing] = useState<MessageView | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const messages = q.data?.messages ?? [];
  const last = messages.at(-1);
  // The read position moves to the newest message once it has been shown.
  const readId = q.data?.readId ?? null;
  const firstRead = useRef<string | null | undefined>(undefined);
  if (q.data && firstRead.current === undefined) firstRead.current = readId;
  useEffect(() => {
    if (last && last.id !== readId && !last.pending)
      void api.call('communities.markRead', { id: d.id, channel, messageId: last.id }).catch(() => undefined);
  }, [api, d.id, channel, last, readId]);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [last?.id]);

  const entries = conversation(messages, q.data?.notices ?? [], q.data?.more ?? false);
  const dividerAfter = firstRead.current ?? null;
  return (
    <div className="cm-conversation">
      <div className="cm-timeline" role="log" aria-label={`Messages in ${d.name}`} data-testid="cm-timeline">
        {q.data?.more ? (
          <button
            type="button"
            className="btn btn-small btn-ghost cm-earlier"
            disabled={limit >= MAX_LIMIT}
            onClick={() => setLimit((l) => Math.min(MAX_LIMIT, l + PAGE))}
          >
            {limit >= MAX_LIMIT ? 'Older messages are kept on this node' : 'Show earlier messages'}
          </button>
        ) : null}
        {q.isError ? <ErrorNote error={q.error} title="The messages could not be loaded." /> : null}
        {q.isPending ? <p className="muted">Loading&hellip;</p> : null}
        {q.data && entries.length === 0 ? (
          <p className="muted cm-empty" data-testid="cm-empty">
            No messages yet. What you write is encrypted for the members only.
          </p>
        ) : null}
        {entries.map((e) =>
          e.kind === 'notice' ? (
            <p key={`n${e.notice.id}`} className="cm-notice" data-testid="cm-notice" data-kind={e.notice.kind}>
              {noticeText(e.notice, d.memberList)} <span className="muted">{shortTime(e.notice.at)}</span>
            </p>
          ) : (
            <Message
              key={e.message.id}
              m={e.message}
              d={d}
              all={messages}
              divider={dividerAfter !== null && e.message.id === dividerAfter && e.message !== last}
              onReply={() => setReplyTo(e.message)}
              onEdit={() => setEditing(e.message)}
            />
          ),
        )}
        <Gaps gaps={q.data?.gaps ?? []} members={d.memberList} />
        <div ref={end} />
      </div>
      <Composer
        key={editing?.id ?? 'new'}
        d={d}
        channel={channel}
        replyTo={replyTo}
        editing={editing}
        onDone={() => {
          setReplyTo(null);
          setEditing(null);
        }}
      />
    </div>
  );
}

function Message(props: {
  m: MessageView;
  d: CommunityDetail;
  all: readonly MessageView[];
  divider: boolean;
  onReply: () => void;
  onEdit: () => void;
}) {
  const api = useApi();
  const { m, d } = props;
  const member = d.memberList.find((x) => x.did === m.did);
  const mine = member?.me ?? false;
  const mayDelete = mine || (d.role !== 'member' && member?.role !== 'owner' && member?.role !== d.role);
  const quoted = m.replyTo ? props.all.find((x) => x.id === m.replyTo!.id) : undefined;
  const act = useMutation({
    mutationFn: (a: { t: 'react'; on: boolean } | { t: 'delete' }) =>
      a.t === 'react'
        ? api.call('communities.react', { id: d.id, messageId: m.id, emoji: '👍', on: a.on })
        : api.call('communities.delete', { id: d.id, messageId: m.id }),
  });
  const liked = m.reactions.find((r) => r.emoji === '👍')?.mine ?? false;
  return (
    <>
      {m.afterGap ? <p className="cm-gap-mark muted">Some earlier messages from this sender are missing.</p> : null}
      <article
        className={`cm-msg${m.mentionsMe ? ' cm-msg-mention' : ''}${m.pending ? ' cm-msg-pending' : ''}`}
        data-testid="cm-msg"
        data-mine={mine}
      >
        <MessageHead m={m} member={member} members={d.memberList} />
        <MessageBody m={m} quoted={quoted} members={d.memberList} />
        <div className="cm-msg-foot">
          {m.reactions.map((r) => (
            <span key={r.emoji} className={`cm-reaction${r.mine ? ' cm-reaction-mine' : ''}`}>
              {r.emoji} {r.count}
            </span>
          ))}
          {!m.deleted && !m.pending ? (
            <span className="cm-msg-actions">
              <button type="button" className="btn btn-small btn-ghost" onClick={props.onReply}>
                Reply
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => act.mutate({ t: 'react', on: !liked })}
                aria-pressed={liked}
              >
                {liked ? 'Unlike' : 'Like'}
              </button>
              {mine ? (
                <button type="button" className="btn btn-small btn-ghost" onClick={props.onEdit}>
                  Edit
                </button>
              ) : null}
              {mayDelete ? (
                <button type="button" className="btn btn-small btn-ghost" onClick={() => act.mutate({ t: 'delete' })}>
                  Delete
                </button>
              ) : null}
            </span>
          ) : null}
        </div>
        {act.isError ? <ErrorNote error={act.error} /> : null}
      </article>
      {props.divider ? (
        <p className="cm-unread-line" role="separator">
          New
        </p>
      ) : null}
    </>
  );
}

/** Who sent a message, when, and whether it was edited or is still on its way. */
function MessageHead(props: {
  m: MessageView;
  member: MemberView | undefined;
  members: CommunityDetail['memberList'];
}) {
  const { m, member } = props;
  return (
    <header className="cm-msg-head">
      <span className="cm-author">{nameOf(m.did, props.members)}</span>
      <Verified member={member} />
      <time className="muted" dateTime={new Date(m.at).toISOString()}>
        {shortTime(m.at)}
      </time>
      {m.edited ? <span className="muted">(edited)</span> : null}
      {m.pending ? <span className="muted">sending…</span> : null}
    </header>
  );
}

/** What a message says: the message it answers, its text, the files it carries. */
function MessageBody(props: {
  m: MessageView;
  quoted: MessageView | undefined;
  members: CommunityDetail['memberList'];
}) {
  const { m, quoted } = props;
  return (
    <>
      {m.replyTo ? (
        <p className="cm-quote muted">
          {quoted
            ? `${nameOf(quoted.did, props.members)}: ${quoted.deleted ? 'deleted message' : quoted.text.slice(0, 120)}`
            : 'a message not on this page'}
        </p>
      ) : null}
      <p className={`cm-text${m.deleted ? ' muted' : ''}`} data-testid="cm-text">
        {m.deleted ? 'This message was deleted.' : m.text}
      </p>
      {m.attachments.length > 0 ? (
        <p className="muted small">
          {m.attachments.map((a) => `📎 ${a.name} (${Math.ceil(a.size / 1024)} KiB)`).join(' · ')}
        </p>
      ) : null}
    </>
  );
}

export function Verified(props: { member: MemberView | undefined }) {
  const v = props.member?.verified ?? false;
  return (
    <span
      className={`cm-verified ${v ? 'cm-verified-yes' : 'cm-verified-no'}`}
      title={
        v
          ? 'Verified: a published identity, and its key signed this device.'
          : props.member?.bindingExpired
            ? 'Not verified: this device’s signature by its identity has run out.'
            : 'Not verified: this identity has no published profile this node checked.'
      }
      data-testid="cm-verified"
      data-verified={v}
    >
      {v ? '✓ verified' : 'unverified'}
    </span>
  );
}

function Gaps(props: { gaps: readonly GapView[]; members: readonly MemberView[] }) {
  if (props.gaps.length === 0) return null;
  return (
    <div className="note note-info cm-gaps" role="status" data-testid="cm-gaps">
      {props.gaps.slice(0, 5).map((g) => (
        <p key={`${g.device}:${g.from}`}>{gapText(g.to - g.from + 1, nameOf(g.did, props.members))}</p>
      ))}
    </div>
  );
}

function Composer(props: {
  d: CommunityDetail;
  channel: string;
  replyTo: MessageView | null;
  editing: MessageView | null;
  onDone: () => void;
}) {
  const api = useApi();
  const { d, channel, replyTo, editing } = props;
  const [text, setText] = useState(editing?.text ?? '');
  const send = useMutation({
    mutationFn: (body: string) =>
      editing
        ? api.call('communities.edit', { id: d.id, messageId: editing.id, text: body })
        : api.call('communities.send', { id: d.id, channel, text: body, ...(replyTo ? { replyTo: replyTo.id } : {}) }),
    onSuccess: () => {
      setText('');
      props.onDone();
    },
  });
  const submit = () => {
    const body = text.trim();
    if (body && !send.isPending) send.mutate(body);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
    if (e.key === 'Escape') props.onDone();
  };
  return (
    <form
      className="cm-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {replyTo || editing ? (
        <p className="cm-composer-context muted">
          {editing ? 'Editing your message' : `Replying to ${nameOf(replyTo!.did, d.memberList)}`}{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={props.onDone}>
            Cancel
          </button>
        </p>
      ) : null}
      {send.isError ? <ErrorNote error={send.error} title="Not sent." /> : null}
      <div className="cm-composer-row">
        <textarea
          className="input"
          rows={2}
          value={text}
          maxLength={MAX_TEXT_CHARS}
          placeholder={`Message ${d.kind === 'dm' ? d.name : `#${d.channels.find((c) => c.id === channel)?.name ?? channel}`}`}
          aria-label="Message"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          data-testid="cm-composer"
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!text.trim() || send.isPending}
          data-testid="cm-send"
        >
          {editing ? 'Save' : 'Send'}
        </button>
      </div>
    </form>
  );
}
