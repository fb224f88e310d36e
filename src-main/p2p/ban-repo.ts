// Peers banned for misbehaving. A ban lasts until a time; banning again never shortens it
// (a peer cannot shorten its own ban by misbehaving mildly); unban() lifts it.

import type { Database } from 'better-sqlite3';

export interface PeerBan {
  peerId: string;
  reason: string;
  /** ms since the epoch */
  until: number;
}

export interface BanRepo {
  ban(peerId: string, reason: string, untilMs: number): void;
  unban(peerId: string): void;
  isBanned(peerId: string, nowMs: number): boolean;
  /** All bans, or with `nowMs` only those still in force. */
  list(nowMs?: number): PeerBan[];
  /** Deletes bans that have run out; returns how many. */
  purgeExpired(nowMs: number): number;
}

export function createBanRepo(db: Database): BanRepo {
  const upsert = db.prepare<[string, string, number]>(`
    INSERT INTO peers_banned (peer_id, reason, until) VALUES (?, ?, ?)
    ON CONFLICT (peer_id) DO UPDATE SET
      reason = CASE WHEN excluded.until >= until THEN excluded.reason ELSE reason END,
      until = MAX(until, excluded.until)`);
  const remove = db.prepare<[string]>('DELETE FROM peers_banned WHERE peer_id = ?');
  const active = db.prepare<[string, number], { one: number }>(
    'SELECT 1 AS one FROM peers_banned WHERE peer_id = ? AND until > ?',
  );
  const selectAll = db.prepare<[number], PeerBan>(
    'SELECT peer_id AS peerId, reason, until FROM peers_banned WHERE until > ? ORDER BY until, peer_id',
  );
  const purge = db.prepare<[number]>('DELETE FROM peers_banned WHERE until <= ?');

  return {
    ban(peerId, reason, untilMs) {
      if (!Number.isSafeInteger(untilMs)) throw new RangeError(`ban end must be an integer time in ms, got ${untilMs}`);
      upsert.run(peerId, reason, untilMs);
    },
    unban: (peerId) => void remove.run(peerId),
    isBanned: (peerId, nowMs) => active.get(peerId, nowMs) !== undefined,
    list: (nowMs) => selectAll.all(nowMs ?? Number.MIN_SAFE_INTEGER),
    purgeExpired: (nowMs) => purge.run(nowMs).changes,
  };
}
