// The check every gossip message passes before gossipsub delivers or forwards it (docs/p2p.md
// "Limits", "Scoring and bans"): signed, from no banned peer, within the size cap and the
// per-peer and per-origin rates; a relay of someone else's flood is ignored, not blamed. Then the
// topic's own checks (a subscriber's GossipCheck, e.g. the order book's signatures), so a message
// they refuse is not forwarded either.
import { TopicValidatorResult, type TopicValidatorFn } from '@libp2p/gossipsub';
import { KeyedRateLimiter } from '../../src-shared/protocol/rate-limit.ts';
import type { GossipCheck } from './host-types.ts';
import type { Offence, P2pLimits } from './limits.ts';

export interface GossipCheckDeps {
  limits: P2pLimits;
  now: () => number;
  isBanned: (peerId: string) => boolean;
  penalize: (peerId: string, offence: Offence, detail: string) => void;
  /** The subscribers' checks of a topic, if any. */
  topicChecks?: (topic: string) => ReadonlySet<GossipCheck> | undefined;
  /** Where a check that throws is told (its message is ignored). */
  warn?: (message: string, data: Record<string, unknown>) => void;
}

const VERDICTS = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
} as const;

export function createGossipCheck(d: GossipCheckDeps): TopicValidatorFn {
  const perPeer = new KeyedRateLimiter(d.limits.gossipPerPeer);
  const perOrigin = new KeyedRateLimiter(d.limits.gossipPerOrigin);
  return (source, msg) => {
    const sourceId = source.toString();
    if (msg.type !== 'signed') return TopicValidatorResult.Reject;
    const origin = msg.from.toString();
    if (d.isBanned(sourceId) || d.isBanned(origin)) return TopicValidatorResult.Ignore;
    if (msg.data.length > d.limits.maxGossipBytes) {
      d.penalize(sourceId, 'oversize', `gossip of ${msg.data.length} bytes on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    const t = d.now();
    if (!perPeer.take(sourceId, t)) {
      d.penalize(sourceId, 'rateLimited', `gossip on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    if (!perOrigin.take(origin, t)) {
      // Relays of a flooder's messages are not at fault; the flooder is, when it is the sender.
      if (origin !== sourceId) return TopicValidatorResult.Ignore;
      d.penalize(sourceId, 'rateLimited', `own gossip on ${msg.topic}`);
      return TopicValidatorResult.Reject;
    }
    const checks = d.topicChecks?.(msg.topic);
    if (checks === undefined || checks.size === 0) return TopicValidatorResult.Accept;
    const m = { from: origin, data: msg.data, topic: msg.topic };
    let result: TopicValidatorResult = TopicValidatorResult.Accept;
    for (const check of checks) {
      let verdict: TopicValidatorResult;
      try {
        verdict = VERDICTS[check(m)];
      } catch (err) {
        d.warn?.('gossip check failed', { topic: msg.topic, error: (err as Error).message });
        verdict = TopicValidatorResult.Ignore;
      }
      if (verdict === TopicValidatorResult.Reject) return verdict;
      if (verdict === TopicValidatorResult.Ignore) result = verdict;
    }
    return result;
  };
}
