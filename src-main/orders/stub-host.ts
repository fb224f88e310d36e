// Tests and benches only: the network book's view of a p2p host with no network, which keeps the
// gossip handler and check the book subscribes with, so a caller can play gossipsub's part.
import type { GossipCheck, GossipMessage, P2pHost } from '../p2p/index.ts';

export type BookHost = Pick<P2pHost, 'peerId' | 'subscribe' | 'handleRequest' | 'request' | 'peers' | 'onPeersChanged'>;

export function stubBookHost(peerId = '12D3KooWStubStubStubStubStubStubStubStubStubStubStubSt') {
  const gossip: { handler?: (m: GossipMessage) => void; check?: GossipCheck } = {};
  const p2p: BookHost = {
    peerId,
    subscribe: (_topic, handler, opts) => {
      gossip.handler = handler;
      if (opts?.check) gossip.check = opts.check;
      return () => undefined;
    },
    handleRequest: async () => undefined,
    request: async () => {
      throw new Error('no network');
    },
    peers: () => [],
    onPeersChanged: () => () => undefined,
  };
  return { p2p, gossip };
}
