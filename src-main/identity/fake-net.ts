// For tests: p2p hosts in one process that deliver gossip and requests to each other through
// JSON (as the wire would), with connections a test makes and breaks, and bans recorded.
import { ApiError } from '../../src-shared/api/errors.ts';
import { JsonText } from '../../src-shared/protocol/reqres.ts';
import type { PeerInfo } from '../../src-shared/api/schemas.ts';
import type { GossipMessage, P2pHost, RequestHandler } from '../p2p/index.ts';
import { DEFAULT_LIMITS, PeerPenalties, peerRequestError, type Offence } from '../p2p/index.ts';

export interface FakeHost extends P2pHost {
  readonly bans: string[];
}

/** A host as the net sees it: what it listens to and whom it is linked with. */
interface Wired {
  topics: Map<string, Set<(m: GossipMessage) => void>>;
  handlers: Map<string, RequestHandler>;
  links: Set<string>;
}
type NetHost = FakeHost & Wired & { listeners: Set<(p: PeerInfo[]) => void> };

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Gossip and requests from `peerId` to the hosts it is linked with, through JSON as on the wire. */
function messaging(peerId: string, own: Wired, hosts: ReadonlyMap<string, NetHost>) {
  const { topics, handlers, links } = own;
  return {
    async publish(topic: string, data: Uint8Array) {
      let recipients = 0;
      for (const id of links) {
        const other = hosts.get(id)!;
        if (other.isBanned(peerId)) continue;
        for (const fn of other.topics.get(topic) ?? []) {
          recipients++;
          fn({ from: peerId, topic, data: Uint8Array.from(data) });
        }
      }
      return { recipients };
    },
    subscribe(topic: string, fn: (m: GossipMessage) => void) {
      if (!topics.has(topic)) topics.set(topic, new Set());
      topics.get(topic)!.add(fn);
      return () => topics.get(topic)!.delete(fn);
    },
    async handleRequest(protocol: string, fn: RequestHandler) {
      handlers.set(protocol, fn);
    },
    async request(to: string, protocol: string, body: unknown) {
      const other = hosts.get(to);
      if (!other || !links.has(to) || other.isBanned(peerId))
        throw new ApiError('PEER_UNREACHABLE', `${to} is not connected`);
      const fn = other.handlers.get(protocol);
      // As the host does for a protocol the peer does not serve.
      if (!fn) throw peerRequestError('unsupported', `${to} does not offer ${protocol}`);
      const answer = await fn(json(body), { peerId, protocol });
      return answer instanceof JsonText ? (JSON.parse(answer.text) as unknown) : json(answer);
    },
  };
}

export function createFakeNet() {
  const hosts = new Map<string, NetHost>();

  function host(peerId: string): FakeHost {
    const topics = new Map<string, Set<(m: GossipMessage) => void>>();
    const handlers = new Map<string, RequestHandler>();
    const links = new Set<string>();
    const listeners = new Set<(p: PeerInfo[]) => void>();
    const bans: string[] = [];
    const penalties = new PeerPenalties(DEFAULT_LIMITS.banThreshold, DEFAULT_LIMITS.penaltyDecayPerSec);
    const peers = (): PeerInfo[] => [...links].map((id) => ({ peerId: id, addrs: [] }));
    const h = {
      peerId,
      limits: DEFAULT_LIMITS,
      bans,
      topics,
      handlers,
      links,
      listeners,
      start: async () => undefined,
      stop: async () => undefined,
      listenAddrs: () => [],
      peers,
      dial: async () => peerId,
      onPeersChanged(cb: (p: PeerInfo[]) => void) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      ...messaging(peerId, { topics, handlers, links }, hosts),
      requestRaw: async () => {
        throw new Error('not in the fake');
      },
      async ban(id: string) {
        bans.push(id);
        disconnect(peerId, id);
      },
      isBanned: (id: string) => bans.includes(id),
      penalize(id: string, offence: Offence) {
        if (id !== peerId && penalties.add(id, DEFAULT_LIMITS.penalties[offence], Date.now())) void h.ban(id);
      },
    };
    hosts.set(peerId, h as never);
    return h as unknown as FakeHost;
  }

  function notify(id: string) {
    const h = hosts.get(id)!;
    for (const cb of h.listeners) cb(h.peers());
  }

  function connect(a: string, b: string) {
    hosts.get(a)!.links.add(b);
    hosts.get(b)!.links.add(a);
    notify(a);
    notify(b);
  }

  function disconnect(a: string, b: string) {
    hosts.get(a)!.links.delete(b);
    hosts.get(b)?.links.delete(a);
    notify(a);
    if (hosts.has(b)) notify(b);
  }

  return { host, connect, disconnect };
}
