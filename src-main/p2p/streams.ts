// Opening a request's stream to a peer: on the relayed connection it has when the protocol may run
// over a relay, else by dialling; and for a home behind NAT whose circuits we have not learnt yet,
// after asking the DHT where it is (docs/p2p.md "A request rides the relayed connection it has").
import type { Libp2p } from 'libp2p';
import type { PeerId, Stream } from '@libp2p/interface';
import type { P2pLog } from './host-types.ts';
import { isCircuitAddr, reusableConnections } from './paths.ts';

/** How long a request may spend asking the DHT for a peer's current addresses. */
const LOOKUP_MS = 5_000;

async function circuitsKnown(n: Libp2p, target: PeerId): Promise<boolean> {
  const peer = await n.peerStore.get(target).catch(() => undefined);
  return (peer?.addresses ?? []).some((a) => isCircuitAddr(a.multiaddr.toString()));
}

/**
 * Asks the DHT for the peer's addresses now (not the cached ones: those are what failed); libp2p
 * stores what it learns in the peer store. The addresses found, or undefined when the DHT did not
 * find the peer within LOOKUP_MS.
 */
export async function findPeerAddrs(
  n: Libp2p,
  target: PeerId,
  signal: AbortSignal,
  log: P2pLog,
): Promise<string[] | undefined> {
  try {
    const found = await n.peerRouting.findPeer(target, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(LOOKUP_MS)]),
      useCache: false,
    });
    return found.multiaddrs.map((a) => a.toString());
  } catch (err) {
    log.info('the DHT did not know where the peer is', { peerId: target.toString(), error: (err as Error).message });
    return undefined;
  }
}

/** The DHT asked for the peer now; true when that taught us a circuit to dial. */
async function learnCircuits(n: Libp2p, target: PeerId, signal: AbortSignal, log: P2pLog): Promise<boolean> {
  return (await findPeerAddrs(n, target, signal, log)) !== undefined && circuitsKnown(n, target);
}

export async function openRequestStream(
  n: Libp2p,
  target: PeerId,
  protocol: string,
  signal: AbortSignal,
  overRelay: boolean,
  log: P2pLog,
): Promise<Stream> {
  // Newest relayed connection first: an older circuit is the likelier to be near its limits.
  for (const conn of reusableConnections(n.getConnections(target), overRelay).reverse()) {
    try {
      return await conn.newStream(protocol, { signal, runOnLimitedConnection: true });
    } catch (err) {
      if (signal.aborted || (err as Error).name === 'UnsupportedProtocolError') throw err;
      log.info('a relayed connection did not take a stream: dialling', {
        peerId: target.toString(),
        error: (err as Error).message,
      });
    }
  }
  try {
    return await n.dialProtocol(target, protocol, { signal, runOnLimitedConnection: overRelay });
  } catch (err) {
    // A home behind NAT: we may know only its own (unreachable) address, learnt before it held a
    // relay reservation. Its circuits are on the DHT (its relays' peer stores); dial them once.
    if (
      !overRelay ||
      signal.aborted ||
      (err as Error).name === 'UnsupportedProtocolError' ||
      n.getConnections(target).length > 0 ||
      (await circuitsKnown(n, target)) ||
      !(await learnCircuits(n, target, signal, log))
    )
      throw err;
    log.info('dialling a peer at the relay circuits the DHT gave', { peerId: target.toString() });
    return n.dialProtocol(target, protocol, { signal, runOnLimitedConnection: true });
  }
}
