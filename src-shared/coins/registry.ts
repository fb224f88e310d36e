// Per-coin parameters as data. Everything chain-specific that code needs (address encoding,
// dust, fee floors, block time, where the user's wallet lives on disk) is read from here.

export type Os = 'linux' | 'darwin' | 'win32';

export interface CoinParams {
  /** Ticker shown to users and used as the asset id on the order network. */
  readonly ticker: string;
  readonly name: string;
  /** Which daemon family speaks for it; decides default data dir and conf file. */
  readonly family: 'bitcoin' | 'litecoin';
  readonly network: 'mainnet' | 'testnet' | 'regtest';
  readonly decimals: number;
  readonly bech32: string;
  readonly pubKeyHash: number;
  readonly scriptHash: number;
  readonly wif: number;
  readonly bip32: { readonly public: number; readonly private: number };
  /** Smallest P2WPKH output the daemon relays (sat). */
  readonly dustP2wpkh: bigint;
  /** Smallest P2WSH output the daemon relays (sat). */
  readonly dustP2wsh: bigint;
  /** Relay floor and the wallet's own floor, sat/vB. */
  readonly minRelayFeeSatPerVb: bigint;
  readonly walletMinFeeSatPerVb: bigint;
  /** Upper sanity bound on any fee rate we will pay, sat/vB. */
  readonly maxFeeSatPerVb: bigint;
  readonly blockTimeSec: number;
  readonly defaultConfirmations: number;
  readonly defaultRpcPort: number;
  /** Daemon's getblockchaininfo().chain value for this network. */
  readonly chainName: 'main' | 'test' | 'regtest';
  /** Sub-directory of the data dir holding this network's cookie ('' for mainnet). */
  readonly networkSubdir: string;
  readonly confFile: string;
  /** Default data directory per OS, with ~ for home and %APPDATA% on Windows. */
  readonly dataDir: Readonly<Record<Os, string>>;
  /** A devnet asset: its daemons live only in the devnet's folders, so the OS data dir is never searched. */
  readonly devnet?: boolean;
}

const BITCOIN_DIRS = {
  linux: '~/.bitcoin',
  darwin: '~/Library/Application Support/Bitcoin',
  win32: '%APPDATA%\\Bitcoin',
} as const;
const LITECOIN_DIRS = {
  linux: '~/.litecoin',
  darwin: '~/Library/Application Support/Litecoin',
  win32: '%APPDATA%\\Litecoin',
} as const;

const btcCommon = {
  family: 'bitcoin',
  decimals: 8,
  dustP2wpkh: 294n,
  dustP2wsh: 330n,
  minRelayFeeSatPerVb: 1n,
  walletMinFeeSatPerVb: 1n,
  maxFeeSatPerVb: 1000n,
  blockTimeSec: 600,
  confFile: 'bitcoin.conf',
  dataDir: BITCOIN_DIRS,
} as const;
const ltcCommon = {
  family: 'litecoin',
  decimals: 8,
  dustP2wpkh: 2940n,
  dustP2wsh: 3300n,
  minRelayFeeSatPerVb: 1n,
  walletMinFeeSatPerVb: 10n,
  maxFeeSatPerVb: 1000n,
  blockTimeSec: 150,
  confFile: 'litecoin.conf',
  dataDir: LITECOIN_DIRS,
} as const;
const testBip32 = { public: 0x043587cf, private: 0x04358394 };

export const COINS: readonly CoinParams[] = [
  {
    ...btcCommon,
    ticker: 'BTC',
    name: 'Bitcoin',
    network: 'mainnet',
    bech32: 'bc',
    pubKeyHash: 0x00,
    scriptHash: 0x05,
    wif: 0x80,
    bip32: { public: 0x0488b21e, private: 0x0488ade4 },
    defaultConfirmations: 3,
    defaultRpcPort: 8332,
    chainName: 'main',
    networkSubdir: '',
  },
  {
    ...btcCommon,
    ticker: 'tBTC',
    name: 'Bitcoin testnet',
    network: 'testnet',
    bech32: 'tb',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 18332,
    chainName: 'test',
    networkSubdir: 'testnet3',
  },
  {
    ...btcCommon,
    ticker: 'rBTC',
    name: 'Bitcoin regtest',
    network: 'regtest',
    bech32: 'bcrt',
    pubKeyHash: 0x6f,
    scriptHash: 0xc4,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 18443,
    chainName: 'regtest',
    networkSubdir: 'regtest',
    blockTimeSec: 600,
  },
  {
    ...ltcCommon,
    ticker: 'LTC',
    name: 'Litecoin',
    network: 'mainnet',
    bech32: 'ltc',
    pubKeyHash: 0x30,
    scriptHash: 0x32,
    wif: 0xb0,
    bip32: { public: 0x019da462, private: 0x019d9cfe },
    defaultConfirmations: 6,
    defaultRpcPort: 9332,
    chainName: 'main',
    networkSubdir: '',
  },
  {
    ...ltcCommon,
    ticker: 'tLTC',
    name: 'Litecoin testnet',
    network: 'testnet',
    bech32: 'tltc',
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 19332,
    chainName: 'test',
    networkSubdir: 'testnet4',
  },
  {
    ...ltcCommon,
    ticker: 'rLTC',
    name: 'Litecoin regtest',
    network: 'regtest',
    bech32: 'rltc',
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 19443,
    chainName: 'regtest',
    networkSubdir: 'regtest',
  },
  // The devnet: two independent Litecoin Core regtest chains presented as two distinct assets.
  // Their daemons live in the devnet's own folders, never in the user's ~/.litecoin.
  {
    ...ltcCommon,
    ticker: 'DEVA',
    name: 'Devnet A (Litecoin regtest)',
    network: 'regtest',
    bech32: 'rltc',
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 19501,
    chainName: 'regtest',
    networkSubdir: 'regtest',
    blockTimeSec: 5,
    devnet: true,
  },
  {
    ...ltcCommon,
    ticker: 'DEVB',
    name: 'Devnet B (Litecoin regtest)',
    network: 'regtest',
    bech32: 'rltc',
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
    bip32: testBip32,
    defaultConfirmations: 1,
    defaultRpcPort: 19511,
    chainName: 'regtest',
    networkSubdir: 'regtest',
    blockTimeSec: 5,
    devnet: true,
  },
];

const BY_TICKER = new Map(COINS.map((c) => [c.ticker, c]));

export function findCoin(ticker: string): CoinParams | undefined {
  return BY_TICKER.get(ticker);
}

export function getCoin(ticker: string): CoinParams {
  const coin = BY_TICKER.get(ticker);
  if (!coin) throw new Error(`unknown coin "${ticker}" (known: ${COINS.map((c) => c.ticker).join(', ')})`);
  return coin;
}

export const TICKER_PATTERN = /^[A-Za-z][A-Za-z0-9]{1,9}$/;
