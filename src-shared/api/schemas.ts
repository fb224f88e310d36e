// Building blocks for the API contract's schemas. Amounts are decimal strings on every wire.
import { z } from 'zod';
import { TICKER_PATTERN } from '../coins/registry.ts';

export const Ticker = z.string().regex(TICKER_PATTERN, 'not a ticker');
export const DecimalAmount = z.string().regex(/^(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$/, 'amount must be a decimal string like "1.25"');
export const SignedDecimalAmount = z.string().regex(/^-?(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$/, 'amount must be a decimal string');
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

export const Host = z.string().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'not a host name or address');
export const Port = z.number().int().min(1).max(65535);
export const WalletName = z.string().max(200);

export const WalletConnectionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidate'), candidateId: z.string().min(1).max(500) }).strict(),
  z.object({
    kind: z.literal('password'), host: Host, port: Port, username: z.string().min(1).max(500),
    password: z.string().min(1).max(1000), wallet: WalletName.optional(),
  }).strict(),
  z.object({ kind: z.literal('cookie'), host: Host, port: Port, cookiePath: z.string().min(1).max(4096), wallet: WalletName.optional() }).strict(),
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

export const Utxo = z.object({ txid: z.string(), vout: z.number().int(), amount: DecimalAmount, confirmations: z.number().int(), address: z.string().optional() });

export const CoinInfo = z.object({
  ticker: Ticker, name: z.string(), network: z.string(), decimals: z.number().int(), blockTimeSec: z.number().int(),
  defaultConfirmations: z.number().int(),
});

export const PeerInfo = z.object({
  peerId: z.string(),
  addrs: z.array(z.string()),
  direction: z.enum(['inbound', 'outbound']).optional(),
  latencyMs: z.number().optional(),
  protocols: z.array(z.string()).optional(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;
