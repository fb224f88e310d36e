// Plain words for what happens in a community: names for identities (the published name, else a
// short DID), every key event as a sentence (removals say that new keys now encrypt), and the
// conversation as one list of messages and notices in time order.
import { ApiError, isApiErrorData } from '../../src-shared/api/errors.ts';
import { NO_IDENTITY, type MemberView, type MessageView, type NoticeView } from '../../src-shared/communities/views.ts';
import { shortenMiddle } from '../format/text.ts';

/** The node refused because the user has no published identity to take part with. */
export function isNoIdentity(err: unknown): boolean {
  if (!(err instanceof ApiError) && !isApiErrorData(err)) return false;
  return (err.details as { code?: unknown } | undefined)?.code === NO_IDENTITY;
}

/** How a person is called on screen: their published name, "you", or the DID cut short. */
export function nameOf(did: string | undefined, members: readonly MemberView[]): string {
  if (!did) return 'Someone';
  const m = members.find((x) => x.did === did);
  if (m?.me) return 'You';
  if (m?.name) return m.name;
  return shortenMiddle(did, 12, 4);
}

/** A name in the middle of a sentence: "you", not "You". */
const inSentence = (name: string) => (name === 'You' ? 'you' : name);

export function noticeText(n: NoticeView, members: readonly MemberView[]): string {
  const who = nameOf(n.did, members);
  const by = n.by ? nameOf(n.by, members) : undefined;
  const byText = by ? ` by ${by}` : '';
  switch (n.kind) {
    case 'created':
      return `${by ?? who} created the community.`;
    case 'joined':
      return by && by !== who ? `${who} joined, admitted by ${inSentence(by)}.` : `${who} joined.`;
    case 'removed':
      return by
        ? `${by} removed ${inSentence(who)}; messages from now on are encrypted with new keys.`
        : `${who} was removed; messages from now on are encrypted with new keys.`;
    case 'banned':
      return `${who} is banned${byText} and cannot join again.`;
    case 'left':
      return `${who} left; messages from now on are encrypted with new keys.`;
    case 'unbanned':
      return `${who} is no longer banned${byText}.`;
    case 'role': {
      const role = n.role === 'admin' ? 'an admin' : n.role === 'owner' ? 'the owner' : 'a member';
      return by
        ? `${by} made ${who === 'You' ? 'you' : who} ${role}.`
        : `${who} ${who === 'You' ? 'are' : 'is'} now ${role}.`;
    }
    case 'descriptor':
      return `The community's name, description or channels were changed${byText}.`;
    case 'persistence':
      return n.persistence === 'store'
        ? `Storage nodes now keep the encrypted messages${byText}; they cannot read them.`
        : `Messages are now only relayed${byText}: no node keeps them.`;
    case 'rekeyed':
      return `The keys were renewed${byText}.`;
    case 'removedMe':
      return `You were removed${byText}. Messages from now on are encrypted with keys you do not have.`;
  }
}

export type Entry =
  { kind: 'message'; at: number; message: MessageView } | { kind: 'notice'; at: number; notice: NoticeView };

/**
 * Messages in the node's order with notices placed by time between them. Notices older than the
 * first message shown belong to an earlier page and are left out while older messages exist.
 */
export function conversation(messages: readonly MessageView[], notices: readonly NoticeView[], more: boolean): Entry[] {
  const from = more && messages.length > 0 ? messages[0]!.at : -Infinity;
  const ns = notices.filter((n) => n.at >= from).sort((a, b) => a.at - b.at || a.epoch - b.epoch);
  const out: Entry[] = [];
  let i = 0;
  for (const m of messages) {
    while (i < ns.length && ns[i]!.at <= m.at) out.push({ kind: 'notice', at: ns[i]!.at, notice: ns[i++]! });
    out.push({ kind: 'message', at: m.at, message: m });
  }
  while (i < ns.length) out.push({ kind: 'notice', at: ns[i]!.at, notice: ns[i++]! });
  return out;
}

/** "3 messages from Bob are missing; fetching them…" for the gaps the node is still filling. */
export function gapText(count: number, who: string): string {
  return `${count} ${count === 1 ? 'message' : 'messages'} from ${who} ${count === 1 ? 'is' : 'are'} missing; fetching ${count === 1 ? 'it' : 'them'} from other members…`;
}
