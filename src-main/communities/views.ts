// Rows to the contract's views (src-shared/communities/views.ts): summaries with unread counts,
// details with members and roles, and whether each member is verified — its binding valid now
// and its identity published (a profile this node verified), which one-time identities never are.
import type { z } from 'zod';
import type { CommunityDetail, CommunitySummary, MemberView } from '../../src-shared/communities/views.ts';
import type { Env } from './env.ts';
import type { CommunityRow } from './repo.ts';
import type { IdentitiesPart } from './secrets.ts';
import type { Timelines } from './timelines.ts';

type Summary = z.input<typeof CommunitySummary>;
type Detail = z.input<typeof CommunityDetail>;

/** Published names of identities, looked up once and forgotten when the identity domain says a record changed. */
export function createNames(identities: IdentitiesPart) {
  const known = new Map<string, { name: string | null; published: boolean }>();
  identities.onChanged(({ did }) => known.delete(did));
  return {
    async load(dids: Iterable<string>): Promise<void> {
      await Promise.all(
        [...new Set(dids)]
          .filter((did) => !known.has(did))
          .map(async (did) => {
            try {
              const r = await identities.resolve(did);
              known.set(did, { name: r && !r.deleted ? (r.profile.name ?? null) : null, published: !!r && !r.deleted });
            } catch {
              known.set(did, { name: null, published: false });
            }
          }),
      );
    },
    get: (did: string) => known.get(did) ?? { name: null, published: false },
  };
}

export type Names = ReturnType<typeof createNames>;

export function createViews(env: Env, d: { timelines: Timelines; names: Names }) {
  const title = (row: CommunityRow): string => {
    const descriptor = row.data.descriptor?.descriptor;
    if (row.state === 'requested' && !descriptor) return 'Waiting to be admitted…';
    if (row.kind === 'community') return descriptor?.name ?? 'Community';
    if (row.swapId) return `Swap ${row.swapId.slice(0, 8)} counterparty`;
    return (row.peer && d.names.get(row.peer).name) ?? row.peer ?? 'Direct message';
  };

  function summary(row: CommunityRow): Summary {
    const descriptor = row.data.descriptor?.descriptor;
    const unread =
      row.state === 'joined' && env.unlocked()
        ? d.timelines.unread(row)
        : { total: 0, mentions: 0, perChannel: new Map() };
    const me = row.data.members.find((m) => m.did === row.me);
    return {
      id: row.id,
      kind: row.kind,
      me: row.me,
      ...(row.swapId ? { swapId: row.swapId } : {}),
      name: title(row),
      ...(row.peer ? { peer: row.peer } : {}),
      picture: descriptor?.picture ? { sha256: descriptor.picture.sha256, mime: descriptor.picture.mime } : null,
      role: me?.role ?? 'member',
      members: new Set(row.data.members.map((m) => m.did)).size,
      unread: unread.total,
      mentions: unread.mentions,
      persistence: descriptor?.persistence.mode ?? 'relay',
      state: row.state,
      ...(row.removedReason ? { removedReason: row.removedReason } : {}),
      lastMessageAt: row.lastMessageAt,
    };
  }

  function memberList(row: CommunityRow): MemberView[] {
    const byDid = new Map<string, MemberView>();
    const now = env.now();
    for (const m of row.data.members) {
      const name = d.names.get(m.did);
      const expired = now > m.notAfter;
      const had = byDid.get(m.did);
      byDid.set(m.did, {
        did: m.did,
        role: m.role,
        devices: (had?.devices ?? 0) + 1,
        bindingExpired: (had?.bindingExpired ?? false) || expired,
        name: name.name,
        verified: name.published && !((had?.bindingExpired ?? false) || expired),
        me: m.did === row.me,
      });
    }
    const rank = { owner: 0, admin: 1, member: 2 } as const;
    return [...byDid.values()].sort(
      (a, b) => rank[a.role] - rank[b.role] || (a.name ?? a.did).localeCompare(b.name ?? b.did),
    );
  }

  async function detail(row: CommunityRow): Promise<Detail> {
    await d.names.load(row.data.members.map((m) => m.did));
    const s = summary(row);
    const descriptor = row.data.descriptor?.descriptor;
    const unread =
      row.state === 'joined' && env.unlocked() ? d.timelines.unread(row).perChannel : new Map<string, number>();
    const mayModerate = s.role !== 'member';
    return {
      ...s,
      description: descriptor?.description ?? '',
      owner: descriptor?.owner ?? row.me,
      version: descriptor?.version ?? 1,
      invite: descriptor?.invite ?? 'owner',
      persistenceDetail: descriptor?.persistence ?? { mode: 'relay' },
      channels: (descriptor?.channels ?? []).map((c) => ({ ...c, unread: unread.get(c.id) ?? 0 })),
      memberList: memberList(row),
      ...(mayModerate ? { bans: row.data.roster?.bans ?? [] } : {}),
      epoch: row.data.epoch,
    };
  }

  return { summary, detail, title };
}

export type Views = ReturnType<typeof createViews>;
