// The service-node list between peers: registrations and heartbeats from the topic, the list a
// peer serves (sn.list) and pulls from each newly connected peer, and the stored list a node
// starts from. Whatever arrives is taken in one at a time, like gossip.
import { ApiError } from '../../src-shared/api/errors.ts';
import { ORDER_PROTOCOLS, decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import { errorText } from '../kernel/log.ts';
import { gossipType } from '../orders/index.ts';
import { isLive, onAnnounce, onRegistration, refresh, type RegistryCtx } from './registry-ingest.ts';

/** Most service nodes in one sn.list answer. */
const MAX_LISTED = 200;

export function onGossip(c: RegistryCtx, from: string, data: Uint8Array): void {
  const t = gossipType(data, ['sn.register', 'sn.announce']);
  if (!t.ok) {
    c.d.scorer.refused(from, t.reason, 'service-node gossip');
    return;
  }
  void c.st.queue
    .run(async () => {
      const v = t.type === 'sn.register' ? await onRegistration(c, data, from) : await onAnnounce(c, data, from);
      if (!v.ok) c.d.scorer.refused(from, v.reason, `${t.type}: ${v.message}`);
    })
    .catch((err: unknown) => c.d.log.warn('service node gossip failed', { error: String(err) }));
}

/** The answer to sn.list.request: the listed service nodes as received. */
export function serveList(c: RegistryCtx, req: unknown): unknown {
  const r = decodeOrderMessage(req, 'sn.list.request');
  if (!r.ok) throw new ApiError('INVALID_PARAMS', r.message);
  const now = c.d.now();
  const nodes = [...c.st.byOutpoint.values()]
    .filter((e) => isLive(c, e, now))
    .slice(0, MAX_LISTED)
    .map((e) => ({ registration: e.registrationWire, announce: e.announceWire }));
  return { type: 'sn.list', nodes };
}

/** Asks a peer for its list and takes in each registration and heartbeat on it. */
export async function syncFrom(c: RegistryCtx, peerId: string): Promise<void> {
  const { d } = c;
  let answer: unknown;
  try {
    answer = await d.p2p.request(
      peerId,
      ORDER_PROTOCOLS.serviceNodes,
      { type: 'sn.list.request' },
      { timeoutMs: 5000 },
    );
  } catch (err) {
    d.log.info('could not get the service node list of a peer', { peerId, error: errorText(err) });
    return;
  }
  const list = decodeOrderMessage(answer, 'sn.list');
  if (!list.ok) {
    d.scorer.refused(peerId, list.reason, `sn.list: ${list.message}`);
    return;
  }
  await c.st.queue.run(async () => {
    for (const n of list.msg.nodes) {
      const r = await onRegistration(c, n.registration, null);
      if (!r.ok && r.reason !== 'duplicate' && r.reason !== 'replayed')
        d.scorer.refused(peerId, r.reason, `sn.list registration: ${r.message}`);
      if (n.announce !== null) {
        const a = await onAnnounce(c, n.announce, null);
        if (!a.ok) d.scorer.refused(peerId, a.reason, `sn.list heartbeat: ${a.message}`);
      }
    }
  });
}

/** The stored list, as this node last knew it (collateral looked up again on the next heartbeat). */
export function loadStored(c: RegistryCtx): void {
  for (const row of c.d.repo?.listNodes<Record<string, unknown>, Record<string, unknown>>() ?? []) {
    const reg = decodeOrderMessage(row.registration, 'sn.register');
    const ann = row.announce === null ? null : decodeOrderMessage(row.announce, 'sn.announce');
    if (!reg.ok) continue;
    c.st.byOutpoint.set(row.outpoint, {
      registration: reg.msg,
      registrationWire: row.registration,
      announce: ann?.ok ? ann.msg : null,
      announceWire: ann?.ok ? row.announce : null,
      verified: row.verified,
      collateralAmount: null,
      lastSeen: row.lastSeen,
      checkedAt: 0,
    });
  }
  refresh(c);
}

/** Pulls the list from every peer once per connection; returns what stops it. */
export function followPeers(c: RegistryCtx): () => void {
  const synced = new Set<string>();
  const syncNewPeers = () => {
    for (const p of c.d.p2p.peers()) {
      if (synced.has(p.peerId)) continue;
      synced.add(p.peerId);
      void syncFrom(c, p.peerId);
    }
  };
  const unsub = c.d.p2p.onPeersChanged((peers) => {
    const ids = new Set(peers.map((p) => p.peerId));
    for (const id of synced) if (!ids.has(id)) synced.delete(id);
    syncNewPeers();
  });
  syncNewPeers();
  return unsub;
}
