// Getting in and out (docs §8–9). Inviting: a one-time secret in a link; the group is told only
// keys derived from it. Joining: a key package bound to our identity, proven with the link's key,
// sealed from relays, gossiped on the topic; the key package's private keys wait sealed for the
// Welcome. Admitting: the owner or ANY admin online checks a request and commits — invitation
// requests are admitted by whoever sees them first (the owner at once, admins after a short
// rank-ordered wait, so one commit usually wins without a race); knocks wait for a person.
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { DEFAULT_BINDING_MS, signBinding } from '../../src-shared/communities/binding.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { b64, bytesToHex, encodeCanonical, hexToBytes, topicOf } from '../../src-shared/communities/ids.ts';
import {
  checkJoinRequest,
  DEFAULT_INVITE_MS,
  inviteKeys,
  inviteLink,
  inviteRecord,
  knockSealKey,
  makeJoinRequest,
  openJoinRequest,
  parseInviteLink,
  SealedJoin,
  sealJoinRequest,
} from '../../src-shared/communities/invite.ts';
import type { JoinRequest } from '../../src-shared/communities/invite.ts';
import {
  createKeyPackage,
  decodeKeyPackage,
  exportKeyPackage,
  importKeyPackage,
  joinFromWelcome,
  keyPackageDid,
  keyPackageRef,
  newMessagingKey,
} from '../../src-shared/communities/mls.ts';
import type { KeyPackageBundle } from '../../src-shared/communities/mls.ts';
import { NO_RATES, rateCheck } from '../../src-shared/communities/rate.ts';
import type { RateState } from '../../src-shared/communities/rate.ts';
import { mayCommit, mayInvite, roleOf } from '../../src-shared/communities/roles.ts';
import { editRoster } from '../../src-shared/communities/roster.ts';
import { startChain } from '../../src-shared/communities/sequencing.ts';
import { epochOf, tagOf } from '../../src-shared/communities/mls.ts';
import { SYNC_PROTOCOL } from '../../src-shared/communities/sync.ts';
import type { JoinRequestView } from '../../src-shared/communities/views.ts';
import { errorText } from '../kernel/log.ts';
import { advance, tellNotices } from './advance.ts';
import type { Commits } from './commits.ts';
import type { Delivery } from './delivery.ts';
import { refusal, type Env } from './env.ts';
import type { Inbox } from './inbox.ts';
import type { Source } from './ingest.ts';
import type { Outbox } from './outbox.ts';
import { emptyData } from './record.ts';
import type { CommunityRow } from './repo.ts';

/** Admins wait this long (plus jitter) before admitting, so the owner's commit usually comes first. */
const ADMIN_DELAY_MS = 1500;

/** A fresh messaging key and key package bound to `did`, valid from a minute ago. */
export async function freshKeyPackage(env: Env, did: string): Promise<KeyPackageBundle> {
  const key = await newMessagingKey(env.mls);
  const now = env.now();
  const binding = await signBinding(env.signers.signer(did), {
    key: bytesToHex(key.publicKey),
    notBefore: now - 60_000,
    notAfter: now + DEFAULT_BINDING_MS,
  });
  return createKeyPackage(env.mls, binding, key);
}

export function createAdmission(
  env: Env,
  d: {
    commits: Commits;
    outbox: Outbox;
    inbox: Inbox;
    delivery: Delivery;
    /** After we joined: catch up with the others. */
    joined: (row: CommunityRow) => void;
  },
) {
  let joinRates: RateState = NO_RATES;

  async function invite(row: CommunityRow, expiresInSec?: number) {
    const descriptor = row.data.descriptor?.descriptor;
    if (!descriptor || !mayInvite(descriptor, roleOf(descriptor, row.me)))
      throw refusal('invite-not-allowed', 'This community’s policy does not let you invite.');
    const secret = new Uint8Array(randomBytes(16));
    const keys = inviteKeys(row.id, secret);
    const expiresAt = env.now() + (expiresInSec ? expiresInSec * 1000 : DEFAULT_INVITE_MS);
    await env.groups.run(row.id, () =>
      d.outbox.sendNow(env.repo.get(row.id)!, { kind: 'invite', record: inviteRecord(keys, expiresAt) }),
    );
    return { link: inviteLink(row.id, secret), inviteId: keys.inviteId, expiresAt };
  }

  /** Asks to join with a link; the community shows as requested until someone admits us. */
  async function join(link: string, did: string): Promise<CommunityRow> {
    const { community, secret } = parseInviteLink(link);
    const known = env.repo.get(community);
    if (known?.state === 'joined') throw refusal('already-member', 'This node is already in that community.');
    const keys = inviteKeys(community, secret);
    const bundle = await freshKeyPackage(env, did);
    const request = await makeJoinRequest({
      community,
      invite: keys,
      signer: env.signers.signer(did),
      keyPackage: bundle.bytes,
      at: env.now(),
    });
    const sealed = await sealJoinRequest(request, keys.sealKey);
    const envelope: Envelope = {
      v: 1,
      topic: topicOf(community),
      kind: 'join',
      body: b64.encode(encodeCanonical(sealed)),
    };
    const row: CommunityRow = {
      id: community,
      topic: topicOf(community),
      kind: 'community',
      me: did,
      state: 'requested',
      removedReason: null,
      swapId: null,
      peer: null,
      data: {
        ...emptyData(),
        join: { inviteId: keys.inviteId, kpRef: keyPackageRef(bundle.bytes), at: env.now(), envelope },
      },
      createdAt: known?.createdAt ?? env.now(),
      updatedAt: env.now(),
      lastMessageAt: null,
    };
    env.groups.putKeyPackage(community, exportKeyPackage(bundle));
    env.repo.save(row);
    d.delivery.join(row);
    await d.delivery.ensurePeers(row).catch(() => undefined);
    await announceJoin(row);
    return row;
  }

  /** Gossips a waiting join request again and pushes it to a few peers (they may be admins). */
  async function announceJoin(row: CommunityRow): Promise<void> {
    const envelope = row.data.join?.envelope as Envelope | undefined;
    if (!envelope) return;
    await d.delivery.publish(row.topic, envelope);
    for (const peer of await d.delivery.peersFor(row, 3)) {
      await env.p2p
        .request(peer, SYNC_PROTOCOL, { v: 1, t: 'deliver', envelope }, { timeoutMs: 5000 })
        .catch(() => undefined);
    }
  }

  /** A join envelope reached a member: owner and admins check it and keep it as a request. */
  async function onJoin(row: CommunityRow, envelope: Envelope, source: Source): Promise<'done' | 'refused' | 'later'> {
    const descriptor = row.data.descriptor?.descriptor;
    if (!descriptor || !mayCommit(roleOf(descriptor, row.me))) return 'done';
    // The limit is the community's, shared by every joiner: a request over it is put off, not
    // judged. Nobody is scored (the publisher may be an honest joiner among many; one peer's
    // flood is the p2p host's per-peer limit), and the envelope is forgotten, so the same
    // request asked again (every few seconds while the joiner waits) is taken once the bucket
    // refills. Kept as done, it would be deduplicated by hash and the joiner would wait for ever.
    const rate = rateCheck(joinRates, { kind: 'join', community: row.id }, env.now());
    if (!rate.allowed) return 'later';
    joinRates = rate.state;
    let sealed: SealedJoin;
    try {
      sealed = SealedJoin.parse(JSON.parse(new TextDecoder().decode(b64.decode(envelope.body))));
    } catch {
      return 'refused';
    }
    const stored = sealed.inviteId === null ? undefined : d.inbox.invite(row, sealed.inviteId);
    const sealKey = sealed.inviteId === null ? knockSealKey(row.id) : stored && hexToBytes(stored.record.sealKey);
    if (!sealKey) return 'done'; // an invitation we never saw: another admin may know it
    const request = await openJoinRequest(sealed, row.id, sealKey);
    if (!request) return 'refused';
    const requestId = bytesToHex(sha256(encodeCanonical(request)));
    const verdict = check(row, request);
    const added = env.repo.requests.add(row.id, {
      id: requestId,
      did: request.did,
      inviteId: request.inviteId,
      at: request.at,
      peer: source.peer ?? null,
      status: 'pending',
      request,
    });
    if (!added) return 'done';
    env.emit('communities.request', { id: row.id, request: viewOf(row, requestId, request, verdict) });
    if (verdict.ok && request.inviteId !== null) scheduleAdmit(row, requestId);
    return verdict.ok || verdict.code !== 'invite-proof' ? 'done' : 'refused';
  }

  function check(row: CommunityRow, request: JoinRequest) {
    const stored = request.inviteId === null ? undefined : d.inbox.invite(row, request.inviteId);
    let kpDid: string | undefined;
    try {
      kpDid = keyPackageDid(decodeKeyPackage(b64.decode(request.keyPackage)));
    } catch {
      kpDid = undefined;
    }
    const descriptor = row.data.descriptor!.descriptor;
    return checkJoinRequest({
      request,
      descriptor,
      roster: row.data.roster!,
      record: stored?.record,
      creatorRole: stored ? roleOf(descriptor, stored.creator) : undefined,
      keyPackageDid: kpDid,
      now: env.now(),
    });
  }

  function viewOf(
    row: CommunityRow,
    requestId: string,
    r: JoinRequest,
    verdict: { ok: boolean; code?: string },
  ): JoinRequestView {
    return {
      requestId,
      community: row.id,
      did: r.did,
      at: r.at,
      via: r.inviteId === null ? 'knock' : 'invite',
      inviteId: r.inviteId,
      ...(verdict.ok ? {} : { problem: verdict.code }),
    };
  }

  function scheduleAdmit(row: CommunityRow, requestId: string): void {
    const owner = row.data.descriptor?.descriptor.owner === row.me;
    const delay = owner ? 0 : ADMIN_DELAY_MS + Math.floor(Math.random() * 1000);
    const timer = setTimeout(() => {
      if (!env.unlocked()) return;
      admit(row.id, requestId, { auto: true }).catch((err: unknown) =>
        env.log.info('communities: automatic admission did not happen', { community: row.id, error: errorText(err) }),
      );
    }, delay);
    timer.unref?.();
  }

  /** Admits a request with one commit; `auto` quietly skips one someone else already admitted. */
  async function admit(id: string, requestId: string, o: { auto?: boolean } = {}): Promise<{ epoch: number }> {
    return env.groups.run(id, async () => {
      const row = env.repo.get(id);
      const req = row && env.repo.requests.get(id, requestId);
      if (!row || !req) throw refusal('request-unknown', 'No such join request.', 'NOT_FOUND');
      const request = req.request as JoinRequest;
      const already = row.data.members.some((m) => m.did === request.did);
      if (req.status !== 'pending' || already) {
        if (already) env.repo.requests.setStatus(id, requestId, 'admitted');
        if (o.auto) return { epoch: row.data.epoch };
        throw refusal('request-done', 'That request was already handled.');
      }
      const verdict = check(row, request);
      if (!verdict.ok) throw refusal(verdict.code, verdict.reason);
      const kpBytes = b64.decode(request.keyPackage);
      const stored = request.inviteId === null ? undefined : d.inbox.invite(row, request.inviteId);
      const roster = stored
        ? editRoster(row.data.roster!, {
            useInvite: { id: stored.record.inviteId, exp: stored.record.expiresAt },
            now: env.now(),
          })
        : undefined;
      const out = await d.commits.make(
        row,
        { add: [decodeKeyPackage(kpBytes)], ...(roster ? { roster } : {}) },
        kpBytes,
      );
      env.repo.requests.setStatus(id, requestId, 'admitted');
      if (out.welcome && req.peer)
        void env.p2p
          .request(req.peer, SYNC_PROTOCOL, { v: 1, t: 'deliver', envelope: out.welcome }, { timeoutMs: 8000 })
          .catch(() => undefined);
      env.emit('communities.updated', { id, reason: 'requests' });
      return { epoch: out.epoch };
    });
  }

  /** Joins from our Welcome (inside the community's queue when the row exists). */
  async function onWelcome(row: CommunityRow, envelope: Envelope): Promise<void> {
    const exported = env.groups.keyPackage(row.id);
    if (!exported || row.data.join?.kpRef !== envelope.to) return;
    const bundle = importKeyPackage(exported);
    let group;
    try {
      group = await joinFromWelcome(env.mls, b64.decode(envelope.body), bundle);
    } catch (err) {
      env.log.info('communities: a Welcome could not be joined', { community: row.id, error: errorText(err) });
      return;
    }
    const chain = startChain(epochOf(group.state), tagOf(group.state));
    const { row: joined, notices } = await advance(env, row, group, { at: env.now(), chain, first: 'joined' });
    const next: CommunityRow = {
      ...joined,
      kind: joined.data.descriptor!.descriptor.kind,
      state: 'joined',
      data: { ...joined.data, join: undefined, syncedAt: row.data.join?.at ?? env.now() },
    };
    env.groups.set(row.id, group);
    env.groups.dropKeyPackage(row.id);
    env.repo.save(next);
    tellNotices(env, row.id, notices);
    env.emit('communities.updated', { id: row.id, reason: 'admitted' });
    d.joined(next);
  }

  function reject(id: string, requestId: string): void {
    if (!env.repo.requests.get(id, requestId)) throw refusal('request-unknown', 'No such join request.', 'NOT_FOUND');
    env.repo.requests.setStatus(id, requestId, 'rejected');
    env.emit('communities.updated', { id, reason: 'requests' });
  }

  function requests(row: CommunityRow): JoinRequestView[] {
    return env.repo.requests
      .pending(row.id)
      .map((r) => viewOf(row, r.id, r.request as JoinRequest, check(row, r.request as JoinRequest)));
  }

  /** A member said it leaves: the owner removes it at once, admins after a wait. */
  function onLeave(row: CommunityRow, did: string): void {
    const descriptor = row.data.descriptor?.descriptor;
    if (!descriptor || !mayCommit(roleOf(descriptor, row.me)) || did === descriptor.owner) return;
    const delay = descriptor.owner === row.me ? 0 : ADMIN_DELAY_MS + Math.floor(Math.random() * 1000);
    const timer = setTimeout(() => {
      if (!env.unlocked()) return;
      void env.groups
        .run(row.id, async () => {
          const latest = env.repo.get(row.id);
          if (latest?.state === 'joined' && latest.data.members.some((m) => m.did === did))
            await d.commits.remove(latest, did, false);
        })
        .catch((err: unknown) => env.log.info('communities: removing a leaver failed', { error: errorText(err) }));
    }, delay);
    timer.unref?.();
  }

  return { invite, join, announceJoin, onJoin, admit, reject, requests, onWelcome, onLeave };
}

export type Admission = ReturnType<typeof createAdmission>;
