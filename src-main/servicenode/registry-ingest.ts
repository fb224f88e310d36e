// Service-node registrations and heartbeats taken into the list: each validated, a gossiped one
// only from the registered peer, the collateral looked up on chain where this node has that chain
// (again on a heartbeat at most every recheckMs), stored, and the listeners told when the set of
// listed service nodes or what they serve changed.
import type { ServiceNodeAnnounce, ServiceNodeRegistration } from '../../src-shared/protocol/orders.ts';
import { wireForm } from '../../src-shared/protocol/canonical.ts';
import type { ReplayGuard } from '../../src-shared/orders/replay.ts';
import {
  checkCollateral,
  validateServiceNodeAnnounce,
  validateServiceNodeRegistration,
  type CollateralOutput,
} from '../../src-shared/orders/servicenode.ts';
import type { KnownServiceNode, Refusal, Validation } from '../../src-shared/orders/validate.ts';
import { errorText } from '../kernel/log.ts';
import type { SerialQueue } from '../kernel/serial.ts';
import type { ServiceNodeEntry, ServiceNodeRegistryDeps } from './registry.ts';
import type { CollateralVerification } from './repo.ts';

export interface RegistryState {
  readonly byOutpoint: Map<string, ServiceNodeEntry>;
  readonly seen: ReplayGuard;
  readonly listeners: Set<() => void>;
  /** Registrations and heartbeats are taken one at a time (collateral lookups wait in between). */
  readonly queue: SerialQueue;
  readonly recheckMs: number;
  /** The listed set as last told to the listeners. */
  knownKey: string;
}

export interface RegistryCtx {
  st: RegistryState;
  d: ServiceNodeRegistryDeps;
}

const no = (reason: Refusal['reason'], message: string): Refusal => ({ ok: false, reason, message });

/** Listed: its collateral did not fail and it was heard from lately. */
export const isLive = (c: RegistryCtx, e: ServiceNodeEntry, now: number): boolean =>
  e.verified !== 'failed' && now - e.lastSeen < c.d.silentAfterMs;
const coinsOf = (e: ServiceNodeEntry): readonly string[] => e.announce?.coins ?? e.registration.coins;

export function liveKnown(c: RegistryCtx, now: number): Map<string, KnownServiceNode> {
  const out = new Map<string, KnownServiceNode>();
  for (const e of c.st.byOutpoint.values())
    if (isLive(c, e, now)) out.set(e.registration.pubkey, { coins: coinsOf(e) });
  return out;
}

/** Tells the listeners when the listed set changed (on ingest, and on a timer for silence). */
export function refresh(c: RegistryCtx): void {
  const next = liveKnown(c, c.d.now());
  const key = JSON.stringify([...next].map(([k, v]) => [k, v.coins]).sort());
  if (key === c.st.knownKey) return;
  c.st.knownKey = key;
  for (const cb of [...c.st.listeners]) {
    try {
      cb();
    } catch (err) {
      c.d.log.warn('service node listener failed', { error: String(err) });
    }
  }
}

function put(c: RegistryCtx, outpoint: string, e: ServiceNodeEntry): void {
  c.st.byOutpoint.set(outpoint, e);
  c.d.repo?.putNode({
    outpoint,
    pubkey: e.registration.pubkey,
    registration: e.registrationWire,
    announce: e.announceWire,
    verified: e.verified,
    lastSeen: e.lastSeen,
  });
  refresh(c);
}

export const entryOfKey = (c: RegistryCtx, pubkey: string): [string, ServiceNodeEntry] | undefined => {
  for (const kv of c.st.byOutpoint) if (kv[1].registration.pubkey === pubkey) return kv;
  return undefined;
};

async function verify(
  c: RegistryCtx,
  reg: ServiceNodeRegistration,
): Promise<{ verified: CollateralVerification; problem: Refusal | null; amount: bigint | null }> {
  let output: CollateralOutput | null | 'no-chain';
  try {
    output = await c.d.collateral(reg.collateral.ticker, reg.collateral.outpoint);
  } catch (err) {
    c.d.log.warn("could not look up a service node's collateral", {
      outpoint: reg.collateral.outpoint,
      error: errorText(err),
    });
    return { verified: 'no-chain', problem: null, amount: null };
  }
  if (output === 'no-chain') return { verified: 'no-chain', problem: null, amount: null };
  const problem = checkCollateral(reg, output, c.d.policy);
  return { verified: problem ? 'failed' : 'yes', problem, amount: output?.amount ?? null };
}

export async function onRegistration(
  c: RegistryCtx,
  wire: unknown,
  from: string | null,
): Promise<Validation<ServiceNodeRegistration>> {
  const { d, st } = c;
  const v = validateServiceNodeRegistration(wire, {
    now: d.now(),
    policy: d.policy,
    registeredSeq: (o) => st.byOutpoint.get(o)?.registration.seq,
  });
  if (!v.ok) return v;
  const reg = v.value;
  // On gossip the origin is authenticated: a registration is published by the service node itself.
  if (from !== null && from !== reg.peerId && from !== d.p2p.peerId)
    return no('malformed', 'a registration must come from the registered peer');
  const { verified, problem, amount } = await verify(c, reg);
  const prev = st.byOutpoint.get(reg.collateral.outpoint);
  const samePeer = prev && prev.registration.pubkey === reg.pubkey;
  put(c, reg.collateral.outpoint, {
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

export async function onAnnounce(
  c: RegistryCtx,
  wire: unknown,
  from: string | null,
): Promise<Validation<ServiceNodeAnnounce>> {
  const { d, st } = c;
  const v = validateServiceNodeAnnounce(wire, {
    now: d.now(),
    seen: st.seen,
    registrationOf: (pubkey) => {
      const e = entryOfKey(c, pubkey)?.[1];
      return e && e.verified !== 'failed' ? e.registration : undefined;
    },
  });
  if (!v.ok) return v;
  if (from !== null && from !== v.value.peerId && from !== d.p2p.peerId)
    return no('malformed', 'a heartbeat must come from the registered peer');
  st.seen.commit(v.replay);
  const [outpoint, e] = entryOfKey(c, v.value.pubkey)!;
  let { verified, checkedAt, collateralAmount } = e;
  if (d.now() - e.checkedAt >= st.recheckMs) {
    const again = await verify(c, e.registration);
    ({ verified, amount: collateralAmount } = again);
    checkedAt = d.now();
    if (verified === 'failed')
      d.log.warn("a service node's collateral is gone; dropping it", { pubkey: v.value.pubkey });
  }
  put(c, outpoint, {
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
