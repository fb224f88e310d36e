// Every envelope this node receives, from gossip, a member, a storage node or a direct push, goes
// through here: checked before it is parsed, kept once (by hash, in the ciphertext log), and, while
// the vault is unlocked, processed in its community's queue: messages decrypted, commits sequenced
// (docs §7: apply on the head, switch to a better one at an earlier epoch, hold an unknown parent),
// Welcomes joined. What no member would send is refused and its sender scored; nothing unverified
// reaches the timeline.
import { createHash } from 'node:crypto';
import { decodeEnvelope, Envelope, isEnvelopeError, parseEnvelope } from '../../src-shared/communities/envelope.ts';
import { b64 } from '../../src-shared/communities/ids.ts';
import { commitRef, receive, serializeGroup } from '../../src-shared/communities/mls.ts';
import type { Group } from '../../src-shared/communities/mls.ts';
import { head, offerCommit, orphaned, recordCommit } from '../../src-shared/communities/sequencing.ts';
import type { CommitRef } from '../../src-shared/communities/sequencing.ts';
import { errorText } from '../kernel/log.ts';
import { advance, tellNotices } from './advance.ts';
import type { Env } from './env.ts';
import type { CommunityRow, EnvelopeRow } from './repo.ts';

export interface Source {
  /** The peer it came from; for gossip the publisher (messages are signed by their origin). */
  peer?: string;
  via: 'gossip' | 'sync' | 'storage' | 'deliver' | 'self';
}

/** Refusals that only a member or non-member acting against the rules produces: the sender is scored. */
const HOSTILE = new Set([
  'mls-format',
  'wrong-wireformat',
  'not-a-member',
  'sender-removed',
  'proposal-by-reference',
  'committer-not-admin',
  'remove-not-allowed',
  'ban-not-allowed',
  'extension-not-allowed',
  'proposal-not-allowed',
  'commit-format',
  'message-format',
  'attachment-too-large',
  'attachment-invalid',
  'message-too-large',
  'banned',
  'binding-signature',
  'binding-key',
  'binding-format',
]);

export interface IngestHooks {
  /** A decrypted application message (its sender from MLS). */
  onMessage(
    row: CommunityRow,
    r: { did: string; device: string; plaintext: Uint8Array; epoch: number; expired: boolean },
    live: boolean,
    source: Source,
    /** Marks the envelope done with its slot, in the same transaction as the message it kept. */
    settle: (slot: { device: string; seq: number }) => void,
    /** A catch-up page's message: its writes (and `settle`) wait for the group state's next seal. */
    withSeal: boolean,
  ): Promise<{ status: 'done' | 'refused'; slot?: { device: string; seq: number }; deferred?: boolean }>;
  /** A join request envelope for a community this node administers. */
  /** 'later': put off by the community's rate limit, forgotten so the joiner's next ask is taken. */
  onJoin(row: CommunityRow, envelope: Envelope, source: Source): Promise<'done' | 'refused' | 'later'>;
  /** A Welcome for a community this node waits to join, or (row undefined) for a topic it is not in: a direct message someone starts with us. */
  onWelcome(row: CommunityRow | undefined, envelope: Envelope, source: Source): Promise<void>;
  /** After a commit took this node to a new epoch (others' or a switch). */
  onEpoch(
    row: CommunityRow,
    group: Group,
    o: { switched: boolean; removedMe: boolean; committer: string; orphans: CommitRef[] },
  ): Promise<void>;
  /** Something is missing (unknown parent, future epoch): catch up with the others. */
  wantCatchUp(id: string, peer?: string): void;
}

export interface Ingest {
  /** Takes an envelope in; resolves when it is kept and, if it can be, processed. */
  take(topic: string, input: Uint8Array | unknown, source: Source): Promise<void>;
  /** Takes a page of envelopes in: kept together in one transaction, then processed in order. */
  takePage(topic: string, inputs: readonly unknown[], source: Source): Promise<void>;
  /** Processes what waited (locked vault, unknown parent, future epoch). */
  drain(id: string): Promise<void>;
}

export function createIngest(env: Env, hooks: IngestHooks): Ingest {
  const refuse = (rowid: number, code: string, source: Source, detail: string) => {
    env.repo.envelopes.setStatus(rowid, 'refused');
    if (HOSTILE.has(code) && (source.via === 'gossip' || source.via === 'deliver'))
      env.score(source.peer, 'malformed', `${code}: ${detail}`);
  };

  /** `inPage`: a catch-up page's envelope (its message's writes go with the page's seal). */
  async function process(
    id: string,
    e: EnvelopeRow,
    envelope: Envelope,
    source: Source,
    live: boolean,
    inPage = false,
  ): Promise<void> {
    const row = env.repo.get(id);
    if (!row) return;
    switch (envelope.kind) {
      case 'join': {
        if (row.state !== 'joined') return env.repo.envelopes.setStatus(e.rowid, 'done');
        const status = await hooks.onJoin(row, envelope, source);
        if (status === 'later') return env.repo.envelopes.forgetJoin(e.rowid);
        return status === 'refused'
          ? refuse(e.rowid, 'join', source, 'join request')
          : env.repo.envelopes.setStatus(e.rowid, 'done');
      }
      case 'welcome':
        return welcome(row, e, envelope, source);
      case 'commit':
        return commit(row, e, envelope, source);
      case 'msg':
        return message(row, e, envelope, source, live, inPage);
    }
  }

  async function welcome(row: CommunityRow, e: EnvelopeRow, envelope: Envelope, source: Source): Promise<void> {
    // Kept either way: members serve Welcomes to joiners who ask for theirs.
    if (row.state === 'requested' && row.data.join?.kpRef === envelope.to) await hooks.onWelcome(row, envelope, source);
    env.repo.envelopes.setStatus(e.rowid, 'done');
  }

  async function message(
    row: CommunityRow,
    e: EnvelopeRow,
    envelope: Envelope,
    source: Source,
    live: boolean,
    inPage: boolean,
  ) {
    if (row.state !== 'joined')
      return row.state === 'requested' ? undefined : env.repo.envelopes.setStatus(e.rowid, 'refused');
    const group = env.groups.get(row.id);
    if (!group) return env.repo.envelopes.setStatus(e.rowid, 'held');
    const epoch = Number(envelope.epoch);
    const chain = row.data.chain;
    const top = head(chain);
    if (
      epoch > top.epoch ||
      (epoch === top.epoch && envelope.branch !== top.tag && !chain.lost.includes(envelope.branch!))
    ) {
      env.repo.envelopes.setStatus(e.rowid, 'held');
      return hooks.wantCatchUp(row.id, source.peer);
    }
    // A lost branch (its sender re-sends), before we joined, or older than MLS keeps keys for.
    if (chain.lost.includes(envelope.branch!) || epoch < row.data.joinedEpoch || epoch < top.epoch - 3)
      return env.repo.envelopes.setStatus(e.rowid, 'refused');
    const r = await receive(env.mls, group, b64.decode(envelope.body), env.now());
    env.groups.set(row.id, r.group, { lazy: true });
    if (r.kind === 'refused') {
      // Too far ahead of a sender's ratchet, or an epoch whose keys rotated out: may read later.
      if (r.code === 'mls-invalid' && epoch === top.epoch) return env.repo.envelopes.setStatus(e.rowid, 'held');
      return refuse(e.rowid, r.code, source, r.reason);
    }
    if (r.kind !== 'message') return refuse(e.rowid, 'wrong-wireformat', source, 'not an application message');
    let settled = false;
    const out = await hooks.onMessage(
      row,
      {
        did: r.sender.did,
        device: r.sender.device,
        plaintext: r.plaintext,
        epoch: r.epoch,
        expired: r.sender.bindingExpired,
      },
      live,
      source,
      (slot) => {
        env.repo.envelopes.setStatus(e.rowid, 'done', slot);
        settled = true;
      },
      inPage,
    );
    if (out.status === 'refused') return env.repo.envelopes.setStatus(e.rowid, 'refused');
    // A deferred message settles its envelope when it is written: marking it done now could leave
    // a stored `done` without its message after a crash (skipped for good).
    if (!settled && !out.deferred) env.repo.envelopes.setStatus(e.rowid, 'done', out.slot);
  }

  async function commit(row: CommunityRow, e: EnvelopeRow, envelope: Envelope, source: Source) {
    if (row.state !== 'joined')
      return env.repo.envelopes.setStatus(e.rowid, row.state === 'requested' ? 'held' : 'refused');
    const group = env.groups.get(row.id);
    if (!group) return env.repo.envelopes.setStatus(e.rowid, 'held');
    const chain = row.data.chain;
    const parent = envelope.branch!;
    const link = chain.links.find((l) => l.tag === parent);
    if (!link) {
      if (chain.lost.includes(parent) || Number(envelope.epoch) < chain.links[0]!.epoch)
        return env.repo.envelopes.setStatus(e.rowid, 'refused');
      env.repo.envelopes.setStatus(e.rowid, 'held');
      return hooks.wantCatchUp(row.id, source.peer);
    }
    if (link.epoch !== Number(envelope.epoch))
      return refuse(e.rowid, 'commit-format', source, 'epoch and branch disagree');
    const bytes = b64.decode(envelope.body);
    const atHead = link === head(chain);
    const base = atHead ? group : env.groups.snapshot(row.id, parent);
    if (!base) return env.repo.envelopes.setStatus(e.rowid, 'refused');
    if (!atHead) {
      const ref = await commitRef(env.mls, base, bytes);
      if ('ok' in ref) return refuse(e.rowid, ref.code, source, ref.reason);
      const offer = offerCommit(chain, ref);
      if (offer.kind !== 'switch')
        return env.repo.envelopes.setStatus(
          e.rowid,
          offer.kind === 'ignore' && offer.reason === 'duplicate' ? 'done' : 'refused',
        );
    }
    const snapshot = serializeGroup(base);
    const r = await receive(env.mls, base, bytes, env.now());
    if (atHead) env.groups.set(row.id, r.group);
    if (r.kind === 'refused') return refuse(e.rowid, r.code, source, r.reason);
    if (r.kind !== 'commit') return refuse(e.rowid, 'wrong-wireformat', source, 'not a commit');
    const nextChain = recordCommit(chain, r.ref, r.tag);
    const orphans = orphaned(chain, nextChain, (c) => isMine(row, c));
    env.groups.putSnapshot(row.id, parent, snapshot);
    env.repo.envelopes.setStatus(e.rowid, 'done');
    if (r.removedMe) {
      const removed = { ...row, data: { ...row.data, chain: nextChain } };
      return hooks.onEpoch(removed, r.group, { switched: !atHead, removedMe: true, committer: r.committer, orphans });
    }
    const { row: next, notices } = await advance(env, row, r.group, { at: r.at, by: r.committer, chain: nextChain });
    env.groups.set(row.id, r.group);
    env.groups.keepSnapshots(
      row.id,
      nextChain.links.map((l) => l.tag),
    );
    env.repo.save(next);
    tellNotices(env, row.id, notices);
    await hooks.onEpoch(next, r.group, { switched: !atHead, removedMe: false, committer: r.committer, orphans });
  }

  /** Our own commits are those made while we were the head's committer: we record their ids. */
  const isMine = (row: CommunityRow, c: CommitRef) => (row.data.ownCommits ?? []).includes(c.id);

  /** Checks an envelope before it is kept; a malformed one scores its sender and is dropped. */
  function check(topic: string, input: Uint8Array | unknown, source: Source) {
    let envelope: Envelope;
    let bytes: Uint8Array;
    try {
      if (input instanceof Uint8Array) {
        envelope = decodeEnvelope(input);
        bytes = input;
      } else {
        ({ envelope, bytes } = parseEnvelope(input));
      }
    } catch (err) {
      const code = isEnvelopeError(err) ? err.code : 'envelope-format';
      env.score(source.peer, code === 'envelope-too-large' ? 'oversize' : 'malformed', `${code} on ${topic}`);
      return undefined;
    }
    if (envelope.topic !== topic) {
      env.score(source.peer, 'malformed', 'an envelope for another topic');
      return undefined;
    }
    return { envelope, bytes };
  }

  /** Keeps the ciphertext once (by hash): the new row's id and hash, or undefined when it was here already. */
  function keep(row: CommunityRow, envelope: Envelope, bytes: Uint8Array) {
    // Node's SHA-256 (OpenSSL): ~3x noble's on a 1 KB envelope, once for every envelope taken in.
    const hash = createHash('sha256').update(bytes).digest('hex');
    const rowid = env.repo.envelopes.insert({
      community: row.id,
      hash,
      kind: envelope.kind,
      epoch: envelope.epoch === undefined ? null : Number(envelope.epoch),
      branch: envelope.branch ?? null,
      device: null,
      seq: null,
      status: 'pending',
      receivedAt: env.now(),
      body: JSON.stringify(envelope),
    });
    return rowid === undefined ? undefined : { rowid, hash };
  }

  async function processKept(
    row: CommunityRow,
    k: { rowid: number; hash: string },
    envelope: Envelope,
    source: Source,
    inPage = false,
  ) {
    const { rowid } = k;
    const stored = { rowid, community: row.id } as EnvelopeRow;
    await env.groups.run(row.id, async () => {
      // A drain (after a commit) may have processed it meanwhile: once only.
      if (env.repo.envelopes.statusOf(row.id, k.hash) !== 'pending') return;
      try {
        await process(row.id, stored, envelope, source, source.via === 'gossip' || source.via === 'deliver', inPage);
      } catch (err) {
        env.log.warn('communities: an envelope could not be processed', { community: row.id, error: errorText(err) });
        env.repo.envelopes.setStatus(rowid, 'held');
      }
    });
    if (envelope.kind === 'commit') await drain(row.id);
  }

  async function take(topic: string, input: Uint8Array | unknown, source: Source): Promise<void> {
    if (env.closed()) return;
    const checked = check(topic, input, source);
    if (!checked) return;
    const { envelope, bytes } = checked;
    const row = env.repo.byTopic(topic);
    if (!row) {
      if (envelope.kind === 'welcome' && env.unlocked()) await hooks.onWelcome(undefined, envelope, source);
      return;
    }
    const kept = keep(row, envelope, bytes);
    if (kept === undefined || !env.unlocked()) return;
    await processKept(row, kept, envelope, source);
  }

  /**
   * A page of envelopes (catch-up): all checked and kept in one transaction (one commit, not one per
   * envelope), then processed in order as `take` would. A crash before processing leaves them
   * pending, for the next drain. Its messages and their envelopes' statuses are written with the
   * next seal of the group state (groups.ts `defer`; the caller flushes at the end of the page): a
   * crash before that seal leaves them pending with the state that has not read them.
   */
  async function takePage(topic: string, inputs: readonly unknown[], source: Source): Promise<void> {
    if (env.closed()) return;
    const row = env.repo.byTopic(topic);
    if (!row) {
      for (const input of inputs) await take(topic, input, source);
      return;
    }
    const checked = inputs.map((input) => check(topic, input, source));
    const kept = env.repo.transaction(() =>
      checked.map((c) => (c ? { envelope: c.envelope, row: keep(row, c.envelope, c.bytes) } : undefined)),
    );
    if (!env.unlocked()) return;
    for (const k of kept) if (k?.row) await processKept(row, k.row, k.envelope, source, true);
  }

  /** Waiting envelopes, commits by epoch first: each may be what the next one needed. */
  async function drain(id: string): Promise<void> {
    if (!env.unlocked()) return;
    await env.groups.run(id, async () => {
      // A page's messages read but not yet written are written first (with the state that read
      // them): their envelopes must not look pending to the loop below.
      env.groups.flush(id);
      for (let round = 0; round < 64; round++) {
        const todo = env.repo.envelopes.todo(id);
        const ordered = [...todo].sort(
          (a, b) => kindOrder(a) - kindOrder(b) || (a.epoch ?? 0) - (b.epoch ?? 0) || a.rowid - b.rowid,
        );
        let progressed = false;
        for (const t of ordered) {
          const envelope = Envelope.parse(JSON.parse(t.body));
          try {
            await process(id, t, envelope, { via: 'sync' }, false);
          } catch (err) {
            env.log.warn('communities: a waiting envelope could not be processed', {
              community: id,
              error: errorText(err),
            });
            env.repo.envelopes.setStatus(t.rowid, 'held');
          }
          const after = env.repo.envelopes.statusOf(id, t.hash);
          if (after && after !== 'held' && after !== 'pending') progressed = true;
        }
        if (!progressed) return;
      }
    });
  }

  return { take, takePage, drain };
}

const kindOrder = (t: EnvelopeRow) => (t.kind === 'commit' ? 0 : t.kind === 'welcome' ? 1 : 2);
