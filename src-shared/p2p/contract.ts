// Contract slice of the p2p domain. The libp2p overlay: this node and its peers (docs/p2p.md).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty, PeerInfo } from '../api/schemas.ts';
import { Reachability, ReachabilityState } from './reachability.ts';

export const methods = {
  'p2p.info': method(
    Empty,
    z.object({ peerId: z.string(), listenAddrs: z.array(z.string()) }),
    "This node's peer id and addresses.",
  ),
  'p2p.peers': method(Empty, z.array(PeerInfo), 'Connected peers.'),
  'p2p.reachability': method(
    Empty,
    Reachability,
    'Whether other nodes can reach this one and how: directly at verified public addresses, through relays, or not at all (docs/p2p.md).',
  ),
  'p2p.dial': method(
    z.object({ addr: z.string().min(1).max(500) }).strict(),
    z.object({ peerId: z.string() }),
    'Connect to a peer by multiaddr.',
  ),
} as const;

export const events = {
  'p2p.peers': z.object({ count: z.number().int() }),
  /** The reachability state changed (the whole view is refetched). */
  'p2p.reachability': z.object({ state: ReachabilityState }),
} as const;
