// The maker's side of the order network, from its parts: posting a limit order (maker-post.ts),
// keeping it listed, canceling it and reposting what a failed take gave back (maker-listing.ts),
// and answering takers until the service node's hold starts the swap (maker-accepts.ts).
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { ORDER_PROTOCOLS } from '../../src-shared/protocol/orders.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { ServiceNodeRegistry } from '../servicenode/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { createAccepts, type HeldStart } from './maker-accepts.ts';
import { createListing } from './maker-listing.ts';
import { createPosting, type LimitSpec } from './maker-post.ts';
import type { NetworkBook } from './network-book.ts';
import type { SeqCounter } from './net.ts';
import type { OrderRecord, RecordStore } from './records.ts';

export type { LimitSpec };

export interface MakerDeps {
  coins: CoinTable;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'utxos' | 'feeEstimate'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest' | 'request'>;
  book: NetworkBook;
  registry: Pick<ServiceNodeRegistry, 'serving'>;
  swaps?: Pick<SwapEngine, 'startSwap'>;
  records: RecordStore;
  seq: SeqCounter;
  log: Logger;
  now: () => number;
  keepaliveMs: number;
  orderLifetimeMs: number;
  holdTimeoutMs: number;
  /** How long a taker agrees to our swap after its take (orders.swapStartMs). */
  swapStartMs?: number;
  /** Frees a held order's backing coins before its swap starts (CoinLocks.reconcile). */
  freeBacking?: () => Promise<void>;
  /** Coins reserved by this node's other open orders (so one coin never backs two orders). */
  reservedOutpoints: () => ReadonlySet<string>;
  /** Coin preparation for orders made with prepareCoins (docs/orders.md §10). */
  prepare?: (ticker: string, amount: bigint) => Promise<{ coin: { outpoint: string; amount: bigint } | null }>;
  /** Test hook: a SIGKILL at a named step (docs/orders.md §9). */
  crashAt?: (point: string) => void;
}

export interface Maker {
  start(): Promise<void>;
  stop(): void;
  place(spec: LimitSpec): Promise<OrderRecord>;
  cancel(id: string): Promise<OrderRecord>;
  /** Announces this node's live orders again (after a restart, or when their service node came back). */
  reannounce(): void;
  /** A fill of one of our orders failed before coins were locked: offer its amount again. */
  release(recId: string, holdId: string): void;
  /** After a restart: starts the swap of a stored hold that never got one. */
  startHeld(recId: string, holdId: string, wait: boolean): Promise<HeldStart>;
}

export function createMaker(d: MakerDeps): Maker {
  const { place } = createPosting(d);
  let started = false;
  const listing = createListing({ ...d, place, running: () => started });
  const accepts = createAccepts({ ...d, release: listing.release });
  const unsubs: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      await d.p2p.handleRequest(ORDER_PROTOCOLS.accept, (req, ctx) => accepts.onAccept(req, ctx.peerId), {
        overRelay: true,
      });
      unsubs.push(
        d.book.onEvent((e) => {
          if (e.type === 'held') accepts.onHeld(e);
          else if (e.type === 'removed') listing.onRemoved(e);
        }),
      );
      timer = setInterval(listing.sendKeepalives, d.keepaliveMs);
      timer.unref();
      accepts.resumeAcks();
      started = true;
      listing.reannounce();
    },
    stop() {
      started = false;
      clearInterval(timer);
      accepts.stop();
      for (const u of unsubs.splice(0)) u();
    },
    place,
    cancel: listing.cancel,
    reannounce: listing.reannounce,
    release: listing.release,
    startHeld: accepts.startHeld,
  };
}
