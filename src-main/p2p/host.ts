// The libp2p host of a Hashlock node: TCP + Noise + Yamux, identify, ping, gossipsub (StrictSign)
// and a `/hashlock` kad-dht, with bootstrap peers from config. Everything a peer sends is
// size-capped, rate-limited per peer and scored; peers that add up enough penalties are banned,
// disconnected and refused by the connection gater. Other services use only the P2pHost interface.
import { createLibp2p, type Libp2p } from 'libp2p';
import { tcp } from '@libp2p/tcp';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify, type Identify } from '@libp2p/identify';
import { ping, type Ping } from '@libp2p/ping';
import {
  gossipsub,
  StrictSign,
  TopicValidatorResult,
  type GossipSub,
  type Message,
  type TopicValidatorFn,
} from '@libp2p/gossipsub';
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht';
import { bootstrap } from '@libp2p/bootstrap';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import { create as createDigest } from 'multiformats/hashes/digest';
import type { Connection, PeerId } from '@libp2p/interface';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import { encodeJson } from '../../src-shared/protocol/reqres.ts';
import { isCoded } from '../../src-shared/errors.ts';
import { loadOrCreatePeerKey } from './identity-key.ts';
import {
  PeerPenalties,
  memoryBanStore,
  resolveLimits,
  type BanStore,
  type Offence,
  type P2pLimits,
  type P2pLimitsInput,
} from './limits.ts';
import { askPeer, peerRequestError, serveRequest, type RequestHandler } from './reqres.ts';
import { createTrafficCounts, type TrafficCounts } from './traffic.ts';

export type { RequestHandler, RequestContext } from './reqres.ts';
export { peerFailure, peerRequestError, type PeerFailure } from './reqres.ts';

export const DHT_PROTOCOL = '/hashlock/kad/1.0.0';
/** Room for gossipsub's own framing and piggybacked control messages around one payload. */
const GOSSIP_FRAME_OVERHEAD = 256 * 1024;
const PING_TIMEOUT_MS = 5_000;

/** Structural, so the core's logger fits without an adapter. */
export interface P2pLog {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
}

export interface P2pHostOptions {
  dataDir: string;
  /** Multiaddrs to listen on; default one loopback TCP port chosen by the OS. */
  listen?: string[];
  /** Multiaddrs with a /p2p/<peerId> part. */
  bootstrap?: string[];
  limits?: P2pLimitsInput;
  now?: () => number;
  bans?: BanStore;
  /** Server answers DHT queries; client only asks. Default server (devnets and LANs). */
  dhtMode?: 'server' | 'client';
  /** Keep private/loopback addresses in the DHT. Default true: the devnet is loopback. */
  allowPrivateAddrs?: boolean;
  log?: P2pLog;
}

export interface GossipMessage {
  /** Peer id of the signer (StrictSign: every message is signed by its origin). */
  from: string;
  data: Uint8Array;
  topic: string;
}

export interface P2pHost {
  /** Known from construction on (the key is loaded synchronously). */
  readonly peerId: string;
  readonly limits: P2pLimits;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Empty until started. */
  listenAddrs(): string[];
  peers(): PeerInfo[];
  /** Connects to a multiaddr; resolves to the remote peer id. */
  dial(addr: string): Promise<string>;
  /** Called on connect, disconnect and identify; returns an unsubscribe function. */
  onPeersChanged(cb: (peers: PeerInfo[]) => void): () => void;
  publish(topic: string, data: Uint8Array): Promise<{ recipients: number }>;
  /** May be called before start. Returns an unsubscribe function. */
  subscribe(topic: string, handler: (msg: GossipMessage) => void): () => void;
  /** May be called before start. One handler per protocol. */
  handleRequest(protocol: string, handler: RequestHandler): Promise<void>;
  request(peerId: string, protocol: string, body: unknown, opts?: { timeoutMs?: number }): Promise<unknown>;
  /** Sends pre-encoded bytes as the request frame, unchecked. For diagnostics and hostile-peer tests. */
  requestRaw(peerId: string, protocol: string, bytes: Uint8Array, opts?: { timeoutMs?: number }): Promise<unknown>;
  ban(peerId: string, reason: string, ms?: number): Promise<void>;
  isBanned(peerId: string): boolean;
  /**
   * Counts an offence against a peer (docs/p2p.md: points per offence, decaying); enough points and
   * the peer is banned. One count per peer for every protocol and domain of this node.
   */
  penalize(peerId: string, offence: Offence, detail: string): void;
  /** Announces on the DHT that this node serves `key` (a community topic, an identity). */
  provide(key: Uint8Array): Promise<void>;
  /** Peers that announced `key` on the DHT, banned ones and this node left out. */
  findProviders(
    key: Uint8Array,
    opts?: { limit?: number; timeoutMs?: number },
  ): Promise<Array<{ peerId: string; addrs: string[] }>>;
  /** A peer's offence points now (0 for a well-behaved peer); `limits.banThreshold` bans. */
  score(peerId: string): number;
  /** Payload bytes and messages per protocol since start (the metrics module reads them). */
  readonly traffic: TrafficCounts;
}

/** DHT keys are CIDs: a raw-codec CID of the key's SHA-256. */
function keyCid(key: Uint8Array): CID {
  return CID.createV1(0x55, createDigest(0x12, sha256(key)));
}

type Services = {
  identify: Identify;
  ping: Ping;
  pubsub: GossipSub;
  dht: KadDHT;
};

const silentLog: P2pLog = { info: () => undefined, warn: () => undefined };

export function createP2pHost(options: P2pHostOptions): P2pHost {
  const limits = resolveLimits(options.limits);
  const now = options.now ?? Date.now;
  const bans = options.bans ?? memoryBanStore();
  const log = options.log ?? silentLog;
  const privateKey = loadOrCreatePeerKey(options.dataDir);
  const selfId = peerIdFromPrivateKey(privateKey).toString();
  const bootstrapList = options.bootstrap ?? [];
  for (const addr of bootstrapList) checkBootstrapAddr(addr);

  const isBanned = (peerId: string): boolean => bans.isBanned(peerId, now());
  const gater = (peerId: PeerId): boolean => isBanned(peerId.toString());
  const penalties = new PeerPenalties(limits.banThreshold, limits.penaltyDecayPerSec);
  const gossipPerPeer = new KeyedRateLimiter(limits.gossipPerPeer);
  const gossipPerOrigin = new KeyedRateLimiter(limits.gossipPerOrigin);
  const requestsPerPeer = new KeyedRateLimiter(limits.requestsPerPeer);
  const pingLatency = new Map<string, number>();
  const identified = new Map<string, string[]>();
  const peerListeners = new Set<(peers: PeerInfo[]) => void>();
  const topicHandlers = new Map<string, Set<(msg: GossipMessage) => void>>();
  const requestHandlers = new Map<string, RequestHandler>();
  const traffic = createTrafficCounts();
  let node: Libp2p<Services> | undefined;
  let running = false;

  function started(): Libp2p<Services> {
    if (node === undefined || !running) throw new ApiError('P2P_ERROR', 'The network is not started.');
    return node;
  }

  async function banPeer(peerId: string, reason: string, ms: number): Promise<void> {
    if (peerId === selfId) return;
    bans.ban(peerId, reason, now() + ms);
    penalties.forget(peerId);
    log.warn('peer banned', { peerId, reason, seconds: Math.round(ms / 1000) });
    if (node === undefined) return;
    try {
      await node.hangUp(peerIdFromString(peerId));
    } catch (err) {
      log.info('could not hang up on a banned peer', { peerId, error: (err as Error).message });
    }
  }

  function penalize(peerId: string, offence: Offence, detail: string): void {
    if (peerId === selfId) return;
    // Rate-limit drops come in floods; the ban they lead to is logged, each drop is not.
    if (offence !== 'rateLimited') log.info('peer penalized', { peerId, offence, detail });
    if (penalties.add(peerId, limits.penalties[offence], now()))
      void banPeer(peerId, `${offence}: ${detail}`, limits.banMs);
  }

  const gossipValidator: TopicValidatorFn = (source, msg) => {
    const sourceId = source.toString();
    if (msg.type !== 'signed') return TopicValidatorResult.Reject;
    const origin = msg.from.toString();
    if (isBanned(sourceId) || isBanned(origin)) return TopicValidatorResult.Ignore;
    if (msg.data.length > limits.maxGossipBytes) {
      penalize(sourceId, 'oversize', `gossip of ${msg.data.length} bytes on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    const t = now();
    if (!gossipPerPeer.take(sourceId, t)) {
      penalize(sourceId, 'rateLimited', `gossip on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    if (!gossipPerOrigin.take(origin, t)) {
      // Relays of a flooder's messages are not at fault; the flooder is, when it is the sender.
      if (origin !== sourceId) return TopicValidatorResult.Ignore;
      penalize(sourceId, 'rateLimited', `own gossip on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    return TopicValidatorResult.Accept;
  };

  function peers(): PeerInfo[] {
    if (node === undefined) return [];
    const byPeer = new Map<string, Connection[]>();
    for (const conn of node.getConnections()) {
      if (conn.status !== 'open') continue;
      const id = conn.remotePeer.toString();
      byPeer.set(id, [...(byPeer.get(id) ?? []), conn]);
    }
    return [...byPeer].map(([peerId, conns]) => {
      const info: PeerInfo = { peerId, addrs: [...new Set(conns.map((c) => c.remoteAddr.toString()))] };
      const first = conns[0];
      if (first !== undefined) info.direction = first.direction;
      const rtt = conns.find((c) => c.rtt !== undefined)?.rtt ?? pingLatency.get(peerId);
      if (rtt !== undefined) info.latencyMs = rtt;
      const protocols = identified.get(peerId);
      if (protocols !== undefined) info.protocols = protocols;
      return info;
    });
  }

  function emitPeers(): void {
    if (peerListeners.size === 0) return;
    const list = peers();
    for (const cb of peerListeners) {
      try {
        cb(list);
      } catch (err) {
        log.warn('peers listener failed', { error: (err as Error).message });
      }
    }
  }

  function deliver(msg: Message): void {
    if (msg.type !== 'signed') return;
    const handlers = topicHandlers.get(msg.topic);
    if (handlers === undefined) return;
    traffic.bytes('gossip', msg.topic, 'in', msg.data.length);
    traffic.message(msg.topic);
    const delivered: GossipMessage = { from: msg.from.toString(), data: msg.data, topic: msg.topic };
    for (const handler of handlers) {
      try {
        handler(delivered);
      } catch (err) {
        log.warn('gossip handler failed', { topic: msg.topic, error: (err as Error).message });
      }
    }
  }

  function joinTopic(n: Libp2p<Services>, topic: string): void {
    n.services.pubsub.topicValidators.set(topic, gossipValidator);
    n.services.pubsub.subscribe(topic);
  }

  async function serve(n: Libp2p<Services>, protocol: string, handler: RequestHandler): Promise<void> {
    await n.handle(
      protocol,
      (stream, connection) => {
        const peerId = connection.remotePeer.toString();
        if (isBanned(peerId)) {
          stream.abort(new Error('peer is banned'));
          return;
        }
        traffic.message(protocol);
        return serveRequest(stream, { peerId, protocol }, handler, {
          onBytes: (direction, n) => traffic.bytes('request', protocol, direction, n),
          maxRequestBytes: limits.maxRequestBytes,
          maxResponseBytes: limits.maxResponseBytes,
          timeoutMs: limits.requestTimeoutMs,
          allowRequest: (id) => requestsPerPeer.take(id, now()),
          penalize,
          log: (message) => {
            log.info(message);
          },
        });
      },
      { maxInboundStreams: limits.maxInboundStreamsPerProtocol, force: true },
    );
  }

  async function build(): Promise<Libp2p<Services>> {
    const n: Libp2p<Services> = await createLibp2p({
      start: false,
      privateKey,
      addresses: { listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: bootstrapList.length > 0 ? [bootstrap({ list: bootstrapList, timeout: 100 })] : [],
      connectionGater: {
        denyDialPeer: gater,
        denyInboundEncryptedConnection: gater,
        denyOutboundEncryptedConnection: gater,
      },
      connectionManager: {
        maxConnections: limits.maxConnections,
        inboundConnectionThreshold: limits.inboundConnectionsPerHostPerSec,
      },
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub({
          globalSignaturePolicy: StrictSign,
          allowPublishToZeroTopicPeers: true,
          emitSelf: false,
          fallbackToFloodsub: false,
          doPX: false,
          maxInboundDataLength: limits.maxGossipBytes + GOSSIP_FRAME_OVERHEAD,
          // Gossipsub scores down more than 10 peers on one IP (Sybil defence); on a loopback devnet
          // every peer is 127.0.0.1, and past 10 peers they were graylisted and gossip stopped.
          ...(options.allowPrivateAddrs === false
            ? {}
            : { scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1']) } }),
        }),
        dht: kadDHT({
          protocol: DHT_PROTOCOL,
          clientMode: options.dhtMode === 'client',
          peerInfoMapper: options.allowPrivateAddrs === false ? removePrivateAddressesMapper : passthroughMapper,
        }),
      },
    });
    n.addEventListener('peer:connect', (evt) => {
      const peerId = evt.detail;
      const id = peerId.toString();
      if (isBanned(id)) {
        void n.hangUp(peerId).catch(() => undefined);
        return;
      }
      emitPeers();
      n.services.ping.ping(peerId, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) }).then(
        (ms) => {
          pingLatency.set(id, ms);
        },
        () => undefined,
      );
    });
    n.addEventListener('peer:disconnect', (evt) => {
      const id = evt.detail.toString();
      pingLatency.delete(id);
      identified.delete(id);
      emitPeers();
    });
    n.addEventListener('peer:identify', (evt) => {
      identified.set(evt.detail.peerId.toString(), evt.detail.protocols.slice(0, 64));
      emitPeers();
    });
    n.addEventListener('peer:discovery', (evt) => {
      const peerId = evt.detail.id;
      const id = peerId.toString();
      if (!running || id === selfId || isBanned(id) || n.getConnections(peerId).length > 0) return;
      if (n.getConnections().length >= limits.targetPeers) return;
      n.dial(peerId, { signal: AbortSignal.timeout(limits.requestTimeoutMs) }).catch((err: Error) => {
        log.info('could not dial a discovered peer', { peerId: id, error: err.message });
      });
    });
    n.services.pubsub.addEventListener('message', (evt) => {
      deliver(evt.detail);
    });
    for (const [protocol, handler] of requestHandlers) await serve(n, protocol, handler);
    return n;
  }

  async function ask(
    peerId: string,
    protocol: string,
    bytes: Uint8Array,
    timeoutMs: number | undefined,
  ): Promise<unknown> {
    const target = parsePeerId(peerId);
    const n = started();
    if (isBanned(peerId)) throw peerRequestError('banned', `The peer ${peerId} is banned for misbehaving.`);
    return askPeer(bytes, peerId, {
      openStream: (signal) => n.dialProtocol(target, protocol, { signal }),
      maxResponseBytes: limits.maxResponseBytes,
      timeoutMs: timeoutMs ?? limits.requestTimeoutMs,
      onBytes: (direction, n) => traffic.bytes('request', protocol, direction, n),
      penalize: (offence, detail) => {
        penalize(peerId, offence, `${detail} on ${protocol}`);
      },
    });
  }

  return {
    peerId: selfId,
    limits,
    async start() {
      if (running) return;
      node ??= await build();
      await node.start();
      // Gossipsub refuses subscriptions until it has started.
      for (const topic of topicHandlers.keys()) joinTopic(node, topic);
      running = true;
    },
    async stop() {
      if (node === undefined) return;
      running = false;
      const n = node;
      node = undefined;
      await n.stop();
      pingLatency.clear();
      identified.clear();
    },
    listenAddrs: () => (node === undefined ? [] : node.getMultiaddrs().map((ma) => ma.toString())),
    peers,
    async dial(addr) {
      let ma: Multiaddr;
      try {
        ma = multiaddr(addr);
      } catch {
        throw new ApiError('INVALID_PARAMS', `"${addr.slice(0, 200)}" is not a peer address (multiaddr).`);
      }
      const target = ma.getComponents().find((c) => c.name === 'p2p')?.value;
      if (target === selfId) throw new ApiError('INVALID_PARAMS', 'That address is this node itself.');
      if (target !== undefined && isBanned(target))
        throw new ApiError('PEER_REFUSED', `The peer ${target} is banned for misbehaving.`);
      const n = started();
      try {
        const conn = await n.dial(ma, { signal: AbortSignal.timeout(limits.requestTimeoutMs) });
        return conn.remotePeer.toString();
      } catch (err) {
        throw new ApiError('PEER_UNREACHABLE', `Could not connect to ${addr}: ${(err as Error).message}`);
      }
    },
    onPeersChanged(cb) {
      peerListeners.add(cb);
      return () => {
        peerListeners.delete(cb);
      };
    },
    async publish(topic, data) {
      if (data.length > limits.maxGossipBytes) {
        throw new ApiError(
          'INVALID_PARAMS',
          `The message is ${data.length} bytes; the network accepts at most ${limits.maxGossipBytes}.`,
        );
      }
      const n = started();
      try {
        const result = await n.services.pubsub.publish(topic, data);
        traffic.bytes('gossip', topic, 'out', data.length);
        return { recipients: result.recipients.length };
      } catch (err) {
        throw new ApiError('P2P_ERROR', `Could not publish on ${topic}: ${(err as Error).message}`);
      }
    },
    subscribe(topic, handler) {
      let handlers = topicHandlers.get(topic);
      if (handlers === undefined) {
        handlers = new Set();
        topicHandlers.set(topic, handlers);
        if (node !== undefined) joinTopic(node, topic);
      }
      handlers.add(handler);
      return () => {
        const set = topicHandlers.get(topic);
        if (set === undefined || !set.delete(handler) || set.size > 0) return;
        topicHandlers.delete(topic);
        if (node === undefined) return;
        node.services.pubsub.unsubscribe(topic);
        node.services.pubsub.topicValidators.delete(topic);
      };
    },
    async handleRequest(protocol, handler) {
      requestHandlers.set(protocol, handler);
      if (node !== undefined) await serve(node, protocol, handler);
    },
    async request(peerId, protocol, body, opts) {
      let bytes: Uint8Array;
      try {
        bytes = encodeJson(body);
      } catch (err) {
        if (isCoded(err, 'NOT_JSON_ENCODABLE')) throw new ApiError('INVALID_PARAMS', err.message);
        throw err;
      }
      if (bytes.length > limits.maxRequestBytes) {
        throw peerRequestError(
          'too-large',
          `The request is ${bytes.length} bytes; peers accept at most ${limits.maxRequestBytes}.`,
        );
      }
      return ask(peerId, protocol, bytes, opts?.timeoutMs);
    },
    requestRaw: (peerId, protocol, bytes, opts) => ask(peerId, protocol, bytes, opts?.timeoutMs),
    async ban(peerId, reason, ms = limits.banMs) {
      parsePeerId(peerId);
      await banPeer(peerId, reason, ms);
    },
    isBanned,
    penalize,
    async provide(key) {
      await started().contentRouting.provide(keyCid(key), { signal: AbortSignal.timeout(limits.requestTimeoutMs) });
    },
    async findProviders(key, opts) {
      const n = started();
      const found: Array<{ peerId: string; addrs: string[] }> = [];
      const signal = AbortSignal.timeout(opts?.timeoutMs ?? limits.requestTimeoutMs);
      try {
        for await (const p of n.contentRouting.findProviders(keyCid(key), { signal })) {
          const id = p.id.toString();
          if (id === selfId || isBanned(id) || found.some((f) => f.peerId === id)) continue;
          found.push({ peerId: id, addrs: p.multiaddrs.map((a) => a.toString()) });
          if (found.length >= (opts?.limit ?? 20)) break;
        }
      } catch (err) {
        // Running out of time or of DHT peers ends the search with what was found.
        if (!signal.aborted) log.info('DHT provider search ended early', { error: (err as Error).message });
      }
      return found;
    },
    score: (peerId) => penalties.score(peerId, now()),
    traffic,
  };
}

function parsePeerId(peerId: string): PeerId {
  try {
    return peerIdFromString(peerId);
  } catch {
    throw new ApiError('INVALID_PARAMS', `"${peerId.slice(0, 100)}" is not a peer id.`);
  }
}

function checkBootstrapAddr(addr: string): void {
  let ma: Multiaddr;
  try {
    ma = multiaddr(addr);
  } catch {
    throw new ApiError('CONFIG_INVALID', `The bootstrap address "${addr.slice(0, 200)}" is not a multiaddr.`);
  }
  if (!ma.getComponents().some((c) => c.name === 'p2p')) {
    throw new ApiError('CONFIG_INVALID', `The bootstrap address ${addr} needs a /p2p/<peer id> part.`);
  }
}
