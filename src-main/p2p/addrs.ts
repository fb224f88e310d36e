// Peer addresses and ids from callers and config, checked before libp2p sees them: a bad one is a
// clear INVALID_PARAMS or CONFIG_INVALID, never a libp2p exception.
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import type { PeerId } from '@libp2p/interface';
import { ApiError } from '../../src-shared/api/errors.ts';

export function parseAddr(addr: string): Multiaddr {
  try {
    return multiaddr(addr);
  } catch {
    throw new ApiError('INVALID_PARAMS', `"${addr.slice(0, 200)}" is not a peer address (multiaddr).`);
  }
}

/** The peer an address leads to: its last /p2p part (a circuit address names its relay first). */
export function targetOf(ma: Multiaddr): string | undefined {
  return ma
    .getComponents()
    .filter((c) => c.name === 'p2p')
    .at(-1)?.value;
}

export function parsePeerId(peerId: string): PeerId {
  try {
    return peerIdFromString(peerId);
  } catch {
    throw new ApiError('INVALID_PARAMS', `"${peerId.slice(0, 100)}" is not a peer id.`);
  }
}

export function checkBootstrapAddr(addr: string): void {
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
