// Gossip streams kept open while a peer stays connected. Gossipsub (@libp2p/gossipsub 17) keeps one
// outbound stream per peer, made when a connection to it opens; it makes no other. When the
// connection that carries that stream closes while another connection to the same peer stays open
// (two nodes that dialled each other at once, a relayed connection replaced by a direct one, a
// restarted node reconnecting), or the stream alone fails, the peer stays connected and stays in
// gossipsub's peers, but nothing of ours reaches it: no messages, no subscriptions, no grafts. It
// heals only when the peer disconnects entirely. Measured with two real nodes (gossip-streams.test):
// both ends lost their outbound stream and no message crossed in either direction.
//
// This keeper opens the stream again on a remaining connection: shortly after any connection
// closes, and in a sweep every few seconds (a stream that failed on its own). Opening one from our
// side also heals the peer's: its gossipsub answers our new inbound stream with an outbound one.
import type { Connection, PeerId } from '@libp2p/interface';

/** What the keeper uses of gossipsub's implementation (none of it is in its public interface). */
interface GossipInternals {
  readonly peers: ReadonlyMap<string, PeerId>;
  readonly streamsOutbound: ReadonlyMap<string, unknown>;
  /** Does nothing when the stream exists already or the peer is not one of its peers. */
  createOutboundStream(peerId: PeerId, connection: Connection): Promise<void>;
}

function internalsOf(pubsub: object): GossipInternals | undefined {
  const g = pubsub as Partial<GossipInternals>;
  const known =
    g.peers instanceof Map && g.streamsOutbound instanceof Map && typeof g.createOutboundStream === 'function';
  return known ? (g as GossipInternals) : undefined;
}

/** What the keeper needs of the libp2p node. */
export interface GossipStreamsNode {
  getConnections(peerId?: PeerId): Connection[];
  addEventListener(type: 'connection:close', listener: (evt: CustomEvent<Connection>) => void): void;
  removeEventListener(type: 'connection:close', listener: (evt: CustomEvent<Connection>) => void): void;
}

export interface GossipStreamsOptions {
  /** After a connection closes, its peer is checked this much later (the closed stream is gone by then). */
  readonly afterCloseMs?: number;
  /** Every peer is checked this often. */
  readonly sweepMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * Starts keeping `pubsub`'s outbound streams; returns the stop. Undefined when this gossipsub is not
 * built as the keeper knows (a later version): nothing is installed and the caller is told so.
 */
export function keepGossipStreams(
  node: GossipStreamsNode,
  pubsub: object,
  o: GossipStreamsOptions = {},
): (() => void) | undefined {
  const router = internalsOf(pubsub);
  if (!router) return undefined;

  const check = (peerId: PeerId) => {
    const id = peerId.toString();
    if (!router.peers.has(id) || router.streamsOutbound.has(id)) return;
    const open = node.getConnections(peerId).filter((c) => c.status === 'open');
    if (open.length === 0) return;
    o.log?.(`gossip: no stream to ${id} on ${open.length} open connection(s); opening one`);
    router.createOutboundStream(peerId, open[0]!).catch(() => undefined);
  };

  const timers = new Set<NodeJS.Timeout>();
  const onClose = (evt: CustomEvent<Connection>) => {
    const peerId = evt.detail.remotePeer;
    const t = setTimeout(() => {
      timers.delete(t);
      check(peerId);
    }, o.afterCloseMs ?? 200);
    t.unref();
    timers.add(t);
  };
  node.addEventListener('connection:close', onClose);
  const sweep = setInterval(() => {
    for (const peerId of router.peers.values()) check(peerId);
  }, o.sweepMs ?? 5_000);
  sweep.unref();

  return () => {
    node.removeEventListener('connection:close', onClose);
    clearInterval(sweep);
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}
