// Sending (docs §10–12): an inner message numbered by this device and linked to the latest
// messages it has seen, encrypted in the head epoch, the advanced state sealed BEFORE it is
// published (a crash must never make the ratchet reuse a key), then gossiped, pushed to storage
// nodes (signed with the epoch's storage key) and kept in our own log to serve other members.
// After a sequencing switch, our messages of the lost epochs are sent again with the same id.
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeInner } from '../../src-shared/communities/envelope.ts';
import type { Envelope, Inner } from '../../src-shared/communities/envelope.ts';
import { b64, bytesToHex, deviceOf, hexToBytes } from '../../src-shared/communities/ids.ts';
import { encrypt, ownKey } from '../../src-shared/communities/mls.ts';
import { authorizeEnvelope } from '../../src-shared/communities/storage.ts';
import { errorText } from '../kernel/log.ts';
import { epochStorageKey } from './advance.ts';
import type { Delivery } from './delivery.ts';
import { encodeEnvelope } from '../../src-shared/communities/envelope.ts';
import { refusal, type Env } from './env.ts';
import type { Inbox } from './inbox.ts';
import type { CommunityRow } from './repo.ts';
import type { StorageClient } from './storage-client.ts';
import type { Timelines } from './timelines.ts';

/** An inner message without what the outbox fills in (per kind: Omit over a union would merge kinds). */
export type Body = Inner extends infer I ? (I extends unknown ? Omit<I, 'v' | 'seq' | 'at' | 'deps'> : never) : never;

/** An encrypted message as it goes out, in the row's head epoch. */
function messageEnvelope(row: CommunityRow, message: Uint8Array): Envelope {
  return {
    v: 1,
    topic: row.topic,
    kind: 'msg',
    epoch: String(row.data.epoch),
    branch: row.data.tag,
    body: b64.encode(message),
  };
}

export function createOutbox(
  env: Env,
  d: { delivery: Delivery; storage: StorageClient; inbox: Inbox; timelines: Timelines },
) {
  /** Signs an envelope for storage nodes when the community keeps its history there. */
  async function finish(row: CommunityRow, envelope: Envelope, group: Parameters<typeof epochStorageKey>[2]) {
    if (d.storage.nodesOf(row).length === 0) return envelope;
    return authorizeEnvelope(envelope, await epochStorageKey(env, row.id, group));
  }

  /**
   * Logs, gossips and stores an envelope this node made. `storeRow`: the row whose storage nodes
   * keep it, when that is not `row` (a commit goes to the nodes of the epoch it was signed in).
   */
  async function release(
    row: CommunityRow,
    envelope: Envelope,
    { slot, storeRow = row }: { slot?: { device: string; seq: number }; storeRow?: CommunityRow } = {},
  ) {
    const bytes = encodeEnvelope(envelope);
    const rowid = env.repo.envelopes.insert({
      community: row.id,
      hash: bytesToHex(sha256(bytes)),
      kind: envelope.kind,
      epoch: envelope.epoch === undefined ? null : Number(envelope.epoch),
      branch: envelope.branch ?? null,
      device: slot?.device ?? null,
      seq: slot?.seq ?? null,
      status: 'done',
      receivedAt: env.now(),
      body: JSON.stringify(envelope),
    });
    if (rowid === undefined) return;
    await d.delivery.publish(row.topic, envelope);
    void d.storage
      .push(storeRow, envelope)
      .catch((err: unknown) => env.log.info('communities: storing an envelope failed', { error: errorText(err) }));
  }

  /** Sends one inner message; runs inside the community's queue. Returns its message id. */
  async function sendNow(row: CommunityRow, body: Body, at?: number): Promise<string> {
    if (row.state !== 'joined') throw refusal('not-joined', 'This node is not a member of that community.');
    const group = env.groups.get(row.id);
    if (!group) throw refusal('not-joined', 'This node holds no keys for that community.');
    const device = row.data.device ?? deviceOf(hexToBytes(ownKey(group)));
    const seq = row.data.seq + 1;
    const inner = { ...body, v: 1, seq, at: at ?? env.now(), deps: d.timelines.deps(row.id, device) } as Inner;
    const plaintext = encodeInner(inner);
    const out = await encrypt(env.mls, group, plaintext);
    // Sealed before anything leaves: after a crash the ratchet goes on from here, never back.
    env.groups.set(row.id, out.group);
    const next = { ...row, updatedAt: env.now(), data: { ...row.data, seq, device } };
    env.repo.save(next);
    const { id } = d.inbox.keep(next, { did: row.me, device, epoch: row.data.epoch, inner }, true);
    const envelope = await finish(next, messageEnvelope(row, out.message), out.group);
    await release(next, envelope, { slot: { device, seq } });
    return id;
  }

  return {
    send: (id: string, body: Body) => env.groups.run(id, () => sendNow(env.repo.get(id)!, body)),
    sendNow,
    release,
    finish,
    /**
     * Our messages sent in epochs a sequencing switch dropped: sent again in the new head epoch,
     * with the same inner (same id) so others merge them. Runs inside the queue.
     */
    async resendLost(row: CommunityRow): Promise<void> {
      if (!row.data.device || row.data.chain.lost.length === 0) return;
      const lost = env.repo.envelopes.mineInBranches(row.id, row.data.device, row.data.chain.lost);
      for (const e of lost) {
        const m = e.seq === null ? undefined : env.repo.messages.slot(row.id, row.data.device, e.seq);
        if (!m) continue;
        const inner = JSON.parse(env.sealer.openText(m.sealed)) as Inner;
        const group = env.groups.get(row.id);
        if (!group) return;
        const out = await encrypt(env.mls, group, encodeInner(inner));
        env.groups.set(row.id, out.group);
        const latest = env.repo.get(row.id)!;
        const envelope = await finish(latest, messageEnvelope(latest, out.message), out.group);
        env.repo.envelopes.setStatus(e.rowid, 'refused');
        await release(latest, envelope);
      }
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
