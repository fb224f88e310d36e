// Building blocks for the API contract's schemas. Amounts are decimal strings on every wire.
import { z } from 'zod';
import { TICKER_PATTERN } from '../coins/registry.ts';
import { PeerPath } from '../p2p/reachability.ts';

export const Ticker = z.string().regex(TICKER_PATTERN, 'not a ticker');
export const DecimalAmount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$/, 'amount must be a decimal string like "1.25"');
/** Whole-coin digits a DecimalAmount carries at most (the regex above): every amount is below 10^30 coins. */
export const DECIMAL_AMOUNT_DIGITS = 30;
/** True when `units`, base units of a coin with `decimals`, can be written as a DecimalAmount. */
export function fitsDecimalAmount(units: bigint, decimals: number): boolean {
  return units >= 0n && units < 10n ** BigInt(DECIMAL_AMOUNT_DIGITS + decimals);
}
export const SignedDecimalAmount = z
  .string()
  .regex(/^-?(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$/, 'amount must be a decimal string');
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });

export const ApiErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export const VaultState = z.enum(['absent', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof VaultState>;

export const Password = z.string().min(8, 'password must have at least 8 characters').max(1024);

export const Balance = z.object({
  spendable: DecimalAmount,
  unconfirmed: DecimalAmount,
  /** Reserved by open orders and swaps in progress. */
  locked: DecimalAmount,
});
export type Balance = z.infer<typeof Balance>;

export const Host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'not a host name or address');
export const Port = z.number().int().min(1).max(65535);
export const WalletName = z.string().max(200);

export const WalletConnectionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidate'), candidateId: z.string().min(1).max(500) }).strict(),
  z
    .object({
      kind: z.literal('password'),
      host: Host,
      port: Port,
      username: z.string().min(1).max(500),
      password: z.string().min(1).max(1000),
      wallet: WalletName.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('cookie'),
      host: Host,
      port: Port,
      cookiePath: z.string().min(1).max(4096),
      wallet: WalletName.optional(),
    })
    .strict(),
]);
export type WalletConnectionInput = z.infer<typeof WalletConnectionInput>;

export const WalletCandidate = z.object({
  id: z.string(),
  ticker: Ticker,
  source: z.enum(['conf', 'cookie', 'devnet']),
  dataDir: z.string(),
  confPath: z.string().optional(),
  host: z.string(),
  port: Port,
  auth: z.enum(['cookie', 'password']),
  wallet: z.string().optional(),
  note: z.string().optional(),
});
export type WalletCandidate = z.infer<typeof WalletCandidate>;

export const WalletStatus = z.enum(['unconfigured', 'connected', 'error']);

export const WalletSummary = z.object({
  ticker: Ticker,
  name: z.string(),
  status: WalletStatus,
  endpoint: z.string().optional(),
  wallet: z.string().optional(),
  blocks: z.number().int().optional(),
  balance: Balance.optional(),
  error: ApiErrorSchema.optional(),
});
export type WalletSummary = z.infer<typeof WalletSummary>;

export const WalletTestResult = z.object({
  ok: z.boolean(),
  chain: z.string().optional(),
  blocks: z.number().int().optional(),
  version: z.number().int().optional(),
  wallet: z.string().optional(),
  error: ApiErrorSchema.optional(),
});

export const Utxo = z.object({
  txid: z.string(),
  vout: z.number().int(),
  amount: DecimalAmount,
  confirmations: z.number().int(),
  address: z.string().optional(),
});

export const CoinInfo = z.object({
  ticker: Ticker,
  name: z.string(),
  network: z.string(),
  decimals: z.number().int(),
  blockTimeSec: z.number().int(),
  defaultConfirmations: z.number().int(),
});

export const PeerInfo = z.object({
  peerId: z.string(),
  addrs: z.array(z.string()),
  direction: z.enum(['inbound', 'outbound']).optional(),
  latencyMs: z.number().optional(),
  protocols: z.array(z.string()).optional(),
  /** How this node reaches the peer: direct, through a relay, or direct after a relayed start. */
  path: PeerPath.optional(),
  /** The relay's peer id while the only path is through it. */
  relay: z.string().optional(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;

// ---------------------------------------------------------------- swaps (src-main/swaps, docs/swap.md)

export const SwapLegInput = z.object({ ticker: Ticker, amount: DecimalAmount }).strict();
export const SwapIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a swap id');
export const PeerIdParam = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{40,100}$/, 'not a peer id');
export const SwapPhase = z.enum([
  'new',
  'proposed',
  'accepted',
  'funding',
  'funded',
  'claiming',
  'refunding',
  'completed',
  'refunded',
  'failedBeforeFunding',
  'lost',
]);
export const SwapOutcome = z.enum(['completed', 'refunded', 'failedBeforeFunding', 'lost']);

/** One swap as lists show it; `sell` and `buy` are from this node's side. */
export const SwapSummary = z.object({
  swapId: z.string(),
  role: z.enum(['maker', 'taker']),
  state: SwapPhase,
  terminal: z.boolean(),
  outcome: SwapOutcome.nullable(),
  /** Peer id of the other party; messages from any other peer are refused. */
  counterparty: z.string(),
  sell: SwapLegInput,
  buy: SwapLegInput,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** Why the swap stopped going forward (refunding, refunded, failed, lost). */
  reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The last thing the engine told the user about this swap. */
  notice: z.object({ level: z.enum(['info', 'warning', 'error']), code: z.string(), message: z.string() }).nullable(),
});
export type SwapSummary = z.infer<typeof SwapSummary>;

export const SwapLock = z.object({
  side: z.enum(['own', 'counterparty']),
  ticker: Ticker,
  /** Block height from which the funder may refund. */
  locktime: z.number().int(),
  /** Current tip of that chain, when the node can see it. */
  height: z.number().int().nullable(),
  blocksLeft: z.number().int().nullable(),
  /** blocksLeft × the coin's block time: an estimate. */
  secondsLeft: z.number().int().nullable(),
});

export const SwapTx = z.object({
  /** claimFeeChild / refundFeeChild: a child our wallet sent to raise that spend's fee (CPFP). */
  kind: z.enum([
    'ownFunding',
    'theirFunding',
    'claim',
    'refund',
    'theirClaim',
    'theirRefund',
    'claimFeeChild',
    'refundFeeChild',
  ]),
  ticker: Ticker,
  txid: z.string(),
  vout: z.number().int().optional(),
  confirmations: z.number().int().optional(),
  /** What our wallet paid in fees for it, where the swap's record knows it (the fee children). */
  fee: DecimalAmount.optional(),
});

export const SwapStep = z.object({
  /** ms since the epoch, when the step was recorded. */
  at: z.number().int(),
  event: z.string(),
  state: SwapPhase,
  txid: z.string().optional(),
  confirmations: z.number().int().optional(),
});

/**
 * A step's "give-up" height (docs/swap.md §4 `swapDeadlines`), seen from this node: who must act,
 * and on which chain's height it is counted (the lock deadlines and the maker's claim deadline are
 * counted on the taker chain, whichever chain the coins are on).
 */
export const SwapDeadline = z.object({
  /** The deadline's name in docs/swap.md §4. */
  step: z.enum(['makerFundBy', 'takerFundBy', 'makerClaimBy', 'takerRefundAt', 'takerClaimBy', 'makerRefundAt']),
  /** Who acts: this node or the counterparty. */
  party: z.enum(['own', 'counterparty']),
  /**
   * lock: locks its coins only while the tip is at or below `height`; claim: its claim is sent
   * (maker) or should confirm (taker) before `height`; refund: the lock opens at `height`.
   */
  action: z.enum(['lock', 'claim', 'refund']),
  /** The chain whose tip is compared with `height`. */
  ticker: Ticker,
  height: z.number().int(),
  /** Blocks from the current tip to `height` (0 once reached); null when the node cannot see that chain. */
  blocksLeft: z.number().int().nullable(),
  /** blocksLeft × the coin's block time: an estimate. */
  secondsLeft: z.number().int().nullable(),
});
export type SwapDeadline = z.infer<typeof SwapDeadline>;

/** The depth agreed in the terms for one chain: a transaction there counts once this deep. */
export const SwapConfirmations = z.object({
  side: z.enum(['own', 'counterparty']),
  ticker: Ticker,
  confirmations: z.number().int(),
});

export const SwapDetail = SwapSummary.extend({
  secretHash: z.string().nullable(),
  locks: z.array(SwapLock),
  /** Agreed confirmations per chain (own chain first); empty before the terms exist. */
  confirmations: z.array(SwapConfirmations),
  /** Every step's deadline, in swap order; empty before the terms are fixed and once the swap failed before funding. */
  deadlines: z.array(SwapDeadline),
  txs: z.array(SwapTx),
  timeline: z.array(SwapStep),
});
export type SwapDetail = z.infer<typeof SwapDetail>;
