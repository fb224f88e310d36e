// Which peers a member talks to about a community (docs §13): a shuffled mix of peers recently
// seen on the topic, DHT providers of the topic and the community's storage nodes — never "the
// owner first", whom nobody can even tell apart.
import { utf8ToBytes } from '../../src-shared/communities/ids.ts';
import { errorText } from '../kernel/log.ts';
import type { Env } from './env.ts';
import type { CommunityRow } from './repo.ts';

/** Peers remembered per topic (most recent last). */
const KNOWN_PER_TOPIC = 32;
/** Connections a member keeps towards its community's peers. */
const WANT_PEERS = 6;

export interface TopicPeers {
  /** A peer that spoke on (or answered for) the topic. */
  seen(topic: string, peerId: string): void;
  /** A shuffled mix of peers to ask about a community (known, DHT-found, storage nodes, connected). */
  peersFor(row: CommunityRow, n: number): Promise<string[]>;
  /** Connects to enough of the community's peers for gossip to reach it. */
  ensurePeers(row: CommunityRow): Promise<void>;
}

export function shuffle<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function createTopicPeers(env: Env): TopicPeers {
  const known = new Map<string, string[]>();

  const seen = (topic: string, peerId: string) => {
    if (peerId === env.p2p.peerId) return;
    const list = (known.get(topic) ?? []).filter((p) => p !== peerId);
    list.push(peerId);
    known.set(topic, list.slice(-KNOWN_PER_TOPIC));
  };

  const dhtPeers = async (topic: string, limit: number) => {
    if (!env.p2p.findProviders) return [];
    try {
      return await env.p2p.findProviders(utf8ToBytes(topic), { limit, timeoutMs: 3000 });
    } catch (err) {
      env.log.info('communities: DHT search failed', { error: errorText(err) });
      return [];
    }
  };

  async function peersFor(row: CommunityRow, n: number): Promise<string[]> {
    const connected = env.p2p.peers().map((p) => p.peerId);
    const storage =
      row.data.descriptor?.descriptor.persistence.mode === 'store'
        ? row.data.descriptor.descriptor.persistence.nodes.map((s) => s.peerId)
        : [];
    const recent = shuffle(known.get(row.topic) ?? []).slice(0, 2);
    const found = shuffle((await dhtPeers(row.topic, 8)).map((p) => p.peerId)).slice(0, 2);
    const others = shuffle(connected.filter((p) => !recent.includes(p) && !found.includes(p)));
    const mix = shuffle([...new Set([...recent, ...found, ...storage])]);
    return [...new Set([...mix, ...others])].filter((p) => p !== env.p2p.peerId && !env.p2p.isBanned(p)).slice(0, n);
  }

  async function ensurePeers(row: CommunityRow): Promise<void> {
    const connected = new Set(env.p2p.peers().map((p) => p.peerId));
    const topicPeers = [...(known.get(row.topic) ?? [])].filter((p) => connected.has(p));
    if (topicPeers.length >= WANT_PEERS) return;
    for (const p of shuffle(await dhtPeers(row.topic, 12)).slice(0, WANT_PEERS - topicPeers.length)) {
      if (connected.has(p.peerId) || env.p2p.isBanned(p.peerId)) continue;
      const addr = p.addrs.find((a) => !a.includes('/p2p/')) ?? p.addrs[0];
      if (!addr) continue;
      try {
        await env.p2p.dial(addr.includes('/p2p/') ? addr : `${addr}/p2p/${p.peerId}`);
        seen(row.topic, p.peerId);
      } catch (err) {
        env.log.info('communities: could not dial a member', { peerId: p.peerId, error: errorText(err) });
      }
    }
  }

  return { seen, peersFor, ensurePeers };
}
