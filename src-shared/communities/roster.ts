// The roster: bans and used invitations, shared by owner and admins through the MLS group context
// (extension 0xF0C2). Only commits change it, so every member agrees on who is banned at each epoch.
import { z } from 'zod';
import { decodeCanonical, Did, encodeCanonical, Hex16, Millis } from './ids.ts';

export const ROSTER_EXTENSION = 0xf0c2;
export const MAX_BANS = 1000;
export const MAX_USED_INVITES = 1000;
export const MAX_ROSTER_BYTES = 128 * 1024;

export const Roster = z
  .object({
    v: z.literal(1),
    bans: z.array(Did).max(MAX_BANS),
    usedInvites: z.array(z.object({ id: Hex16, exp: Millis }).strict()).max(MAX_USED_INVITES),
  })
  .strict()
  .superRefine((r, ctx) => {
    // Sorted and unique: one roster has one encoding, so equal rosters compare equal as bytes.
    for (let i = 1; i < r.bans.length; i++)
      if (r.bans[i - 1]! >= r.bans[i]!) ctx.addIssue({ code: 'custom', message: 'bans are sorted and unique' });
    for (let i = 1; i < r.usedInvites.length; i++)
      if (r.usedInvites[i - 1]!.id >= r.usedInvites[i]!.id)
        ctx.addIssue({ code: 'custom', message: 'used invites are sorted by id and unique' });
  });
export type Roster = z.infer<typeof Roster>;

export const EMPTY_ROSTER: Roster = { v: 1, bans: [], usedInvites: [] };

export function encodeRoster(roster: Roster): Uint8Array {
  return encodeCanonical(roster);
}

export function decodeRoster(bytes: Uint8Array): Roster | undefined {
  return decodeCanonical(bytes, Roster, MAX_ROSTER_BYTES);
}

/** The roster with these changes, kept sorted; used invitations past `now` are dropped. */
export function editRoster(
  roster: Roster,
  change: { ban?: string[]; unban?: string[]; useInvite?: { id: string; exp: number }; now?: number },
): Roster {
  const bans = new Set(roster.bans);
  for (const d of change.ban ?? []) bans.add(d);
  for (const d of change.unban ?? []) bans.delete(d);
  const used = new Map(roster.usedInvites.map((u) => [u.id, u]));
  if (change.useInvite) used.set(change.useInvite.id, change.useInvite);
  const now = change.now;
  return Roster.parse({
    v: 1,
    bans: [...bans].sort(),
    usedInvites: [...used.values()]
      .filter((u) => now === undefined || u.exp >= now)
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  });
}
