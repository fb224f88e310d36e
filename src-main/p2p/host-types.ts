// The p2p host's interface, the only thing other services see of libp2p (docs/p2p.md "API"), and
// the options it is created with.
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import type { Reachability } from '../../src-shared/p2p/reachability.ts';
import type { NatOptions } from './config.ts';
import type { BanStore, FrameCaps, Offence, P2pLimits, P2pLimitsInput } from './limits.ts';
import type { RequestHandler } from './reqres.ts';
import type { TrafficCounts } from './traffic.ts';

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
  /** AutoNAT and DCUtR always run; relay reservations, a relay server and port mapping as set here (default none). */
  nat?: NatOptions;
}

export interface GossipMessage {
  /** Peer id of the signer (StrictSign: every message is signed by its origin). */
  from: string;
  data: Uint8Array;
  topic: string;
}

/**
 * A topic's own check of a gossip message, inside gossipsub's validation (after the host's size,
 * ban and rate checks), so its verdict decides forwarding: only 'accept' is delivered and
 * forwarded; 'ignore' drops it; 'reject' drops it and gossipsub scores the peer that sent it.
 * The handler then gets the same `data` (the same bytes object) the check saw.
 */
export type GossipVerdict = 'accept' | 'ignore' | 'reject';
export type GossipCheck = (msg: GossipMessage) => GossipVerdict;

export interface P2pHost {
  /** Known from construction on (the key is loaded synchronously). */
  readonly peerId: string;
  readonly limits: P2pLimits;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Empty until started. */
  listenAddrs(): string[];
  peers(): PeerInfo[];
  /**
   * Connects to a multiaddr, or to the first of several addresses of one peer that answers (direct
   * ones before relayed); resolves to the remote peer id.
   */
  dial(addr: string | readonly string[]): Promise<string>;
  /** Called on connect, disconnect and identify; returns an unsubscribe function. */
  onPeersChanged(cb: (peers: PeerInfo[]) => void): () => void;
  publish(topic: string, data: Uint8Array): Promise<{ recipients: number }>;
  /** May be called before start. Returns an unsubscribe function. `check`: see GossipCheck. */
  subscribe(topic: string, handler: (msg: GossipMessage) => void, opts?: { check?: GossipCheck }): () => void;
  /**
   * May be called before start. One handler per protocol. `overRelay`: the protocol also runs over
   * relayed (limited) connections, both served and asked (docs/p2p.md: small, time-critical ones).
   */
  handleRequest(protocol: string, handler: RequestHandler, opts?: { overRelay?: boolean } & FrameCaps): Promise<void>;
  /**
   * `overRelay` for a protocol this node asks but does not serve. Frame caps: those the protocol is
   * served with (its own, or the host's `maxRequestBytes` and `maxResponseBytes`).
   */
  request(
    peerId: string,
    protocol: string,
    body: unknown,
    opts?: { timeoutMs?: number; overRelay?: boolean } & FrameCaps,
  ): Promise<unknown>;
  /** Sends pre-encoded bytes as the request frame, unchecked. For diagnostics and hostile-peer tests. */
  requestRaw(peerId: string, protocol: string, bytes: Uint8Array, opts?: { timeoutMs?: number }): Promise<unknown>;
  ban(peerId: string, reason: string, ms?: number): Promise<void>;
  isBanned(peerId: string): boolean;
  /**
   * Every address known for a peer (what it advertised: direct and relayed), direct ones first, so a
   * swap can redial the peer through its other relay when one goes away.
   */
  knownAddrs(peerId: string): Promise<string[]>;
  /**
   * Asks the DHT where the peer is now (a few seconds at most): the addresses it gives, direct
   * ones first, or [] when it does not know the peer. For a peer none of whose known addresses
   * answers (it restarted elsewhere, or its relay changed).
   */
  lookupAddrs(peerId: string): Promise<string[]>;
  /** Whether others can reach this node, and how (docs/p2p.md "Reachability shown to users"). */
  reachability(): Reachability;
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
