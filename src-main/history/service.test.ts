// Trade gossip is checked inside gossipsub's validation (issue 9 item 6: "a record is checked
// before it is relayed"): what the check refuses is never forwarded nor stored, and its sender is
// scored; a record that passes is forwarded and stored (after its chain check, where this node can).
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../../src-shared/protocol/reqres.ts';
import { ARRIVAL, STRANGER, TAKER } from '../../src-shared/orders/testkit.ts';
import { createInternalBus } from '../kernel/bus.ts';
import { silentLogger } from '../kernel/log.ts';
import { waitFor } from '../kernel/time.ts';
import { openTestStore } from '../core/test-store.ts';
import { DEVNET } from '../orders/testkit.ts';
import type { GossipCheck } from '../p2p/index.ts';
import './facts.ts';
import { createTradeRepo } from './repo.ts';
import { createTradeHistory } from './service.ts';
import { tradeFields, tradeWire } from './testkit.ts';
import { assembleTradeRecord, signTradeRecord } from '../../src-shared/history/record.ts';

async function setup() {
  let check: GossipCheck | undefined;
  let delivered = 0;
  const scored: string[] = [];
  const history = createTradeHistory({
    p2p: {
      peerId: 'me',
      subscribe: (_topic, handler, opts) => {
        check = (m) => {
          const verdict = opts!.check!(m);
          if (verdict === 'accept') {
            delivered += 1;
            handler(m);
          }
          return verdict;
        };
        return () => undefined;
      },
      publish: async () => ({ recipients: 0 }),
      handleRequest: async () => undefined,
      request: async () => {
        throw new Error('not asked here');
      },
    },
    log: silentLogger,
    now: () => ARRIVAL,
    repo: createTradeRepo(openTestStore()),
    coins: DEVNET,
    bus: createInternalBus(),
    scorer: { refused: (peer, reason) => void scored.push(`${peer}:${reason}`), flooding: () => undefined },
    chains: () => null,
    signer: () => null,
    makerCheck: () => 'not asked here',
  });
  await history.start();
  const gossip = (wire: unknown, from = 'peer-1') => check!({ from, data: encodeJson(wire), topic: 't' } as never);
  return { history, gossip, scored, delivered: () => delivered };
}

/** The hold a record's fields name, as the book saw it. */
const bindingOf = (f: ReturnType<typeof tradeFields>) => ({
  orderId: f.orderId,
  maker: f.maker,
  taker: f.taker,
  serviceNode: f.serviceNode,
  baseAmount: f.baseAmount,
  quoteAmount: f.quoteAmount,
});

describe('trade records from gossip are checked before they are forwarded', () => {
  it('a record both parties signed, for the hold this node saw, passes and is stored', async () => {
    const s = await setup();
    s.history.noteHold(tradeFields().tradeId, bindingOf(tradeFields()));
    expect(s.gossip(tradeWire())).toBe('accept');
    await waitFor(() => s.history.fills({}).length > 0, { timeoutMs: 2000, intervalMs: 5, what: 'the record stored' });
    expect(s.history.fills({}).map((f) => f.id)).toEqual([tradeFields().tradeId]);
    expect(s.scored).toEqual([]);
  });

  it('a record signed by throwaway keys for a hold this node saw is rejected: not stored, not forwarded, sender scored', async () => {
    const s = await setup();
    const f = tradeFields({ maker: STRANGER.pubkey });
    s.history.noteHold(f.tradeId, bindingOf(tradeFields()));
    const forged = assembleTradeRecord(f, signTradeRecord(f, STRANGER.signer), signTradeRecord(f, TAKER.signer));
    expect(s.gossip(forged, 'forger')).toBe('reject');
    expect(s.history.fills({})).toEqual([]);
    expect(s.delivered()).toBe(0);
    expect(s.scored).toEqual(['forger:forged-maker-sig']);
  });

  it('a record with a broken signature, or not a trade record at all, is rejected', async () => {
    const s = await setup();
    const wire = tradeWire();
    const broken = { ...wire, makerSig: (wire.takerSig as string) ?? '00' };
    expect(s.gossip(broken, 'x')).toBe('reject');
    expect(s.gossip({ type: 'order.cancel' }, 'y')).toBe('reject');
    expect(s.history.fills({})).toEqual([]);
    expect(s.scored).toHaveLength(2);
  });
});
