// Every node's list of service nodes: registrations (checked against the collateral on chain
// where this node has that chain, "no-chain" where it has not), heartbeats that keep a service
// node listed, and the list new peers pull. A service node that falls silent, or whose collateral
// is found spent, drops out; orders it signed are then refused (docs/protocol.md §4 sn.*).
import { ApiError } from '../../src-shared/api/errors.ts';
import type { ServiceNodeAnnounce, ServiceNodeRegistration } from '../../src-shared/protocol/orders.ts';
import { ORDER_PROTOCOLS, SERVICE_NODE_TOPIC, decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import { ReplayGuard } from '../../src-shared/orders/replay.ts';
import {
  checkCollateral,
  validateServiceNodeAnnounce,
  validateServiceNodeRegistration,
  type CollateralOutput,
  type CollateralPolicy,
} from '../../src-shared/orders/servicenode.ts';
import type { KnownServiceNode, Refusal, Validation } from '../../src-shared/orders/validate.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { ServiceNodeRepo, CollateralVerification } from './repo.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import { gossipType, type PeerScorer } from '../orders/net.ts';

export interface ServiceNodeEntry {
  readonly registration: ServiceNodeRegistration;
  /** The registration as received: what is relayed to others (signatures cover it). */
  readonly registrationWire: Record<string, unknown>;
  readonly announce: ServiceNodeAnnounce | null;
  readonly announceWire: Record<string, unknown> | null;
  readonly verified: CollateralVerification;
  /** The collateral's value as this node's daemon saw it; null without that chain. */
  readonly collateralAmount: bigint | null;
  /** Last registration or heartbeat, ms. */
  readonly lastSeen: number;
  readonly checkedAt: number;
}

/** The collateral output as this node's daemon sees it; 'no-chain' when this node has no wallet on that chain. */
export type CollateralLookup = (ticker: string, outpoint: string) => Promise<CollateralOutput | null | 'no-chain'>;

export interface ServiceNodeRegistryDeps {
  p2p: Pick<P2pHost, 'peerId' | 'subscribe' | 'handleRequest' | 'request' | 'peers' | 'onPeersChanged'>;
  log: Logger;
  now: () => number;
  policy: CollateralPolicy;
  collateral: CollateralLookup;
  scorer: PeerScorer;
  /** A service node silent this long is dropped. */
  silentAfterMs: number;
  /** How often a listed service node's collateral is looked up again (on its heartbeats). */
  recheckMs?: number;
  repo?: ServiceNodeRepo;
}

export interface ServiceNodeRegistry {
  start(): Promise<void>;
  stop(): void;
  /** Listed service nodes by key, for the order validators. */
  known(): ReadonlyMap<string, KnownServiceNode>;
  /** A listed service node (not silent, collateral not failed). */
  get(pubkey: string): ServiceNodeEntry | undefined;
  /** Every service node heard from lately, whatever its collateral check (the API shows it). */
  all(): ServiceNodeEntry[];
  /** Listed service nodes with a heartbeat that serve both coins, freshest first. */
  serving(base: string, quote: string): ServiceNodeEntry[];
  ingestRegistration(wire: unknown, from: string | null): Promise<Validation<ServiceNodeRegistration>>;
  ingestAnnounce(wire: unknown, from: string | null): Promise<Validation<ServiceNodeAnnounce>>;
  /** Asks a peer for its list. */
  syncFrom(peerId: string): Promise<void>;
  /** Called whenever the set of listed service nodes (or what they serve) changes. */
  onChange(cb: () => void): () => void;
}

const no = (reason: Refusal['reason'], message: string): Refusal => ({ ok: false, reason, message });

export function createServiceNodeRegistry(d: ServiceNodeRegistryDeps): ServiceNodeRegistry {
  const byOutpoint = new Map<string, ServiceNodeEntry>();
  const seen = new ReplayGuard();
  const listeners = new Set<() => void>();
  const queue = createSerialQueue();
  const synced = new Set<string>();
  const recheckMs = d.recheckMs ?? Math.max(1000, Math.floor(d.silentAfterMs / 3));
  let knownKey = '';
  let timer: NodeJS.Timeout | undefined;
  const unsubs: Array<() => void> = [];

  const live = (e: ServiceNodeEntry, now: number): boolean =>
    e.verified !== 'failed' && now - e.lastSeen < d.silentAfterMs;
  const coinsOf = (e: ServiceNodeEntry): readonly string[] => e.announce?.coins ?? e.registration.coins;

  function liveKnown(now: number): Map<string, KnownServiceNode> {
    const out = new Map<string, KnownServiceNode>();
    for (const e of byOutpoint.values()) if (live(e, now)) out.set(e.registration.pubkey, { coins: coinsOf(e) });
    return out;
  }

  /** Tells the listeners when the listed set changed (on ingest, and on a timer for silence). */
  function refresh(): void {
    const next = liveKnown(d.now());
    const key = JSON.stringify([...next].map(([k, v]) => [k, v.coins]).sort());
    if (key === knownKey) return;
    knownKey = key;
    for (const cb of [...listeners]) {
      try {
        cb();
      } catch (err) {
        d.log.warn('service node listener failed', { error: String(err) });
      }
    }
  }

  function put(outpoint: string, e: ServiceNodeEntry): void {
    byOutpoint.set(outpoint, e);
    d.repo?.putNode({
      outpoint,
      pubkey: e.registration.pubkey,
      registration: e.registrationWire,
      announce: e.announceWire,
      verified: e.verified,
      lastSeen: e.lastSeen,
    });
    refresh();
  }

  const entryOfKey = (pubkey: string): [string, ServiceNodeEntry] | undefined => {
    for (const kv of byOutpoint) if (kv[1].registration.pubkey === pubkey) return kv;
    return undefined;
  };

  async function verify(
    reg: ServiceNodeRegistration,
  ): Promise<{ verified: CollateralVerification; problem: Refusal | null; amount: bigint | null }> {
    let output: CollateralOutput | null | 'no-chain';
    try {
      output = await d.collateral(reg.collateral.ticker, reg.collateral.outpoint);
    } catch (err) {
      d.log.warn("could not look up a service node's collateral", {
        outpoint: reg.collateral.outpoint,
        error: (err as Error).message,
      });
      return { verified: 'no-chain', problem: null, amount: null };
    }
    if (output === 'no-chain') return { verified: 'no-chain', problem: null, amount: null };
    const problem = checkCollateral(reg, output, d.policy);
    return { verified: problem ? 'failed' : 'yes', problem, amount: output?.amount ?? null };
  }

  async function onRegistration(wire: unknown, from: string | null): Promise<Validation<ServiceNodeRegistration>> {
    const v = validateServiceNodeRegistration(wire, {
      now: d.now(),
      policy: d.policy,
      registeredSeq: (o) => byOutpoint.get(o)?.registration.seq,
    });
    if (!v.ok) return v;
    const reg = v.value;
    // On gossip the origin is authenticated: a registration is published by the service node itself.
    if (from !== null && from !== reg.peerId && from !== d.p2p.peerId)
      return no('malformed', 'a registration must come from the registered peer');
    const { verified, problem, amount } = await verify(reg);
    const prev = byOutpoint.get(reg.collateral.outpoint);
    const samePeer = prev && prev.registration.pubkey === reg.pubkey;
    put(reg.collateral.outpoint, {
      registration: reg,
      registrationWire: wireForm(reg) as Record<string, unknown>,
      announce: samePeer ? prev.announce : null,
      announceWire: samePeer ? prev.announceWire : null,
      verified,
      collateralAmount: amount,
      lastSeen: d.now(),
      checkedAt: d.now(),
    });
    if (problem) {
      d.log.warn('service node collateral check failed', {
        pubkey: reg.pubkey,
        outpoint: reg.collateral.outpoint,
        reason: problem.message,
      });
      return problem;
    }
    if (!samePeer || prev.verified !== verified)
      d.log.info('service node registered', { pubkey: reg.pubkey, peerId: reg.peerId, coins: reg.coins, verified });
    return v;
  }

  async function onAnnounce(wire: unknown, from: string | null): Promise<Validation<ServiceNodeAnnounce>> {
    const v = validateServiceNodeAnnounce(wire, {
      now: d.now(),
      seen,
      registrationOf: (pubkey) => {
        const e = entryOfKey(pubkey)?.[1];
        return e && e.verified !== 'failed' ? e.registration : undefined;
      },
    });
    if (!v.ok) return v;
    if (from !== null && from !== v.value.peerId && from !== d.p2p.peerId)
      return no('malformed', 'a heartbeat must come from the registered peer');
    seen.commit(v.replay);
    const [outpoint, e] = entryOfKey(v.value.pubkey)!;
    let { verified, checkedAt, collateralAmount } = e;
    if (d.now() - e.checkedAt >= recheckMs) {
      const again = await verify(e.registration);
      ({ verified, amount: collateralAmount } = again);
      checkedAt = d.now();
      if (verified === 'failed')
        d.log.warn("a service node's collateral is gone; dropping it", { pubkey: v.value.pubkey });
    }
    put(outpoint, {
      ...e,
      announce: v.value,
      announceWire: wireForm(v.value) as Record<string, unknown>,
      lastSeen: d.now(),
      verified,
      checkedAt,
      collateralAmount,
    });
    return v;
  }

  function onGossip(from: string, data: Uint8Array): void {
    const t = gossipType(data, ['sn.register', 'sn.announce']);
    if (!t.ok) {
      d.scorer.refused(from, t.reason, 'service-node gossip');
      return;
    }
    void queue
      .run(async () => {
        const v = t.type === 'sn.register' ? await onRegistration(data, from) : await onAnnounce(data, from);
        if (!v.ok) d.scorer.refused(from, v.reason, `${t.type}: ${v.message}`);
      })
      .catch((err: unknown) => d.log.warn('service node gossip failed', { error: String(err) }));
  }

  function serveList(): unknown {
    const now = d.now();
    const nodes = [...byOutpoint.values()]
      .filter((e) => live(e, now))
      .slice(0, 200)
      .map((e) => ({ registration: e.registrationWire, announce: e.announceWire }));
    return { type: 'sn.list', nodes };
  }

  async function syncFrom(peerId: string): Promise<void> {
    let answer: unknown;
    try {
      answer = await d.p2p.request(
        peerId,
        ORDER_PROTOCOLS.serviceNodes,
        { type: 'sn.list.request' },
        { timeoutMs: 5000 },
      );
    } catch (err) {
      d.log.info('could not get the service node list of a peer', { peerId, error: (err as Error).message });
      return;
    }
    const list = decodeOrderMessage(answer, 'sn.list');
    if (!list.ok) {
      d.scorer.refused(peerId, list.reason, `sn.list: ${list.message}`);
      return;
    }
    await queue.run(async () => {
      for (const n of list.msg.nodes) {
        const r = await onRegistration(n.registration, null);
        if (!r.ok && r.reason !== 'duplicate' && r.reason !== 'replayed')
          d.scorer.refused(peerId, r.reason, `sn.list registration: ${r.message}`);
        if (n.announce !== null) {
          const a = await onAnnounce(n.announce, null);
          if (!a.ok) d.scorer.refused(peerId, a.reason, `sn.list heartbeat: ${a.message}`);
        }
      }
    });
  }

  function syncNewPeers(): void {
    for (const p of d.p2p.peers()) {
      if (synced.has(p.peerId)) continue;
      synced.add(p.peerId);
      void syncFrom(p.peerId);
    }
  }

  return {
    async start() {
      for (const row of d.repo?.listNodes<Record<string, unknown>, Record<string, unknown>>() ?? []) {
        const reg = decodeOrderMessage(row.registration, 'sn.register');
        const ann = row.announce === null ? null : decodeOrderMessage(row.announce, 'sn.announce');
        if (!reg.ok) continue;
        byOutpoint.set(row.outpoint, {
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
      refresh();
      unsubs.push(d.p2p.subscribe(SERVICE_NODE_TOPIC, (m) => onGossip(m.from, m.data)));
      await d.p2p.handleRequest(ORDER_PROTOCOLS.serviceNodes, async (req) => {
        const r = decodeOrderMessage(req, 'sn.list.request');
        if (!r.ok) throw new ApiError('INVALID_PARAMS', r.message);
        return serveList();
      });
      unsubs.push(
        d.p2p.onPeersChanged((peers) => {
          const ids = new Set(peers.map((p) => p.peerId));
          for (const id of synced) if (!ids.has(id)) synced.delete(id);
          syncNewPeers();
        }),
      );
      syncNewPeers();
      // Silence is noticed on a timer: a dead service node sends nothing that would tell us.
      timer = setInterval(refresh, Math.max(100, Math.min(5000, Math.floor(d.silentAfterMs / 4))));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      for (const u of unsubs.splice(0)) u();
    },
    // Judged at read time, so it agrees with all() and get() between the timer's ticks (a
    // silent service node's orders were still accepted there). Reading never calls listeners:
    // they hear of changes from ingest and the timer.
    known: () => liveKnown(d.now()),
    get(pubkey) {
      const e = entryOfKey(pubkey)?.[1];
      return e && live(e, d.now()) ? e : undefined;
    },
    all: () => [...byOutpoint.values()].filter((e) => d.now() - e.lastSeen < d.silentAfterMs),
    serving(base, quote) {
      const now = d.now();
      return [...byOutpoint.values()]
        .filter(
          (e) =>
            live(e, now) && e.announce !== null && e.announce.coins.includes(base) && e.announce.coins.includes(quote),
        )
        .sort((a, b) => b.lastSeen - a.lastSeen);
    },
    ingestRegistration: (wire, from) => queue.run(() => onRegistration(wire, from)),
    ingestAnnounce: (wire, from) => queue.run(() => onAnnounce(wire, from)),
    syncFrom,
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
