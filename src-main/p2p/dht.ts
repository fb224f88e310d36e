// Content routing on the DHT: announcing that this node serves a key (a community topic, an
// identity) and finding the peers that do. Keys become raw-codec CIDs of their SHA-256.
import type { Libp2p } from 'libp2p';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import { create as createDigest } from 'multiformats/hashes/digest';
import type { P2pHost, P2pLog } from './host-types.ts';
import type { P2pLimits } from './limits.ts';

function keyCid(key: Uint8Array): CID {
  return CID.createV1(0x55, createDigest(0x12, sha256(key)));
}

export function createDht(d: {
  started: () => Libp2p;
  limits: P2pLimits;
  selfId: string;
  isBanned: (peerId: string) => boolean;
  log: P2pLog;
}): Pick<P2pHost, 'provide' | 'findProviders'> {
  return {
    async provide(key) {
      await d.started().contentRouting.provide(keyCid(key), { signal: AbortSignal.timeout(d.limits.requestTimeoutMs) });
    },
    async findProviders(key, opts) {
      const n = d.started();
      const found: Array<{ peerId: string; addrs: string[] }> = [];
      const signal = AbortSignal.timeout(opts?.timeoutMs ?? d.limits.requestTimeoutMs);
      try {
        for await (const p of n.contentRouting.findProviders(keyCid(key), { signal })) {
          const id = p.id.toString();
          if (id === d.selfId || d.isBanned(id) || found.some((f) => f.peerId === id)) continue;
          found.push({ peerId: id, addrs: p.multiaddrs.map((a) => a.toString()) });
          if (found.length >= (opts?.limit ?? 20)) break;
        }
      } catch (err) {
        // Running out of time or of DHT peers ends the search with what was found.
        if (!signal.aborted) d.log.info('DHT provider search ended early', { error: (err as Error).message });
      }
      return found;
    },
  };
}
