// Where this node stands on the network, read off libp2p (docs/p2p.md "Reachability shown to
// users"): its own addresses classified with libp2p's own rule for "private", how it reaches each
// connected peer (direct, through a relay, or direct after a relayed start), and the reachability
// state derived from both. The derivation and its words are pure (src-shared/p2p/reachability.ts).
import { isPrivate } from '@libp2p/utils';
import type { Connection } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import {
  deriveReachability,
  relayOf,
  type OwnAddr,
  type PeerPath,
  type Reachability,
} from '../../src-shared/p2p/reachability.ts';

/** How long after start a node without a public address or a relay says "checking", not "unreachable". */
export const CHECKING_MS = 20_000;
/** Peers remembered as once relayed (for "upgraded"); the oldest are forgotten first. */
const MAX_REMEMBERED = 1024;

const isCircuit = (ma: Multiaddr): boolean => ma.getComponents().some((c) => c.name === 'p2p-circuit');

/** A relayed address (`…/p2p/<relay>/p2p-circuit…`), as a string. */
export const isCircuitAddr = (addr: string): boolean => /\/p2p-circuit(\/|$)/.test(addr);

export function classifyOwnAddr(ma: Multiaddr): OwnAddr['kind'] {
  if (isCircuit(ma)) return 'relayed';
  return isPrivate(ma) ? 'private' : 'public';
}

/** A relayed connection is limited by its relay and its remote address runs through /p2p-circuit. */
export function isRelayed(conn: Pick<Connection, 'limits' | 'remoteAddr'>): boolean {
  return conn.limits !== undefined || isCircuit(conn.remoteAddr);
}

/**
 * The open connections a request may use as they are (in libp2p's order, oldest first), or []
 * when it should dial. libp2p's dial reuses only unlimited connections, so a peer reached through
 * a relay would get a new circuit for every request (after a direct try at its unreachable home
 * address), and under load those extra circuits are cut while they open ("Remote closed
 * connection during opening").
 * A request allowed over a relay uses the relayed connection it has; with an unlimited one open,
 * the dial path takes that one (and may still upgrade a relayed start to direct).
 */
export function reusableConnections<C extends Pick<Connection, 'limits' | 'remoteAddr' | 'status'>>(
  conns: readonly C[],
  overRelay: boolean,
): C[] {
  const open = conns.filter((c) => c.status === 'open');
  if (!overRelay || open.some((c) => !isRelayed(c))) return [];
  return open;
}

export interface PeerPathInfo {
  path: PeerPath;
  /** The relay's peer id when the only path is through one. */
  relay?: string;
}

/**
 * Remembers which peers were reached through a relay, so a direct connection that later replaces
 * it (DCUtR, a port mapping) shows as "upgraded".
 */
export function createPathTracker() {
  const onceRelayed = new Set<string>();

  function pathOf(peerId: string, conns: readonly Pick<Connection, 'limits' | 'remoteAddr'>[]): PeerPathInfo {
    const relayed = conns.filter(isRelayed);
    if (relayed.length > 0 && relayed.length === conns.length) {
      if (!onceRelayed.has(peerId)) {
        if (onceRelayed.size >= MAX_REMEMBERED) onceRelayed.delete(onceRelayed.values().next().value as string);
        onceRelayed.add(peerId);
      }
      const relay = relayOf(relayed[0]!.remoteAddr.toString());
      return relay === undefined ? { path: 'relayed' } : { path: 'relayed', relay };
    }
    return { path: onceRelayed.has(peerId) || relayed.length > 0 ? 'upgraded' : 'direct' };
  }

  return { pathOf };
}
export type PathTracker = ReturnType<typeof createPathTracker>;

export interface ReachabilityReadings {
  ownAddrs: readonly Multiaddr[];
  peerPaths: readonly PeerPath[];
  sinceStartMs: number;
  portMapping: boolean;
  servesRelay: boolean;
}

export function readReachability(r: ReachabilityReadings): Reachability {
  return deriveReachability({
    addrs: r.ownAddrs.map((ma) => ({ addr: ma.toString(), kind: classifyOwnAddr(ma) })),
    peerPaths: r.peerPaths,
    sinceStartMs: r.sinceStartMs,
    checkingMs: CHECKING_MS,
    portMapping: r.portMapping,
    servesRelay: r.servesRelay,
  });
}
