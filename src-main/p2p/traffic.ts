// The host's own traffic counts: payload bytes in and out per protocol (gossip folded per domain)
// and messages received per domain. libp2p's metrics would also count its own protocols
// (identify, kad, gossipsub control), but need prom-client; these are the figures the node's
// domains are responsible for, read by the metrics module (docs/metrics.md).
import { protocolDomain, protocolLabel } from '../../src-shared/metrics/model.ts';

export interface TrafficCounts {
  bytes(kind: 'gossip' | 'request', protocol: string, direction: 'in' | 'out', n: number): void;
  /** One message (a gossip delivered or a request served) from the network. */
  message(protocol: string): void;
  snapshot(): {
    bytes: Array<{ protocol: string; direction: 'in' | 'out'; value: number }>;
    messages: Array<{ domain: string; value: number }>;
  };
}

export function createTrafficCounts(): TrafficCounts {
  const bytes = new Map<string, { protocol: string; direction: 'in' | 'out'; value: number }>();
  const messages = new Map<string, number>();
  return {
    bytes(kind, protocol, direction, n) {
      const label = protocolLabel(kind, protocol);
      const key = `${label} ${direction}`;
      const entry = bytes.get(key);
      if (entry) entry.value += n;
      else bytes.set(key, { protocol: label, direction, value: n });
    },
    message(protocol) {
      const domain = protocolDomain(protocol);
      messages.set(domain, (messages.get(domain) ?? 0) + 1);
    },
    snapshot: () => ({
      bytes: [...bytes.values()].map((b) => ({ ...b })),
      messages: [...messages].map(([domain, value]) => ({ domain, value })),
    }),
  };
}
