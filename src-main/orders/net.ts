// Plumbing the order network's services share: signers backed by the vault's order and
// service-node keys, per-sender sequence numbers, gossip decoding by message type, and the score
// that cuts off peers who send invalid order messages (docs/protocol.md §5 and §7).
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import {
  MAX_ORDER_MESSAGE_BYTES,
  encodeOrderMessage,
  messageTypeOf,
  type OrderMessageType,
} from '../../src-shared/protocol/orders.ts';
import { offenceFor, type RefusalReason } from '../../src-shared/orders/validate.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import { peerFailure, type P2pHost } from '../p2p/index.ts';
import type { NetworkKey, Vault } from '../vault/index.ts';

/** A Signer over one of the vault's order-network keys; it signs only while the vault is unlocked. */
export function vaultSigner(vault: Pick<Vault, 'networkPublicKey' | 'signNetworkDigest'>, kind: NetworkKey): Signer {
  return { publicKey: bytesToHex(vault.networkPublicKey(kind)), signDigest: (d) => vault.signNetworkDigest(kind, d) };
}

/** Sequence numbers that rise with time and survive restarts without storage: max(last + 1, now). */
export class SeqCounter {
  #last = 0;
  readonly #now: () => number;
  constructor(now: () => number) {
    this.#now = now;
  }
  next(): number {
    this.#last = Math.max(this.#last + 1, this.#now());
    return this.#last;
  }
}

/** The message type of a gossip payload, or why it cannot be one (checked before anything else). */
export function gossipType(
  data: Uint8Array,
  allowed: readonly OrderMessageType[],
): { ok: true; type: OrderMessageType } | { ok: false; reason: 'oversize' | 'malformed' } {
  if (data.length > MAX_ORDER_MESSAGE_BYTES) return { ok: false, reason: 'oversize' };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const type = messageTypeOf(raw);
  return type && allowed.includes(type) ? { ok: true, type } : { ok: false, reason: 'malformed' };
}

const RETRYABLE = new Set(['unreachable', 'reset', 'timeout']);

/**
 * A request sent again when it may not have arrived (no connection, reset, no answer): the
 * order-network handlers answer a repeated accept, take or sign request the same way.
 */
export async function requestWithRetry(
  p2p: Pick<P2pHost, 'request'>,
  peerId: string,
  protocol: string,
  body: unknown,
  opts: { timeoutMs: number; attempts?: number; overRelay?: boolean },
): Promise<unknown> {
  const attempts = opts.attempts ?? 3;
  for (let i = 1; ; i++) {
    try {
      return await p2p.request(peerId, protocol, body, {
        timeoutMs: opts.timeoutMs,
        overRelay: opts.overRelay === true,
      });
    } catch (err) {
      const failure = peerFailure(err);
      if (i >= attempts || !failure || !RETRYABLE.has(failure.reason)) throw err;
      await sleep(300 * i);
    }
  }
}

/** Publishes an order-network message: how many peers it went to (0 when the publish failed, logged). */
export async function publishMessage(
  p2p: Pick<P2pHost, 'publish'>,
  topic: string,
  msg: { type: OrderMessageType },
  log: Logger,
): Promise<number> {
  try {
    return (await p2p.publish(topic, encodeOrderMessage(msg))).recipients;
  } catch (err) {
    log.warn('could not publish an order-network message', { type: msg.type, topic, error: errorText(err) });
    return 0;
  }
}

/** How often, and how many times, a message nobody received is published again. */
export const UNHEARD_RETRY_MS = 2_000;
export const UNHEARD_TRIES = 15;

/**
 * Publishes until at least one peer receives the message: a node that has just started (or just
 * got its first connection) knows no peer on the topic until gossipsub has exchanged
 * subscriptions, and a publish then reaches nobody without failing. Tried again every
 * UNHEARD_RETRY_MS, at most UNHEARD_TRIES times, while `wanted()` (the order is still live, the
 * node still running). True once a peer got it.
 */
export async function publishUntilHeard(
  p2p: Pick<P2pHost, 'publish'>,
  topic: string,
  msg: { type: OrderMessageType },
  log: Logger,
  wanted: () => boolean,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<boolean> {
  for (let i = 0; i < UNHEARD_TRIES && wanted(); i++) {
    if (i > 0) await wait(UNHEARD_RETRY_MS);
    if (!wanted()) return false;
    if ((await publishMessage(p2p, topic, msg, log)) > 0) return true;
  }
  return false;
}

export interface PeerScorer {
  /** Counts a refusal against the peer that sent it; honest-looking refusals (offenceFor null) cost nothing. */
  refused(peerId: string, reason: RefusalReason, detail: string): void;
  /** Order spam over the per-peer budget. */
  flooding(peerId: string, detail: string): void;
}

/**
 * Order-network refusals as offences on the p2p host's one count per peer (docs/p2p.md): enough
 * invalid order messages and the host bans the peer, which disconnects and refuses it.
 */
export function createPeerScorer(d: { p2p: Pick<P2pHost, 'penalize'> }): PeerScorer {
  return {
    refused(peerId, reason, detail) {
      const offence = offenceFor(reason);
      if (offence) d.p2p.penalize(peerId, offence, `order network: ${reason}: ${detail}`);
    },
    flooding(peerId, detail) {
      d.p2p.penalize(peerId, 'rateLimited', `order network: ${detail}`);
    },
  };
}
