// What the profile page says about an identity and its links, in plain words: the signature, how
// fresh the record is, where this node got it, and what it could check of each link. Pure.
import type { IdentityView, LinkView } from '../../src-shared/identity/contract.ts';
import { shortenMiddle } from '../format/text.ts';

export interface Sentence {
  readonly tone: 'ok' | 'warn' | 'muted' | 'error';
  readonly text: string;
}

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const peer = (id: string | null) => (id ? `peer ${shortenMiddle(id, 8, 6)}` : 'a peer');

/** The identity's display name: its name, else short name, else alias, else its address shortened. */
export function displayName(v: Pick<IdentityView, 'profile' | 'address' | 'deleted'>): string {
  if (v.deleted) return 'Deleted identity';
  return v.profile.name ?? v.profile.shortname ?? v.profile.alias ?? shortenMiddle(v.address, 8, 6);
}

export function verificationWords(v: IdentityView, now = Date.now()): Sentence[] {
  const out: Sentence[] = [
    {
      tone: 'ok',
      text: `Signature valid: signed by the key of ${shortenMiddle(v.address, 8, 6)}, recovered from the signature and checked when this node stored it.`,
    },
  ];
  const updated = Date.parse(v.updated);
  if (v.deleted) {
    out.push({
      tone: 'error',
      text: `Deleted on ${when(updated)} by its owner. Copies made before may persist elsewhere, but every node that hears of the deletion keeps it and refuses the old profile.`,
    });
  } else {
    const days = Math.floor((now - updated) / 86_400_000);
    out.push({
      tone: days > 365 ? 'warn' : 'ok',
      text: `Last updated ${when(updated)}${days > 365 ? ` (${Math.floor(days / 365)} year${days >= 730 ? 's' : ''} ago)` : ''}; first published ${when(Date.parse(v.created))}.`,
    });
  }
  out.push({ tone: 'muted', text: whereSeen(v) });
  return out;
}

function whereSeen(v: IdentityView): string {
  const at = when(v.seen.storedAt);
  switch (v.seen.via) {
    case 'self':
      return `Published from this node on ${at}.`;
    case 'api':
    case 'http':
      return `Submitted to this node's registry on ${at}.`;
    case 'gossip':
      return `Heard from ${peer(v.seen.peerId)} as it was published, on ${at}; first seen ${when(v.seen.firstSeenAt)}.`;
    case 'sync':
      return `Fetched from ${peer(v.seen.peerId)} while catching up, on ${at}; first seen ${when(v.seen.firstSeenAt)}.`;
  }
}

export function linkWords(l: LinkView): Sentence[] {
  if (l.removed) {
    return [
      { tone: 'muted', text: l.revokedBy === 'address' ? 'Revoked by the address.' : 'Removed by the identity.' },
    ];
  }
  const checked = l.check.checkedAt ? ` (checked ${when(l.check.checkedAt)})` : '';
  if (l.kind === 'domain') {
    const head: Sentence = { tone: 'ok', text: 'Claimed by the identity (signed link).' };
    if (l.check.state === 'verified')
      return [
        head,
        { tone: 'ok', text: `${l.target} confirms it: it serves a credential signed by this identity${checked}.` },
      ];
    if (l.check.state === 'failed')
      return [
        head,
        {
          tone: 'error',
          text: `${l.target} does not confirm it: ${l.check.detail ?? 'no valid credential'}${checked}.`,
        },
      ];
    return [
      head,
      { tone: 'muted', text: `Not checked: ${l.check.detail ?? 'this node has not fetched the domain yet'}.` },
    ];
  }
  const head: Sentence = {
    tone: 'ok',
    text: 'Both sides signed: the address signed a statement naming this identity, and the identity signed back.',
  };
  if (l.check.state === 'not-checked') {
    return [
      head,
      {
        tone: 'muted',
        text: `Balance not checked: ${l.check.detail ?? `this node has no wallet on ${l.chain ?? 'that chain'}`}.`,
      },
    ];
  }
  const balances = l.check.balances
    .map((b) => `${b.amount} ${b.ticker} in ${b.outputs} output${b.outputs === 1 ? '' : 's'}`)
    .join(', ');
  return [
    head,
    { tone: l.check.state === 'verified' ? 'ok' : 'muted', text: `Holds ${balances || 'nothing'} now${checked}.` },
  ];
}

/** Account links grouped by chain name (unknown chains last), live ones first. */
export function byChain(links: readonly LinkView[]): Array<{ chain: string; links: LinkView[] }> {
  const groups = new Map<string, LinkView[]>();
  for (const l of links.filter((x) => x.kind === 'account')) {
    const name = l.chain ?? `Other chain (${l.caip2 ?? '?'})`;
    groups.set(name, [...(groups.get(name) ?? []), l]);
  }
  return [...groups]
    .sort(([a], [b]) =>
      a.startsWith('Other') === b.startsWith('Other') ? a.localeCompare(b) : a.startsWith('Other') ? 1 : -1,
    )
    .map(([chain, ls]) => ({
      chain,
      links: ls.sort((a, b) => Number(a.removed) - Number(b.removed) || b.iat - a.iat),
    }));
}
