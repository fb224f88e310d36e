import { describe, expect, it } from 'vitest';
import { formatBytes, formatStatus } from './status.ts';

describe('hashlock node status', () => {
  it('prints peers by score, traffic per protocol, messages and store per domain, and latencies', () => {
    const text = formatStatus(
      { version: '0.1.0', network: 'devnet', role: 'trader', peerId: '12D3KooSelf', uptimeSec: 42 },
      {
        at: 0,
        sampling: { enabled: true, intervalSec: 10 },
        banThreshold: 100,
        peers: [
          { peerId: '12D3KooGood', score: 0, latencyMs: 3.2, direction: 'outbound' },
          { peerId: '12D3KooBad', score: 55.5, direction: 'inbound' },
        ],
        families: [
          {
            name: 'hashlock_p2p_traffic_bytes_total',
            help: '',
            type: 'counter',
            series: [
              { labels: { protocol: 'gossip:orders', direction: 'in' }, value: 2048 },
              { labels: { protocol: 'gossip:orders', direction: 'out' }, value: 100 },
            ],
          },
          {
            name: 'hashlock_p2p_messages_received_total',
            help: '',
            type: 'counter',
            series: [{ labels: { domain: 'orders' }, value: 17 }],
          },
          {
            name: 'hashlock_store_bytes',
            help: '',
            type: 'gauge',
            series: [{ labels: { domain: 'swaps' }, value: 8192 }],
          },
          {
            name: 'hashlock_swaps_step_seconds',
            help: '',
            type: 'summary',
            series: [
              { labels: { step: 'funded', quantile: '0.5' }, value: 1.25 },
              { labels: { step: 'funded', quantile: '0.9' }, value: 2 },
              { labels: { step: 'funded' }, value: 9, suffix: '_count' },
            ],
          },
        ],
      },
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Hashlock 0.1.0 on devnet (trader), up 42 s');
    expect(lines.findIndex((l) => l.includes('12D3KooBad'))).toBeLessThan(
      lines.findIndex((l) => l.includes('12D3KooGood')),
    );
    expect(text).toContain('peers (2; ban at 100 points)');
    expect(text).toMatch(/gossip:orders\s+in\s+2\.0 KiB\s+out\s+100 B/);
    expect(text).toMatch(/orders\s+17/);
    expect(text).toMatch(/swaps\s+8\.0 KiB/);
    expect(text).toMatch(/hashlock_swaps_step_seconds funded\s+1\.250 \/ 2\.000/);
  });

  it('writes byte counts in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
  });
});
