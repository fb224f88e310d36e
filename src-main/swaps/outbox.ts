// Messages to the counterparty: a per-swap outbox delivered in order over an open connection (or
// after redialing the addresses the swap recorded), retried with backoff until the peer takes it.
// A peer's refusal drops the message (a refused proposal ends the swap, in the peer's words); a
// peer that broke the protocol is banned once our abort had its chance to go out.
import { refusalEvent } from '../../src-shared/swaps/rules.ts';
import { encodeSwapMessage } from '../../src-shared/swaps/messages.ts';
import { isTerminal, type SwapEvent, type SwapMessage } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep as realSleep } from '../kernel/time.ts';
import type { P2pHost } from '../p2p/index.ts';
import { peerFailure, peerRequestError } from '../p2p/index.ts';
import type { Background, Live } from './durable.ts';
import { SWAP_PROTOCOL } from './protocol.ts';

export interface OutboxDeps {
  p2p: Pick<P2pHost, 'request' | 'ban' | 'peers' | 'dial' | 'knownAddrs' | 'lookupAddrs'>;
  log: Logger;
  background: Background;
  isRunning(): boolean;
  /** Feeds an event to the swap through its queue (the peer refused our proposal). */
  send(live: Live, event: SwapEvent): Promise<unknown>;
  /** Nothing waits to be sent any more: a finished swap may be retired. */
  settle(live: Live): void;
  /** How long a peer that broke the protocol is refused; default the p2p host's. */
  banMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface Outbox {
  /** Queues a message and starts delivering. */
  push(live: Live, message: SwapMessage): void;
  /** Delivers what is queued; one delivery per swap at a time. */
  pump(live: Live): Promise<void>;
  /** Messages wait or are being sent. */
  busy(live: Live): boolean;
  /** Bans the peer for `reason` once everything queued (the abort) had its chance to go out. */
  punishAfterSend(live: Live, reason: string): void;
  /** Bans a peer that broke the protocol now. */
  breach(peerId: string, reason: string): Promise<void>;
  /**
   * Connected to the peer now, or after dialling what it advertises (direct, then its circuits):
   * a maker starting the swap of a hold may have lost the taker's relayed connection meanwhile.
   */
  reach(peerId: string): Promise<boolean>;
  /** Multiaddrs (without /p2p) the peer is connected on now: kept in the swap for redialing later. */
  addrsOf(peerId: string): string[];
}

/** Remote answers after which resending the same message is pointless. */
const FINAL_SEND_FAILURES = new Set(['remote', 'unsupported', 'too-large', 'bad-response', 'banned']);
/** After the swap ended, a vanished peer gets this many tries (for the abort notice), then nothing more. */
const TRIES_AFTER_END = 4;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ADDRS = 8;

interface Box {
  readonly messages: SwapMessage[];
  sending: boolean;
  /** A protocol breach to punish once the abort message had its chance to go out. */
  banAfterSend?: string;
}

/**
 * The peer's own words from a refusal: the message after the p2p layer's "refused the request:"
 * prefix; a peer without the protocol "does not take part in swaps".
 */
export function refusalWords(err: Error): string {
  if (peerFailure(err)?.reason === 'unsupported') return 'it does not take part in swaps';
  const marker = 'refused the request: ';
  const at = err.message.indexOf(marker);
  return at >= 0 ? err.message.slice(at + marker.length) : err.message;
}

const isConnected = (p2p: OutboxDeps['p2p'], peerId: string): boolean => p2p.peers().some((p) => p.peerId === peerId);

/** A peer none of whose addresses answers is looked up on the DHT at most this often. */
const LOOKUP_EVERY_MS = 60_000;

/** When each peer was last looked up on the DHT. */
interface Lookups {
  readonly last: Map<string, number>;
  readonly now: () => number;
}

/**
 * Messages go only over an open connection, redialing the peer when there is none: at what it
 * advertises now (its direct addresses, then its circuits on each relay it holds a reservation on,
 * so a relay that went away is replaced by its other one), then at what the swap recorded; when
 * none of those answers (the peer restarted on other addresses, or behind other relays), at what
 * the DHT says it has now, at most once a minute per peer (`lookups`). Never a dial by bare peer
 * id: with no address known, libp2p 3.3 starts a peer routing lookup whose dial never ends, and
 * every later dial to that peer joins it.
 */
async function reach(
  p2p: OutboxDeps['p2p'],
  peerId: string,
  peerAddrs: readonly string[] | undefined,
  lookups: Lookups,
): Promise<boolean> {
  if (isConnected(p2p, peerId)) return true;
  const known = await p2p.knownAddrs(peerId).catch(() => []);
  const bare = (a: string) => (a.endsWith(`/p2p/${peerId}`) ? a.slice(0, -`/p2p/${peerId}`.length) : a);
  const tried = new Set([...known, ...(peerAddrs ?? [])].map(bare));
  const dial = async (addrs: readonly string[]): Promise<boolean> => {
    if (addrs.length === 0) return false;
    try {
      await p2p.dial(addrs.slice(0, 16).map((a) => `${a}/p2p/${peerId}`));
      return true;
    } catch {
      return false;
    }
  };
  if (await dial([...tried])) return true;
  const last = lookups.last.get(peerId);
  if (last === undefined || lookups.now() - last >= LOOKUP_EVERY_MS) {
    lookups.last.set(peerId, lookups.now());
    const found = (await p2p.lookupAddrs(peerId).catch(() => [])).map(bare).filter((a) => !tried.has(a));
    if (await dial(found)) return true;
  }
  // wait for the peer (or its bootstrap) to connect to us, or for the next try
  return isConnected(p2p, peerId);
}

/** Tries the first message once: sent, dropped (the peer refused it for good), or failed (try again later). */
async function deliverFirst(
  d: OutboxDeps,
  live: Live,
  box: Box,
  lookups: Lookups,
): Promise<'sent' | 'dropped' | 'failed'> {
  const m = box.messages[0]!;
  try {
    if (!(await reach(d.p2p, live.context.peerId, live.context.peerAddrs, lookups)))
      throw peerRequestError('unreachable', `not connected to ${live.context.peerId}`);
    // Swap messages are small: they run over a relayed connection too (docs/p2p.md).
    await d.p2p.request(live.context.peerId, SWAP_PROTOCOL, encodeSwapMessage(m), {
      timeoutMs: REQUEST_TIMEOUT_MS,
      overRelay: true,
    });
    box.messages.shift();
    return 'sent';
  } catch (err) {
    const failure = peerFailure(err);
    const reason = failure?.reason ?? 'error';
    if (!FINAL_SEND_FAILURES.has(reason)) return 'failed';
    d.log.info('the peer did not take a swap message', { swapId: live.id, type: m.type, reason: errorText(err) });
    box.messages.shift();
    if (reason === 'remote' || reason === 'unsupported') {
      const refusal = refusalEvent(m, refusalWords(err as Error));
      if (refusal) await d.send(live, refusal);
    }
    return 'dropped';
  }
}

export function createOutbox(d: OutboxDeps): Outbox {
  const boxes = new WeakMap<Live, Box>();
  const sleep = d.sleep ?? realSleep;
  const lookups: Lookups = { last: new Map(), now: d.now ?? Date.now };
  const boxOf = (live: Live): Box => {
    let box = boxes.get(live);
    if (!box) boxes.set(live, (box = { messages: [], sending: false }));
    return box;
  };

  async function pump(live: Live): Promise<void> {
    const box = boxOf(live);
    if (box.sending) return;
    box.sending = true;
    let failures = 0;
    try {
      while (d.isRunning() && box.messages.length > 0) {
        const outcome = await deliverFirst(d, live, box, lookups);
        if (outcome === 'sent') failures = 0;
        if (outcome !== 'failed') continue;
        failures += 1;
        if (isTerminal(live.state) && failures >= TRIES_AFTER_END) {
          box.messages.shift();
          failures = 0;
          continue;
        }
        await sleep(Math.min(250 * 2 ** failures, 5000));
      }
    } finally {
      box.sending = false;
    }
    if (box.banAfterSend !== undefined && box.messages.length === 0) await punish(live);
    d.settle(live);
  }

  async function punish(live: Live): Promise<void> {
    const box = boxOf(live);
    const reason = box.banAfterSend;
    if (reason === undefined) return;
    delete box.banAfterSend;
    await breach(live.context.peerId, reason);
  }

  async function breach(peerId: string, reason: string): Promise<void> {
    d.log.warn('peer broke the swap protocol; refusing it for a while', { peerId, reason });
    try {
      await d.p2p.ban(peerId, `swap protocol: ${reason}`, d.banMs);
    } catch (err) {
      d.log.warn('could not ban the peer', { peerId, error: errorText(err) });
    }
  }

  return {
    push(live, message) {
      boxOf(live).messages.push(message);
      d.background(pump(live), 'sending', live.id);
    },
    pump,
    busy(live) {
      const box = boxes.get(live);
      return box !== undefined && (box.sending || box.messages.length > 0);
    },
    punishAfterSend(live, reason) {
      const box = boxOf(live);
      box.banAfterSend = reason;
      if (!box.sending && box.messages.length === 0) d.background(punish(live), 'ban', live.id);
    },
    breach,
    reach: (peerId) => reach(d.p2p, peerId, undefined, lookups),
    addrsOf(peerId) {
      const peer = d.p2p.peers().find((p) => p.peerId === peerId);
      return [...new Set((peer?.addrs ?? []).map((a) => a.replace(/\/p2p\/[^/]+$/, '')))].slice(0, MAX_ADDRS);
    },
  };
}
