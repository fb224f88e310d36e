// How other nodes can reach this one (docs/p2p.md "Reachability shown to users"): one state
// derived from the node's own addresses and connections, and the plain words the Network page
// shows for it. Pure: the host classifies addresses (public, private, relayed) with libp2p's own
// rules and passes them in, so the words always match what libp2p will actually dial.
import { z } from 'zod';

export const ReachabilityState = z.enum(['offline', 'checking', 'public', 'relayed', 'unreachable']);
export type ReachabilityState = z.infer<typeof ReachabilityState>;

/** How this node reaches one peer. `upgraded`: a direct connection replaced a relayed one. */
export const PeerPath = z.enum(['direct', 'relayed', 'upgraded']);
export type PeerPath = z.infer<typeof PeerPath>;

export const RelayInUse = z.object({
  /** The relay's peer id. */
  peerId: z.string().max(100),
  /** This node's address through that relay (what others dial), ending in /p2p-circuit. */
  addr: z.string().max(500),
});
export type RelayInUse = z.infer<typeof RelayInUse>;

export const Reachability = z.object({
  state: ReachabilityState,
  /** One sentence for people (the Network page's headline). */
  summary: z.string().max(300),
  /** What follows for the user, or empty. */
  detail: z.string().max(500),
  /** Public addresses: a router's port mapping, a bound public address, or one announced (docs/p2p.md "AutoNAT"). */
  publicAddrs: z.array(z.string().max(500)).max(32),
  /** Addresses only reachable on this machine or its local network. */
  localAddrs: z.array(z.string().max(500)).max(32),
  relays: z.array(RelayInUse).max(16),
  /** Whether the node asks its router for a port mapping (UPnP/NAT-PMP). */
  portMapping: z.boolean(),
  /** Whether this node relays for others (service nodes, opt-in public nodes). */
  servesRelay: z.boolean(),
  peers: z.object({
    direct: z.number().int().min(0),
    relayed: z.number().int().min(0),
    upgraded: z.number().int().min(0),
  }),
});
export type Reachability = z.infer<typeof Reachability>;

/** One of the node's own addresses, classified by the host. */
export interface OwnAddr {
  addr: string;
  kind: 'public' | 'private' | 'relayed';
}

export interface ReachabilityInput {
  addrs: readonly OwnAddr[];
  /** Paths of the open connections, one per connected peer. */
  peerPaths: readonly PeerPath[];
  /** Milliseconds since the host started. */
  sinceStartMs: number;
  /** How long the node may say "checking" before it concludes it is unreachable. */
  checkingMs: number;
  portMapping: boolean;
  servesRelay: boolean;
}

/** The relay's peer id in `/…/p2p/<relay>/p2p-circuit`, or undefined when the address is not a circuit address. */
export function relayOf(addr: string): string | undefined {
  const m = /\/p2p\/([^/]+)\/p2p-circuit(?:\/|$)/.exec(addr);
  return m?.[1];
}

const WORDS: Record<ReachabilityState, { summary: string; detail: string }> = {
  offline: {
    summary: 'Offline: this node is not connected to any other node.',
    detail: 'It keeps trying its bootstrap peers. Orders and swaps wait until it is connected.',
  },
  checking: {
    summary: 'Finding out whether other nodes can reach this one…',
    detail: 'It looks for relays, and asks the router for a port, in case nobody can connect to it directly.',
  },
  public: {
    summary: 'Reachable: other nodes can connect to this node directly.',
    detail: 'They dial it at the addresses below: a port your router opened for it, or an address of its own.',
  },
  relayed: {
    summary: 'Behind a router (NAT): other nodes reach this node through a relay.',
    detail:
      'Everything stays end-to-end encrypted; the relay only sees who talks to whom and how much. ' +
      'Direct connections are tried where the routers allow it.',
  },
  unreachable: {
    summary: 'Behind a router (NAT) and no relay: this node can connect out, but nobody can connect to it.',
    detail: 'Your orders cannot be taken until a relay is found. The node keeps looking for one.',
  },
};

export function deriveReachability(input: ReachabilityInput): Reachability {
  const publicAddrs = input.addrs.filter((a) => a.kind === 'public').map((a) => a.addr);
  const localAddrs = input.addrs.filter((a) => a.kind === 'private').map((a) => a.addr);
  const relays: RelayInUse[] = [];
  for (const a of input.addrs) {
    if (a.kind !== 'relayed') continue;
    const peerId = relayOf(a.addr);
    if (peerId !== undefined && !relays.some((r) => r.peerId === peerId)) relays.push({ peerId, addr: a.addr });
  }
  const count = (p: PeerPath) => input.peerPaths.filter((x) => x === p).length;
  const peers = { direct: count('direct'), relayed: count('relayed'), upgraded: count('upgraded') };
  const state = stateOf(input.peerPaths.length, publicAddrs.length, relays.length, input);
  return {
    state,
    ...WORDS[state],
    publicAddrs: publicAddrs.slice(0, 32),
    localAddrs: localAddrs.slice(0, 32),
    relays: relays.slice(0, 16),
    portMapping: input.portMapping,
    servesRelay: input.servesRelay,
    peers,
  };
}

function stateOf(
  peerCount: number,
  publicCount: number,
  relayCount: number,
  input: ReachabilityInput,
): ReachabilityState {
  if (peerCount === 0) return 'offline';
  // A public address wins over reservations: traders keep those regardless (docs/p2p.md).
  if (publicCount > 0) return 'public';
  if (relayCount > 0) return 'relayed';
  return input.sinceStartMs < input.checkingMs ? 'checking' : 'unreachable';
}
