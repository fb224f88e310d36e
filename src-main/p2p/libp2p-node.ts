// The libp2p node under the p2p host, put together from config: TCP and the circuit relay as
// transports, Noise, Yamux, identify, ping, gossipsub (StrictSign), a `/hashlock` kad-dht, the
// bootstrap list and the NAT services of nat.ts. The host (host.ts) wires its events and limits.
import { createLibp2p, type Libp2p } from 'libp2p';
import { tcp } from '@libp2p/tcp';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify, type Identify } from '@libp2p/identify';
import { ping, type Ping } from '@libp2p/ping';
import { gossipsub, StrictSign, type GossipSub } from '@libp2p/gossipsub';
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht';
import { bootstrap } from '@libp2p/bootstrap';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import type { NatOptions } from './config.ts';
import type { P2pLimits } from './limits.ts';
import { natParts } from './nat.ts';
import { paceRandomWalk } from './random-walk.ts';

export const DHT_PROTOCOL = '/hashlock/kad/1.0.0';
/** Room for gossipsub's own framing and piggybacked control messages around one payload. */
const GOSSIP_FRAME_OVERHEAD = 256 * 1024;

const NO_BYTES = new Uint8Array(0);

/**
 * A gossip message's origin and sequence number, the two fields its id is made of under
 * StrictSign, read before anything is checked. Without it gossipsub checks the signature of every
 * copy a node receives (one per mesh peer that forwards it) before it finds the copy is a
 * duplicate. An id enters the cache only once a copy with it passed the signature check, so a
 * forged copy that arrives first cannot keep the real one out.
 */
export function gossipFastId(m: { from?: Uint8Array; seqno?: Uint8Array }): string {
  return `${Buffer.from(m.from ?? NO_BYTES).toString('base64')}.${Buffer.from(m.seqno ?? NO_BYTES).toString('base64')}`;
}

export type Services = {
  identify: Identify;
  ping: Ping;
  pubsub: GossipSub;
  dht: KadDHT;
};

export interface NodeParts {
  privateKey: PrivateKey;
  listen: string[];
  bootstrap: string[];
  limits: P2pLimits;
  nat: NatOptions;
  dhtMode?: 'server' | 'client';
  allowPrivateAddrs?: boolean;
  /** True for a peer the node refuses (banned). */
  refused: (peerId: PeerId) => boolean;
}

export async function createLibp2pNode(p: NodeParts): Promise<Libp2p<Services>> {
  const nat = natParts(p.nat, p.listen);
  const gater = p.refused;
  const node = await createLibp2p({
    start: false,
    privateKey: p.privateKey,
    addresses: { listen: [...p.listen, ...nat.listen], appendAnnounce: nat.appendAnnounce },
    transports: [tcp(), ...nat.transports],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: p.bootstrap.length > 0 ? [bootstrap({ list: p.bootstrap, timeout: 100 })] : [],
    connectionGater: {
      denyDialPeer: gater,
      denyInboundEncryptedConnection: gater,
      denyOutboundEncryptedConnection: gater,
      // A banned peer gets no reservation and no circuit through this node's relay, either end.
      denyInboundRelayReservation: gater,
      denyOutboundRelayedConnection: (source, destination) => gater(source) || gater(destination),
      denyInboundRelayedConnection: (_relay, remote) => gater(remote),
    },
    connectionManager: {
      maxConnections: p.limits.maxConnections,
      inboundConnectionThreshold: p.limits.inboundConnectionsPerHostPerSec,
    },
    services: {
      identify: identify(),
      // The connection monitor pings every connection while the host pings each new one: with
      // libp2p's one outbound ping stream, the two collided and the monitor aborted the connection.
      ping: ping({ maxOutboundStreams: 2 }),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictSign,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        fallbackToFloodsub: false,
        doPX: false,
        maxInboundDataLength: p.limits.maxGossipBytes + GOSSIP_FRAME_OVERHEAD,
        // Copies of a message already taken are known by origin and sequence number before its
        // signature is checked again (docs/p2p.md "Gossip duplicates").
        fastMsgIdFn: gossipFastId,
        // Gossipsub scores down more than 10 peers on one IP (Sybil defence); on a loopback devnet
        // every peer is 127.0.0.1, and past 10 peers they were graylisted and gossip stopped.
        ...(p.allowPrivateAddrs === false
          ? {}
          : { scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1']) } }),
      }),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        clientMode: p.dhtMode === 'client',
        peerInfoMapper: p.allowPrivateAddrs === false ? removePrivateAddressesMapper : passthroughMapper,
      }),
      ...(nat.services as Record<string, never>),
    },
  });
  // The relay search's random walk, paced (random-walk.ts): unpaced it never rested.
  paceRandomWalk(node);
  return node;
}
