// Contract slice of the wallets domain. The user's own wallets: detection, connections, balances, addresses (docs/wallets.md).
import { z } from 'zod';
import { method } from '../api/method.ts';
import {
  Balance,
  CoinInfo,
  DecimalAmount,
  Empty,
  Ok,
  Ticker,
  Utxo,
  WalletCandidate,
  WalletConnectionInput,
  WalletSummary,
  WalletTestResult,
} from '../api/schemas.ts';

export const methods = {
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
    { scope: 'trade' },
  ),
  'wallets.utxos': method(z.object({ ticker: Ticker }).strict(), z.array(Utxo), 'Unspent outputs of the wallet.'),
  'wallets.feeEstimate': method(
    z.object({ ticker: Ticker, targetBlocks: z.number().int().min(1).max(1008).optional() }).strict(),
    z.object({ satPerVb: DecimalAmount, source: z.enum(['estimate', 'floor', 'cap']) }),
    "Fee rate for a target, from the daemon, bounded by the coin's floor and cap.",
  ),

  'wallets.connected': method(Empty, z.array(Ticker), 'Coins with a connected wallet on this node.'),
  'wallets.balances': method(
    Empty,
    z.record(Ticker, Balance),
    'Balances of every connected wallet (locked = reserved by orders and swaps).',
  ),
} as const;

export const events = {
  'wallets.changed': z.object({ ticker: Ticker }),
  'wallets.balance': z.object({ ticker: Ticker, balance: Balance }),
} as const;

/** The dx-style names (Blocknet XBridge's) this slice keeps as documented aliases of its methods. */
export const aliases = {
  getLocalTokens: 'wallets.connected',
  getTokenBalances: 'wallets.balances',
  getNewTokenAddress: 'wallets.newAddress',
} as const satisfies Record<string, keyof typeof methods>;
