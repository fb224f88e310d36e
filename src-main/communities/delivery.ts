// Getting envelopes to members (docs §13): gossip on the community's topic (a hash of its id that
// says nothing about it), the peers a member talks to (topic-peers.ts), and a Welcome too large
// for gossip left to be fetched by request.
import { encodeEnvelope, MAX_GOSSIP_ENVELOPE_BYTES } from '../../src-shared/communities/envelope.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { utf8ToBytes } from '../../src-shared/communities/ids.ts';
import { errorText } from '../kernel/log.ts';
import type { Env } from './env.ts';
import type { Source } from './ingest.ts';
import type { CommunityRow } from './repo.ts';
import { createTopicPeers, type TopicPeers } from './topic-peers.ts';

/** Gossip on a community's topic, and the peers to reach it through (topic-peers.ts). */
export interface Delivery extends TopicPeers {
  /** Listens on the community's topic and announces on the DHT that this node is in it. */
  join(row: CommunityRow): void;
  leave(topic: string): void;
  /** Gossips an envelope small enough; true when it was published. */
  publish(topic: string, envelope: Envelope): Promise<boolean>;
  stop(): void;
}

export function createDelivery(
  env: Env,
  onEnvelope: (topic: string, bytes: Uint8Array, source: Source) => void,
): Delivery {
  const subscriptions = new Map<string, () => void>();
  const peers = createTopicPeers(env);

  return {
    join(row) {
      if (subscriptions.has(row.topic)) return;
      const off = env.p2p.subscribe(row.topic, (msg) => {
        peers.seen(row.topic, msg.from);
        onEnvelope(row.topic, msg.data, { peer: msg.from, via: 'gossip' });
      });
      subscriptions.set(row.topic, off);
      if (env.p2p.provide)
        void env.p2p.provide(utf8ToBytes(row.topic)).catch((err: unknown) => {
          env.log.info('communities: could not announce on the DHT', { error: errorText(err) });
        });
    },
    leave(topic) {
      subscriptions.get(topic)?.();
      subscriptions.delete(topic);
    },
    async publish(topic, envelope) {
      const bytes = encodeEnvelope(envelope);
      if (bytes.length > MAX_GOSSIP_ENVELOPE_BYTES) return false;
      try {
        await env.p2p.publish(topic, bytes);
        return true;
      } catch (err) {
        env.log.info('communities: could not publish', { error: errorText(err) });
        return false;
      }
    },
    ...peers,
    stop() {
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
    },
  };
}
