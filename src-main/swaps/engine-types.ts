// The swap engine's public surface: what the composition root gives it (SwapEngineDeps) and what
// the API and the order network call (SwapEngine). engine.ts re-exports all of it.
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { Logger } from '../kernel/log.ts';
import type { ChainWatcher, ChainWatcherOptions } from '../chain/watcher.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import type { SwapRepo } from './repo.ts';

export interface SwapLeg {
  readonly ticker: string;
  readonly amount: bigint;
}

export interface StartSwapInput {
  readonly peerId: string;
  /** What this node (the maker) locks. */
  readonly sell: SwapLeg;
  /** What it receives. */
  readonly buy: SwapLeg;
  /** The order network passes its hold id; a direct swap gets a random one. */
  readonly swapId?: string;
  readonly orderId?: string;
}

export interface AllowInput {
  readonly peerId: string;
  /** What this node (the taker) would lock. */
  readonly sell: SwapLeg;
  readonly buy: SwapLeg;
  readonly ttlMs?: number;
}

export interface SwapEngineStats {
  cpuUserMicros: number;
  cpuSystemMicros: number;
  liveSwaps: number;
}

export interface SwapEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a swap as the maker: makes the secret, proposes, and locks first once the peer accepts. */
  startSwap(p: StartSwapInput): Promise<SwapSummary>;
  /** Agrees in advance to one proposal from `peerId` with exactly these amounts (this node is the taker). */
  allow(p: AllowInput): { expiresAt: number };
  abort(swapId: string, reason?: string): Promise<SwapSummary>;
  list(): SwapSummary[];
  get(swapId: string): SwapDetail;
  /** Coins committed to unfinished swaps that are not yet paid into an HTLC. */
  lockedAmount(ticker: string): bigint;
  /** The user's fee cap on a coin, sat/vB (undefined: none set, the coin's own applies). */
  feeCap(ticker: string): bigint | undefined;
  stats(): SwapEngineStats;
}

export interface SwapEngineDeps {
  coins: readonly CoinParams[];
  repo: SwapRepo;
  settings: SettingsRepo;
  vault: Pick<Vault, 'status' | 'swapPublicKey' | 'signSwapDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'balanceUnits' | 'feeEstimate'>;
  p2p: Pick<
    P2pHost,
    'peerId' | 'handleRequest' | 'request' | 'ban' | 'isBanned' | 'peers' | 'dial' | 'knownAddrs' | 'lookupAddrs'
  >;
  log: Logger;
  /** The user's risk setting: least confirmations on this coin (read when a swap starts); default the coin's. */
  confirmations?: (ticker: string) => number | undefined;
  /** How often chains are polled. */
  pollMs?: number;
  /** The user's fee cap for claims and refunds on a coin, sat/vB; undefined: the coin's own cap. */
  feeCap?: (ticker: string) => bigint | undefined;
  /** Wall-clock tick (accept timeout, retries). */
  tickMs?: number;
  now?: () => number;
  onUpdate?: (summary: SwapSummary) => void;
  /** How long a peer that broke the protocol is refused; default the p2p host's. */
  banMs?: number;
  /** Test hook, called at named steps: after-event:<type>, enter:<phase> (both after the event is stored, before its effects), after-fund-send, after-claim-send, after-refund-send. */
  crashAt?: (point: string) => void;
  /** Test seam: makes a coin's chain watcher; the default polls the coin's daemon (chain/watcher.ts). */
  chainWatcher?: (o: ChainWatcherOptions) => ChainWatcher;
}
