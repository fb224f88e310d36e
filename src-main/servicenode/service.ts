// The service-node role (`hashlock servicenode`): its presence on the network (registration with
// a signed proof of its collateral, heartbeats naming its coins and taker fee: presence.ts), and
// its answers to makers and takers (order signatures and holds: holds.ts). It hears every trade
// record stored as the internal fact 'trade.recorded' and marks the hold it names as traded
// (docs/protocol.md §4, §8).
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import { ORDER_PROTOCOLS } from '../../src-shared/protocol/orders.ts';
import type { ServiceNodeConfig } from './config.ts';
import type { InternalBus } from '../kernel/bus.ts';
import type { Logger } from '../kernel/log.ts';
import '../history/facts.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import type { NetworkBook } from '../orders/index.ts';
import { SeqCounter } from '../orders/index.ts';
import { createHolds } from './holds.ts';
import { createPresence } from './presence.ts';
import type { ServiceNodeRegistry } from './registry.ts';
import type { ServiceNodeRepo } from './repo.ts';

export interface ServiceNodeRoleDeps {
  config: ServiceNodeConfig;
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'onStateChange' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'isConfigured'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest'>;
  registry: ServiceNodeRegistry;
  book: NetworkBook;
  repo: ServiceNodeRepo;
  /** 'trade.recorded' is heard here. */
  bus: Pick<InternalBus, 'on'>;
  log: Logger;
  now: () => number;
  /** How long a take waits for the fee transaction to show up on the service node's daemon. */
  feeWaitMs?: number;
}

export interface ServiceNodeRole {
  start(): Promise<void>;
  stop(): void;
  /** The key it registered, once registered. */
  pubkey(): string | null;
  /** A trade record for one of our holds arrived: the trade went through. */
  traded(holdId: string): void;
}

export function createServiceNodeRole(d: ServiceNodeRoleDeps): ServiceNodeRole {
  const cfg = d.config;
  const seq = new SeqCounter(d.now);
  const unsubs: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  // A misconfigured coin is refused when the role is built, before anything is announced.
  const coinOf = (t: string) => {
    const c = d.coins.find(t);
    if (!c)
      throw new ApiError(
        'CONFIG_INVALID',
        `The service node is configured with ${t}, which this network does not have.`,
      );
    return c;
  };
  const feeCoin = coinOf(cfg.fee.ticker);
  const feeAmount = parseAmount(cfg.fee.amount, feeCoin.decimals);
  const coins = cfg.coins ?? [...d.coins.tickers];
  for (const t of coins) coinOf(t);
  const served = () => coins.filter((t) => d.wallets.isConfigured(t));

  const presence = createPresence({ ...d, seq, coinOf, coins, served, feeAmount });
  const holds = createHolds({
    ...d,
    seq,
    coinOf,
    served,
    signer: presence.signer,
    fee: { coin: feeCoin, amount: feeAmount, address: presence.feeAddress },
    feeWaitMs: d.feeWaitMs ?? 10_000,
  });
  const traded = (holdId: string) => {
    if (d.repo.markTraded(holdId, holdId)) d.log.info('trade seen through', { holdId });
  };

  return {
    async start() {
      // Small and time-critical: they run over a relayed connection too (docs/p2p.md).
      await d.p2p.handleRequest(ORDER_PROTOCOLS.sign, (req, ctx) => holds.onSign(req, ctx.peerId), { overRelay: true });
      await d.p2p.handleRequest(ORDER_PROTOCOLS.take, (req, ctx) => holds.onTake(req, ctx.peerId), { overRelay: true });
      unsubs.push(
        d.vault.onStateChange((state) => {
          if (state === 'unlocked') void presence.heartbeat();
          else presence.forget();
        }),
      );
      timer = setInterval(() => void presence.heartbeat(), cfg.announceMs);
      timer.unref();
      void presence.heartbeat();
      unsubs.push(d.bus.on('trade.recorded', (trade) => traded(trade.id)));
    },
    stop() {
      presence.stop();
      clearInterval(timer);
      for (const u of unsubs.splice(0)) u();
    },
    pubkey: () => presence.signer()?.publicKey ?? null,
    traded,
  };
}
