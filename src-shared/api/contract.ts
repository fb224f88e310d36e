// THE contract between every client (renderer, CLI, bots) and the node: each method's params
// and result schema, and each pushed event. Implemented once in src-main/api; reached through
// Electron IPC, WebSocket and JSON-RPC. Add methods here first; the type system does the rest.
import { z } from 'zod';
import { method } from './method.ts';
import {
  Balance,
  CoinInfo,
  DecimalAmount,
  Empty,
  Ok,
  Password,
  PeerInfo,
  Ticker,
  Utxo,
  VaultState,
  WalletCandidate,
  WalletConnectionInput,
  WalletSummary,
  WalletTestResult,
} from './schemas.ts';
import { PeerIdParam, SwapDetail, SwapIdParam, SwapLegInput, SwapSummary } from './schemas.ts';

import {
  CandleInterval,
  CandleView,
  MakeOrderParams,
  MakeOrderResult,
  MarketStats,
  MarketView,
  OrderBookView,
  OrderIdParam,
  OrderView,
  ServiceNodeView,
  TradeView,
} from './order-schemas.ts';
import { Settings, SettingsPatch } from './settings-schemas.ts';

export const methods = {
  'node.info': method(
    Empty,
    z.object({
      version: z.string(),
      network: z.string(),
      role: z.enum(['trader', 'servicenode']),
      peerId: z.string(),
      uptimeSec: z.number(),
    }),
    'Node version, network and role.',
  ),

  'vault.status': method(Empty, z.object({ state: VaultState }), 'Whether a vault exists and is unlocked.'),
  'vault.create': method(
    z
      .object({
        password: Password,
        passphrase: z.string().max(1000).optional(),
        words: z.union([z.literal(12), z.literal(24)]).optional(),
      })
      .strict(),
    z.object({ mnemonic: z.string(), state: VaultState }),
    'Create a new seed, encrypt it with the password and unlock. Returns the mnemonic once, to be written down.',
  ),
  'vault.restore': method(
    z
      .object({
        mnemonic: z.string().min(1).max(1000),
        passphrase: z.string().max(1000).optional(),
        password: Password,
      })
      .strict(),
    z.object({ state: VaultState }),
    'Restore a vault from a BIP39 mnemonic (and optional passphrase), encrypted with a new password.',
  ),
  'vault.unlock': method(
    z.object({ password: z.string().min(1).max(1024) }).strict(),
    z.object({ state: VaultState }),
    'Unlock the vault.',
  ),
  'vault.lock': method(Empty, z.object({ state: VaultState }), 'Lock the vault: keys are wiped from memory.'),

  'coins.list': method(Empty, z.array(CoinInfo), 'Coins this node knows (the registry for its network).'),

  'wallets.list': method(
    Empty,
    z.array(WalletSummary),
    'Every known coin with its wallet connection state and balance.',
  ),
  'wallets.detect': method(
    z.object({ ticker: Ticker }).strict(),
    z.object({ candidates: z.array(WalletCandidate), searched: z.array(z.string()) }),
    'Look for local daemons of this coin: default data dirs, conf files, cookies.',
  ),
  'wallets.test': method(
    z.object({ ticker: Ticker, connection: WalletConnectionInput }).strict(),
    WalletTestResult,
    'Try a connection and explain the outcome; changes nothing.',
  ),
  'wallets.connect': method(
    z.object({ ticker: Ticker, connection: WalletConnectionInput }).strict(),
    WalletSummary,
    'Test and then save a wallet connection (secrets are stored encrypted by the vault).',
  ),
  'wallets.disconnect': method(z.object({ ticker: Ticker }).strict(), Ok, 'Forget a wallet connection.'),
  'wallets.balance': method(
    z.object({ ticker: Ticker }).strict(),
    Balance,
    'Spendable, unconfirmed and locked balance.',
  ),
  'wallets.newAddress': method(
    z.object({ ticker: Ticker, label: z.string().max(100).optional() }).strict(),
    z.object({ address: z.string() }),
    "A fresh receive address from the user's wallet.",
  ),
  'wallets.utxos': method(z.object({ ticker: Ticker }).strict(), z.array(Utxo), 'Unspent outputs of the wallet.'),
  'wallets.feeEstimate': method(
    z.object({ ticker: Ticker, targetBlocks: z.number().int().min(1).max(1008).optional() }).strict(),
    z.object({ satPerVb: DecimalAmount, source: z.enum(['estimate', 'floor', 'cap']) }),
    "Fee rate for a target, from the daemon, bounded by the coin's floor and cap.",
  ),

  'p2p.info': method(
    Empty,
    z.object({ peerId: z.string(), listenAddrs: z.array(z.string()) }),
    "This node's peer id and addresses.",
  ),
  'p2p.peers': method(Empty, z.array(PeerInfo), 'Connected peers.'),
  'p2p.dial': method(
    z.object({ addr: z.string().min(1).max(500) }).strict(),
    z.object({ peerId: z.string() }),
    'Connect to a peer by multiaddr.',
  ),

  // ---- swaps (src-main/swaps; docs/swap.md) ----
  'swaps.start': method(
    z.object({ peerId: PeerIdParam, sell: SwapLegInput, buy: SwapLegInput }).strict(),
    SwapSummary,
    "Start an atomic swap with a peer as the maker: lock `sell` (first, with the longer lock) for the peer's `buy`. The peer must have agreed with swaps.allow.",
  ),
  'swaps.allow': method(
    z
      .object({
        peerId: PeerIdParam,
        sell: SwapLegInput,
        buy: SwapLegInput,
        ttlSec: z.number().int().min(1).max(86_400).optional(),
      })
      .strict(),
    z.object({ ok: z.literal(true), expiresAt: z.number().int() }),
    'Agree to one swap proposed by this peer with exactly these amounts (you are the taker: you lock `sell` after the peer locked). Lapses after ttlSec (default 600).',
  ),
  'swaps.list': method(Empty, z.array(SwapSummary), 'Swaps of this node, newest first.'),
  'swaps.get': method(
    z.object({ swapId: SwapIdParam }).strict(),
    SwapDetail,
    'One swap: role, state, counterparty, transactions, blocks and time left before each refund, and the timeline of its steps.',
  ),
  'swaps.abort': method(
    z.object({ swapId: SwapIdParam }).strict(),
    SwapSummary,
    'Stop a swap. Before our coins are locked it ends at once; after, they come back when our lock ends. Refused once a claim revealed the secret.',
  ),
  'swaps.stats': method(
    Empty,
    z.object({ cpuUserMicros: z.number(), cpuSystemMicros: z.number(), liveSwaps: z.number().int() }),
    'CPU time used by the node process so far and the number of swaps in progress (for benchmarks).',
  ),

  // ---- order network (src-main/orders, src-main/servicenode; docs/protocol.md). Named after the
  // dx API that market-making bots know. ----
  makeOrder: method(
    MakeOrderParams,
    MakeOrderResult,
    "Place an order. limit: posted to the network (needs a service node's signature). market: takes the best orders up to `amount` within `priceCap` now. stop: held locally until the last trade price crosses `triggerPrice`, then fires as market (`priceCap`) or limit (`price`). `minAmount` allows partial fills. `dryRun` previews price, fills and fees.",
  ),
  takeOrder: method(
    z.object({ orderId: OrderIdParam, amount: DecimalAmount.optional(), dryRun: z.boolean().optional() }).strict(),
    MakeOrderResult,
    'Take one order from the book (all of it, or `amount` of base if it allows partial fills).',
  ),
  cancelOrder: method(
    z.object({ orderId: OrderIdParam }).strict(),
    OrderView,
    "Cancel one of this node's orders; the cancel propagates to every book.",
  ),
  getOrder: method(
    z.object({ orderId: OrderIdParam }).strict(),
    OrderView,
    "One order, from the network book or this node's own.",
  ),
  getOrders: method(
    z.object({ base: Ticker.optional(), quote: Ticker.optional() }).strict(),
    z.array(OrderView),
    'Every open order this node sees on the network.',
  ),
  getMyOrders: method(
    z.object({ includeClosed: z.boolean().optional() }).strict(),
    z.array(OrderView),
    "This node's orders (open ones, or all with includeClosed).",
  ),
  getOrderBook: method(
    z
      .object({
        base: Ticker,
        quote: Ticker,
        detail: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
        depth: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    OrderBookView,
    'The book of one market. detail 1: best bid and ask; 2: aggregated price levels (default); 3: every order.',
  ),
  getOrderFills: method(
    z
      .object({
        base: Ticker.optional(),
        quote: Ticker.optional(),
        mine: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    z.array(TradeView),
    'Finished trades (signed trade records), newest first.',
  ),
  getOrderHistory: method(
    z
      .object({
        base: Ticker,
        quote: Ticker,
        interval: CandleInterval,
        from: z.number().int().optional(),
        to: z.number().int().optional(),
      })
      .strict(),
    z.object({ candles: z.array(CandleView), stats: MarketStats }),
    'OHLCV candles of a market from the trade history, and 24 h stats.',
  ),
  getMarkets: method(
    Empty,
    z.array(MarketView),
    'Markets of the coins this network trades, those with both wallets connected first.',
  ),
  getNetworkTokens: method(Empty, z.array(Ticker), 'Coins that service nodes on the network support.'),
  getLocalTokens: method(Empty, z.array(Ticker), 'Coins with a connected wallet on this node.'),
  getTokenBalances: method(
    Empty,
    z.record(Ticker, Balance),
    'Balances of every connected wallet (locked = reserved by orders and swaps).',
  ),
  getNewTokenAddress: method(
    z.object({ ticker: Ticker }).strict(),
    z.object({ address: z.string() }),
    'A fresh address of a connected wallet.',
  ),
  getSwap: method(z.object({ swapId: SwapIdParam }).strict(), SwapDetail, 'Same as swaps.get.'),
  getSwaps: method(Empty, z.array(SwapSummary), 'Same as swaps.list.'),
  getServiceNodes: method(
    Empty,
    z.array(ServiceNodeView),
    'Service nodes this node knows, with their collateral check.',
  ),

  // ---- settings (persisted in the node) ----
  'settings.get': method(Empty, Settings, "The user's settings."),
  'settings.set': method(SettingsPatch, Settings, 'Change some settings; the rest stay as they are.'),
} as const;

export const events = {
  'vault.state': z.object({ state: VaultState }),
  'wallets.changed': z.object({ ticker: Ticker }),
  'wallets.balance': z.object({ ticker: Ticker, balance: Balance }),
  'p2p.peers': z.object({ count: z.number().int() }),
  'swap.updated': SwapSummary,
  'order.updated': OrderView,
  'orderbook.changed': z.object({ base: Ticker, quote: Ticker }),
  'trade.new': TradeView,
  'settings.changed': Settings,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
/** A pushed event; with no argument, the union of every event, narrowed by `event` without casts. */
export type PushedEvent<E extends EventName = EventName> = { [K in E]: { event: K; data: EventPayload<K> } }[E];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.hasOwn(methods, x);
}
