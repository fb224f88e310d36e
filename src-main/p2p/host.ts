// The libp2p host of a Hashlock node: TCP + Noise + Yamux, identify, ping, gossipsub (StrictSign)
// and a `/hashlock` kad-dht, with bootstrap peers from config. Everything a peer sends is
// size-capped, rate-limited per peer and scored; peers that add up enough penalties are banned,
// disconnected and refused by the connection gater. Other services use only the P2pHost interface.
import type { Libp2p } from 'libp2p';
import type { Message } from '@libp2p/gossipsub';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import type { Connection, PeerId } from '@libp2p/interface';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import { encodeJson } from '../../src-shared/protocol/reqres.ts';
import { isCoded } from '../../src-shared/errors.ts';
import type { NatOptions } from './config.ts';
import { createGossipCheck } from './gossip-check.ts';
import type { GossipCheck, GossipMessage, P2pHost, P2pHostOptions, P2pLog } from './host-types.ts';
import { checkBootstrapAddr, parseAddr, parsePeerId, targetOf } from './addrs.ts';
import { loadOrCreatePeerKey } from './identity-key.ts';
import { createLibp2pNode, type Services } from './libp2p-node.ts';
import {
  PeerPenalties,
  checkFrameCaps,
  memoryBanStore,
  resolveLimits,
  type FrameCaps,
  type Offence,
} from './limits.ts';
import { createPathTracker, isCircuitAddr, readReachability } from './paths.ts';
import { findPeerAddrs, openRequestStream } from './streams.ts';
import { askPeer, peerRequestError, serveRequest, type RequestHandler } from './reqres.ts';
import { createDht } from './dht.ts';
import { keepGossipStreams } from './gossip-streams.ts';
import { createTrafficCounts } from './traffic.ts';

export type { RequestHandler, RequestContext } from './reqres.ts';
export { peerFailure, peerRequestError, type PeerFailure } from './reqres.ts';

export type { GossipCheck, GossipMessage, GossipVerdict, P2pHost, P2pHostOptions, P2pLog } from './host-types.ts';
export { DHT_PROTOCOL } from './libp2p-node.ts';

const PING_TIMEOUT_MS = 5_000;
/** No relay reservations, no relay server, no port mapping: a host made without NAT options. */
const NO_NAT: NatOptions = { announce: [], portMapping: false, relayReservations: 0 };

const silentLog: P2pLog = { info: () => undefined, warn: () => undefined };

/** Direct addresses before relayed ones: a relayed path is the fallback, and a dead relay's address is slow to fail. */
const directFirst = (addrs: readonly string[]): string[] => [
  ...addrs.filter((a) => !isCircuitAddr(a)),
  ...addrs.filter(isCircuitAddr),
];

export function createP2pHost(options: P2pHostOptions): P2pHost {
  const limits = resolveLimits(options.limits);
  const now = options.now ?? Date.now;
  const bans = options.bans ?? memoryBanStore();
  const log = options.log ?? silentLog;
  const privateKey = loadOrCreatePeerKey(options.dataDir);
  const selfId = peerIdFromPrivateKey(privateKey).toString();
  const bootstrapList = options.bootstrap ?? [];
  const nat = options.nat ?? NO_NAT;
  for (const addr of bootstrapList) checkBootstrapAddr(addr);

  const isBanned = (peerId: string): boolean => bans.isBanned(peerId, now());
  const gater = (peerId: PeerId): boolean => isBanned(peerId.toString());
  const penalties = new PeerPenalties(limits.banThreshold, limits.penaltyDecayPerSec);
  const requestsPerPeer = new KeyedRateLimiter(limits.requestsPerPeer);
  const pingLatency = new Map<string, number>();
  const identified = new Map<string, string[]>();
  const peerListeners = new Set<(peers: PeerInfo[]) => void>();
  const topicHandlers = new Map<string, Set<(msg: GossipMessage) => void>>();
  const topicChecks = new Map<string, Set<GossipCheck>>();
  const requestHandlers = new Map<string, RequestHandler>();
  const overRelay = new Set<string>();
  /** Frame caps of protocols that set their own (bulk transfers); the others use `limits`. */
  const frameCaps = new Map<string, FrameCaps>();
  const capsOf = (protocol: string): Required<FrameCaps> => ({
    maxRequestBytes: frameCaps.get(protocol)?.maxRequestBytes ?? limits.maxRequestBytes,
    maxResponseBytes: frameCaps.get(protocol)?.maxResponseBytes ?? limits.maxResponseBytes,
  });
  const paths = createPathTracker();
  let startedAt = 0;
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

  const gossipValidator = createGossipCheck({
    limits,
    now,
    isBanned,
    penalize,
    topicChecks: (topic) => topicChecks.get(topic),
    warn: (message, data) => log.warn(message, data),
  });

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
      Object.assign(info, paths.pathOf(peerId, conns));
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
          ...capsOf(protocol),
          timeoutMs: limits.requestTimeoutMs,
          allowRequest: (id) => requestsPerPeer.take(id, now()),
          penalize,
          log: (message) => {
            log.info(message);
          },
        });
      },
      {
        maxInboundStreams: limits.maxInboundStreamsPerProtocol,
        force: true,
        runOnLimitedConnection: overRelay.has(protocol),
      },
    );
  }

  async function build(): Promise<Libp2p<Services>> {
    const n = await createLibp2pNode({
      privateKey,
      listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: bootstrapList,
      limits,
      nat,
      ...(options.dhtMode === undefined ? {} : { dhtMode: options.dhtMode }),
      ...(options.allowPrivateAddrs === undefined ? {} : { allowPrivateAddrs: options.allowPrivateAddrs }),
      refused: gater,
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
    // Own addresses changed: a reservation made or lost, an address verified by AutoNAT or mapped.
    n.addEventListener('self:peer:update', () => {
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
    // A peer connected on another connection than the one its gossip stream closed with still gets
    // our gossip (gossip-streams.ts).
    const stopKeeping = keepGossipStreams(n, n.services.pubsub, { log: (m) => log.info(m) });
    if (stopKeeping) n.addEventListener('stop', stopKeeping, { once: true });
    else log.warn('gossip streams are not kept: this gossipsub has no stream maker the keeper knows');
    for (const [protocol, handler] of requestHandlers) await serve(n, protocol, handler);
    return n;
  }

  async function ask(
    peerId: string,
    protocol: string,
    bytes: Uint8Array,
    timeoutMs: number | undefined,
    relayOk = false,
    maxResponseBytes = limits.maxResponseBytes,
  ): Promise<unknown> {
    const target = parsePeerId(peerId);
    const n = started();
    if (isBanned(peerId)) throw peerRequestError('banned', `The peer ${peerId} is banned for misbehaving.`);
    const limitedOk = relayOk || overRelay.has(protocol);
    return askPeer(bytes, peerId, {
      openStream: (signal) => openRequestStream(n, target, protocol, signal, limitedOk, log),
      maxResponseBytes,
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
      startedAt = now();
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
      const list = typeof addr === 'string' ? [addr] : [...addr];
      const mas = list.map(parseAddr);
      const targets = new Set(mas.map(targetOf));
      if (mas.length === 0 || targets.size !== 1)
        throw new ApiError('INVALID_PARAMS', 'Give one or more addresses of one peer.');
      const [target] = targets;
      if (target === selfId) throw new ApiError('INVALID_PARAMS', 'That address is this node itself.');
      if (target !== undefined && isBanned(target))
        throw new ApiError('PEER_REFUSED', `The peer ${target} is banned for misbehaving.`);
      const n = started();
      // libp2p tries the addresses one after another (direct before relayed); each gets the dial time.
      const budget = limits.requestTimeoutMs * Math.min(mas.length, 3);
      try {
        const conn = await n.dial(mas.length === 1 ? mas[0]! : mas, { signal: AbortSignal.timeout(budget) });
        return conn.remotePeer.toString();
      } catch (err) {
        throw new ApiError('PEER_UNREACHABLE', `Could not connect to ${list[0]}: ${(err as Error).message}`);
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
    subscribe(topic, handler, opts) {
      let handlers = topicHandlers.get(topic);
      if (handlers === undefined) {
        handlers = new Set();
        topicHandlers.set(topic, handlers);
        if (node !== undefined) joinTopic(node, topic);
      }
      handlers.add(handler);
      const check = opts?.check;
      if (check !== undefined) {
        const checks = topicChecks.get(topic) ?? new Set();
        checks.add(check);
        topicChecks.set(topic, checks);
      }
      return () => {
        if (check !== undefined) {
          const checks = topicChecks.get(topic);
          checks?.delete(check);
          if (checks?.size === 0) topicChecks.delete(topic);
        }
        const set = topicHandlers.get(topic);
        if (set === undefined || !set.delete(handler) || set.size > 0) return;
        topicHandlers.delete(topic);
        if (node === undefined) return;
        node.services.pubsub.unsubscribe(topic);
        node.services.pubsub.topicValidators.delete(topic);
      };
    },
    async handleRequest(protocol, handler, opts) {
      // Bad caps are refused before anything is registered: the protocol stays as it was.
      checkFrameCaps(opts ?? {});
      requestHandlers.set(protocol, handler);
      if (opts?.overRelay === true) overRelay.add(protocol);
      else overRelay.delete(protocol);
      if (opts?.maxRequestBytes !== undefined || opts?.maxResponseBytes !== undefined) frameCaps.set(protocol, opts);
      else frameCaps.delete(protocol);
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
      checkFrameCaps(opts ?? {});
      const maxRequestBytes = opts?.maxRequestBytes ?? limits.maxRequestBytes;
      if (bytes.length > maxRequestBytes) {
        throw peerRequestError(
          'too-large',
          `The request is ${bytes.length} bytes; peers accept at most ${maxRequestBytes}.`,
        );
      }
      return ask(peerId, protocol, bytes, opts?.timeoutMs, opts?.overRelay, opts?.maxResponseBytes);
    },
    requestRaw: (peerId, protocol, bytes, opts) => ask(peerId, protocol, bytes, opts?.timeoutMs),
    async ban(peerId, reason, ms = limits.banMs) {
      parsePeerId(peerId);
      await banPeer(peerId, reason, ms);
    },
    isBanned,
    penalize,
    async knownAddrs(peerId) {
      const n = started();
      try {
        const peer = await n.peerStore.get(parsePeerId(peerId));
        return directFirst(peer.addresses.map((a) => a.multiaddr.toString()));
      } catch (err) {
        if (err instanceof ApiError) throw err;
        return [];
      }
    },
    async lookupAddrs(peerId) {
      const n = started();
      const found = await findPeerAddrs(n, parsePeerId(peerId), AbortSignal.timeout(limits.requestTimeoutMs), log);
      return directFirst(found ?? []);
    },
    reachability: () =>
      readReachability({
        ownAddrs: node === undefined ? [] : node.getMultiaddrs(),
        peerPaths: peers().map((p) => p.path ?? 'direct'),
        sinceStartMs: node === undefined ? 0 : now() - startedAt,
        portMapping: nat.portMapping,
        servesRelay: nat.relayServer !== undefined,
      }),
    ...createDht({ started, limits, selfId, isBanned, log }),
    score: (peerId) => penalties.score(peerId, now()),
    traffic,
  };
}
