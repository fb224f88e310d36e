// The service-node role as a whole: a coin it is configured with that the network does not have
// is refused before anything is announced, and every trade record stored (the internal fact
// 'trade.recorded') marks the hold it names as traded, until the role stops.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { signedOrder, TXID_A } from '../../src-shared/orders/testkit.ts';
import { createInternalBus } from '../kernel/bus.ts';
import { silentLogger } from '../kernel/log.ts';
import { openTestStore } from '../core/test-store.ts';
import { DEVNET } from '../orders/testkit.ts';
import '../history/facts.ts';
import { createServiceNodeRepo } from './repo.ts';
import { createServiceNodeRole, type ServiceNodeRoleDeps } from './service.ts';

const CONFIG: ServiceNodeRoleDeps['config'] = {
  collateral: { ticker: 'DEVA', txid: TXID_A, vout: 0 },
  fee: { ticker: 'DEVB', amount: '0.001' },
  announceMs: 60_000,
};

function role(config = CONFIG) {
  const repo = createServiceNodeRepo(openTestStore());
  const bus = createInternalBus();
  const handled: string[] = [];
  const r = createServiceNodeRole({
    config,
    coins: DEVNET,
    // Locked: it registers nothing, so the test needs no chain.
    vault: {
      status: () => 'locked',
      onStateChange: () => () => {},
      networkPublicKey: () => new Uint8Array(33),
      signNetworkDigest: () => new Uint8Array(64),
    },
    wallets: { rpc: () => ({}) as never, newAddress: async () => ({ address: 'x' }), isConfigured: () => true },
    p2p: {
      peerId: 'sn-peer',
      publish: async () => ({ recipients: 0 }),
      handleRequest: async (protocol) => void handled.push(protocol),
    },
    registry: {} as never,
    book: {} as never,
    repo,
    bus,
    log: silentLogger,
    now: () => 1,
  });
  return { r, repo, bus, handled };
}

const trade = (id: string) => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'buy' as const,
  price: '0.25',
  baseAmount: '1',
  quoteAmount: '0.25',
  time: 1,
  orderId: 'o',
  mine: false,
  txids: [],
  verified: 'pending' as const,
});

describe('the service-node role', () => {
  it('refuses a coin the network does not have when it is built', () => {
    const bad = () => role({ ...CONFIG, coins: ['DEVA', 'BTC'] });
    expect(bad).toThrow(ApiError);
    expect(bad).toThrow('The service node is configured with BTC, which this network does not have.');
    expect(() => role({ ...CONFIG, fee: { ticker: 'LTC', amount: '1' } })).toThrow(/configured with LTC/);
  });

  it("marks its hold traded when the trade's record is stored, and stops listening when stopped", async () => {
    const { r, repo, bus, handled } = role();
    const order = signedOrder();
    repo.addHold({ holdId: 'hold-1', orderId: order.id, feeTxid: 'f1', hold: {} });
    repo.addHold({ holdId: 'hold-2', orderId: order.id, feeTxid: 'f2', hold: {} });
    await r.start();
    expect(handled).toHaveLength(2);
    bus.emit('trade.recorded', trade('hold-1'));
    bus.emit('trade.recorded', trade('not-ours'));
    r.stop();
    bus.emit('trade.recorded', trade('hold-2'));
    const status = Object.fromEntries(repo.holds().map((h) => [h.holdId, [h.status, h.tradeId]]));
    expect(status).toEqual({ 'hold-1': ['traded', 'hold-1'], 'hold-2': ['held', null] });
  });
});
