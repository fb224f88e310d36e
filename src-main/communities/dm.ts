// Direct messages: communities of two (docs §9, DM). The one who starts asks the other's node for
// a key package over /hashlock/communities/dm/1, creates the dm group and pushes the Welcome to
// it. A chat about a swap (trading chat) is asked of the swap's counterparty peer only, and both
// sides use a one-time identity made for that swap, so the chat links to none of their others.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import { draftDescriptor, signDescriptor } from '../../src-shared/communities/descriptor.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { b64, bytesToHex, topicOf } from '../../src-shared/communities/ids.ts';
import {
  createGroup,
  decodeKeyPackage,
  descriptorOf,
  epochOf,
  exportKeyPackage,
  importKeyPackage,
  joinFromWelcome,
  keyPackageDid,
  keyPackageRef,
  tagOf,
} from '../../src-shared/communities/mls.ts';
import { NO_RATES, rateCheck } from '../../src-shared/communities/rate.ts';
import type { RateState } from '../../src-shared/communities/rate.ts';
import { startChain } from '../../src-shared/communities/sequencing.ts';
import { DM_PROTOCOL, DmReply, DmRequest, SYNC_PROTOCOL } from '../../src-shared/communities/sync.ts';
import { errorText } from '../kernel/log.ts';
import { freshKeyPackage } from './admission.ts';
import { advance, tellNotices } from './advance.ts';
import type { Commits } from './commits.ts';
import type { Delivery } from './delivery.ts';
import { refusal, type Env } from './env.ts';
import { emptyData } from './record.ts';
import type { CommunityRow } from './repo.ts';
import { pendingDms } from './secrets.ts';

/** The swaps component, as far as a trading chat needs it. */
export interface SwapsPart {
  get(swapId: string): { counterparty: string };
}

const ONE_TIME_PURPOSE = (swapId: string) => `swap:${swapId}`;

export function createDms(
  env: Env,
  d: { commits: Commits; delivery: Delivery; swaps?: SwapsPart; joined: (row: CommunityRow) => void },
) {
  const pending = pendingDms(env.repo, env.sealer);
  let rates: RateState = NO_RATES;

  /** Answers a peer that wants to start a dm with us: a key package, kept until its Welcome. */
  async function serve(raw: unknown, ctx: { peerId: string }): Promise<DmReply> {
    const parsed = DmRequest.safeParse(raw);
    if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Not a direct-message request.');
    if (!env.unlocked()) throw new ApiError('PEER_REFUSED', 'locked: the node cannot answer now');
    const r = parsed.data;
    const rate = rateCheck(rates, { kind: 'join', community: `dm:${ctx.peerId}` }, env.now());
    if (!rate.allowed) throw new ApiError('PEER_REFUSED', 'rate: too many requests');
    rates = rate.state;
    let did: string;
    let swapId: string | undefined;
    if (r.t === 'swapChat') {
      let counterparty: string | undefined;
      try {
        counterparty = d.swaps?.get(r.swapId).counterparty;
      } catch {
        counterparty = undefined;
      }
      // Only the swap's own counterparty may open its chat: nobody else knows we trade.
      if (counterparty !== ctx.peerId) throw new ApiError('PEER_REFUSED', 'not-your-swap: no such swap with you');
      if (env.repo.bySwap(r.swapId)?.state === 'joined') throw new ApiError('PEER_REFUSED', 'exists: the chat exists');
      did = env.signers.oneTime(ONE_TIME_PURPOSE(r.swapId));
      swapId = r.swapId;
    } else {
      if (!env.signers.mine().some((m) => m.did === r.did))
        throw new ApiError('PEER_REFUSED', 'not-found: no such identity here');
      did = r.did;
    }
    const bundle = await freshKeyPackage(env, did);
    pending.put({
      kpRef: keyPackageRef(bundle.bytes),
      did,
      expect: r.t === 'swapChat' ? r.did : r.from,
      ...(swapId ? { swapId } : {}),
      peerId: ctx.peerId,
      at: env.now(),
      keyPackage: b64.encode(exportKeyPackage(bundle)),
    });
    return { keyPackage: b64.encode(bundle.bytes) };
  }

  /** A Welcome for a topic we are not in: a dm someone started with one of our pending key packages. */
  async function onWelcome(envelope: Envelope): Promise<void> {
    const p = envelope.to ? pending.get(envelope.to) : undefined;
    if (!p) return;
    let group;
    try {
      group = await joinFromWelcome(env.mls, b64.decode(envelope.body), importKeyPackage(b64.decode(p.keyPackage)));
    } catch (err) {
      env.log.info('communities: a dm Welcome could not be joined', { error: errorText(err) });
      return;
    }
    const descriptor = descriptorOf(group).descriptor;
    const expected =
      descriptor.kind === 'dm' && descriptor.peer === p.did && (!p.expect || descriptor.owner === p.expect);
    if (!expected || topicOf(descriptor.id) !== envelope.topic || env.repo.get(descriptor.id)) return;
    const base = newRow(descriptor.id, p.did, descriptor.owner, p.swapId);
    await env.groups.run(descriptor.id, async () => {
      const chain = startChain(epochOf(group.state), tagOf(group.state));
      const { row, notices } = await advance(env, base, group, { at: env.now(), chain, first: 'joined' });
      env.groups.set(row.id, group);
      env.repo.save(row);
      pending.delete(p.kpRef);
      tellNotices(env, row.id, notices);
      d.delivery.join(row);
    });
    env.emit('communities.updated', { id: descriptor.id, reason: 'admitted' });
    d.joined(env.repo.get(descriptor.id)!);
  }

  function newRow(id: string, me: string, peer: string, swapId?: string): CommunityRow {
    return {
      id,
      topic: topicOf(id),
      kind: 'dm',
      me,
      state: 'joined',
      removedReason: null,
      swapId: swapId ?? null,
      peer,
      data: emptyData(),
      createdAt: env.now(),
      updatedAt: env.now(),
      lastMessageAt: null,
    };
  }

  /** Starts a dm with the node `peerId`: asks it for a key package, creates the group, welcomes it. */
  async function start(o: { me: string; peerId: string; request: DmRequest; expectDid?: string; swapId?: string }) {
    let reply: DmReply;
    try {
      reply = DmReply.parse(await env.p2p.request(o.peerId, DM_PROTOCOL, o.request, { timeoutMs: 10_000 }));
    } catch (err) {
      throw refusal('dm-refused', `The other node did not start the conversation: ${errorText(err)}`, 'PEER_REFUSED');
    }
    const kpBytes = b64.decode(reply.keyPackage);
    const kp = decodeKeyPackage(kpBytes);
    const peerDid = keyPackageDid(kp);
    if (!peerDid || (o.expectDid && peerDid !== o.expectDid))
      throw refusal('dm-identity', 'The other node answered for another identity.', 'PEER_REFUSED');
    const own = await freshKeyPackage(env, o.me);
    const nonce = bytesToHex(randomBytes(16));
    const descriptor = await signDescriptor(
      env.signers.signer(o.me),
      draftDescriptor({ owner: o.me, nonce, issuedAt: env.now(), name: '', kind: 'dm', peer: peerDid }),
    );
    const group = await createGroup(env.mls, { descriptor, own });
    const id = descriptor.descriptor.id;
    return env.groups.run(id, async () => {
      const chain = startChain(epochOf(group.state), tagOf(group.state));
      const created = await advance(env, newRow(id, o.me, peerDid, o.swapId), group, {
        at: env.now(),
        chain,
        first: 'created',
      });
      env.groups.set(id, group);
      env.repo.save(created.row);
      tellNotices(env, id, created.notices);
      d.delivery.join(created.row);
      const out = await d.commits.make(created.row, { add: [kp] }, kpBytes);
      if (out.welcome)
        await env.p2p
          .request(o.peerId, SYNC_PROTOCOL, { v: 1, t: 'deliver', envelope: out.welcome }, { timeoutMs: 10_000 })
          .catch((err: unknown) =>
            env.log.info('communities: the Welcome did not reach the peer', { error: errorText(err) }),
          );
      return env.repo.get(id)!;
    });
  }

  /** The chat about a swap, started with its counterparty if there is none yet. */
  async function swapChat(swapId: string): Promise<CommunityRow> {
    const known = env.repo.bySwap(swapId);
    if (known) return known;
    if (!d.swaps) throw refusal('no-swaps', 'This node runs no swaps.', 'NOT_FOUND');
    let counterparty: string;
    try {
      counterparty = d.swaps.get(swapId).counterparty;
    } catch {
      throw refusal('swap-unknown', `No swap ${swapId.slice(0, 16)} on this node.`, 'NOT_FOUND');
    }
    const me = env.signers.oneTime(ONE_TIME_PURPOSE(swapId));
    return start({ me, peerId: counterparty, request: { v: 1, t: 'swapChat', swapId, did: me }, swapId });
  }

  /** A dm with an identity, on the node that hosts it (named, or found on the DHT). */
  async function dmStart(o: { me: string; peer: string; peerId?: string }): Promise<CommunityRow> {
    const known = env.repo
      .all()
      .find((r) => r.kind === 'dm' && r.me === o.me && r.peer === o.peer && r.state === 'joined');
    if (known) return known;
    const candidates = o.peerId
      ? [o.peerId]
      : env.p2p.findProviders
        ? (await env.p2p.findProviders(didKey(o.peer), { limit: 3, timeoutMs: 5000 })).map((p) => p.peerId)
        : [];
    if (candidates.length === 0)
      throw refusal('dm-unreachable', 'No node hosting that identity was found.', 'PEER_UNREACHABLE');
    let last: unknown;
    for (const peerId of candidates) {
      try {
        return await start({
          me: o.me,
          peerId,
          request: { v: 1, t: 'keyPackage', did: o.peer, from: o.me },
          expectDid: o.peer,
        });
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  return { serve, onWelcome, swapChat, dmStart };
}

/** The DHT key under which a node announces that it hosts an identity (for direct messages). */
export function didKey(did: string): Uint8Array {
  return new TextEncoder().encode(`hashlock:communities.did:v1\n${did}`);
}

export type Dms = ReturnType<typeof createDms>;
