// The wallets.* API: finds, tests and remembers the user's daemon wallet per coin, and answers
// balance, address, UTXO and fee questions through it. Other services (the swap engine) get the
// configured RPC client from here. Amounts are bigint inside and decimal strings outside.
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Result } from '../../src-shared/api/contract.ts';
import type { WalletConnectionInput } from '../../src-shared/api/schemas.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { amountFromCoinJson, formatAmount, maxBigint } from '../../src-shared/money/index.ts';
import { isCoinSegwitAddress, probeAddress } from '../chain/address.ts';
import type { SecretBox, StoredWalletConnection, WalletConnectionRepo } from './connection-store.ts';
import { createWalletDetector, type DetectOptions, type ResolvedConnection } from './detect.ts';
import { clampFeeRate, satPerVbFromPerKvb } from '../chain/fee.ts';
import { RpcClient, type RpcClientOptions, CoinJsonAmount } from '../chain/rpc.ts';

export type WalletSummary = Result<'wallets.list'>[number];
export type WalletTestResult = Result<'wallets.test'>;
export type Balance = Result<'wallets.balance'>;
export type Utxo = Result<'wallets.utxos'>[number];
export type FeeEstimate = Result<'wallets.feeEstimate'>;

/** Balance in base units; `locked` is reserved by orders/swaps or by lockunspent. */
export interface BalanceUnits {
  spendable: bigint;
  unconfirmed: bigint;
  locked: bigint;
}

export interface WalletServiceDeps {
  coins: readonly CoinParams[];
  repo: WalletConnectionRepo;
  secrets: SecretBox;
  detectOptions?: DetectOptions;
  rpcFactory?: (options: RpcClientOptions) => RpcClient;
  /**
   * Coins reserved by open orders and swaps in progress that are NOT held with lockunspent
   * (those are counted from the daemon). Default: nothing reserved.
   */
  lockedAmount?: (ticker: string) => bigint;
  /** Called after a connection is saved or forgotten (the API pushes `wallets.changed`). */
  onChanged?: (ticker: string) => void;
  /** How long wallets.test waits for each answer; default 10 s. */
  testTimeoutMs?: number;
}

export interface WalletService {
  /** Whether a connection is saved for this coin (no daemon call). */
  isConfigured(ticker: string): boolean;
  list(): Promise<WalletSummary[]>;
  detect(ticker: string): Promise<Result<'wallets.detect'>>;
  test(ticker: string, connection: WalletConnectionInput): Promise<WalletTestResult>;
  connect(ticker: string, connection: WalletConnectionInput): Promise<WalletSummary>;
  disconnect(ticker: string): Promise<{ ok: true }>;
  balance(ticker: string): Promise<Balance>;
  balanceUnits(ticker: string): Promise<BalanceUnits>;
  newAddress(ticker: string, label?: string): Promise<{ address: string }>;
  utxos(ticker: string): Promise<Utxo[]>;
  feeEstimate(ticker: string, targetBlocks?: number): Promise<FeeEstimate>;
  /** The configured client for a coin (wallet calls routed to the chosen wallet). */
  rpc(ticker: string): RpcClient;
  /** Drop cached clients (they hold unsealed RPC passwords); called when the vault locks. */
  forgetClients(): void;
}

// Shapes of the daemon replies this service reads. Checked, because a port may answer with
// anything; amounts arrive as exact decimal text (see rpc.ts).
const BlockchainInfo = z.object({ chain: z.string(), blocks: z.number().int() });
type BlockchainInfo = z.infer<typeof BlockchainInfo>;
const NetworkInfo = z.object({ version: z.number().int() });
const WalletInfo = z.object({ walletname: z.string() });
const Balances = z.object({
  mine: z.object({ trusted: CoinJsonAmount, untrusted_pending: CoinJsonAmount, immature: CoinJsonAmount }),
});
const LockedOutputs = z.array(z.object({ txid: z.string(), vout: z.number().int() }));
const TxOut = z.object({ value: CoinJsonAmount }).nullable();
const Unspent = z.array(
  z.object({
    txid: z.string(),
    vout: z.number().int().optional(),
    amount: CoinJsonAmount,
    confirmations: z.number().int(),
    address: z.string().optional(),
  }),
);
const SmartFee = z.object({ feerate: CoinJsonAmount.optional(), errors: z.array(z.string()).optional() });
const WalletNames = z.array(z.string());
const AddressValidation = z.object({ isvalid: z.boolean() });

/** A daemon amount in base units; a malformed one is the daemon's fault, not a crash. */
function amountOf(value: string | number, decimals: number, method: string): bigint {
  try {
    return amountFromCoinJson(value, decimals);
  } catch {
    throw new ApiError(
      'WALLET_RPC_ERROR',
      `The daemon answered ${method} with "${String(value).slice(0, 40)}", which is not an amount.`,
      { method },
    );
  }
}

const CHAIN_WORDS: Record<string, string> = { main: 'mainnet', test: 'testnet', regtest: 'regtest', signet: 'signet' };
const chainWords = (chain: string): string => CHAIN_WORDS[chain] ?? `"${chain}"`;

const DEFAULT_FEE_TARGET = 6;

export function createWalletService(deps: WalletServiceDeps): WalletService {
  const makeClient = deps.rpcFactory ?? ((o: RpcClientOptions) => new RpcClient(o));
  const detector = createWalletDetector(deps.coins, deps.detectOptions);
  const lockedAmount = deps.lockedAmount ?? (() => 0n);
  const clients = new Map<string, RpcClient>();

  function coinFor(ticker: string): CoinParams {
    const coin = deps.coins.find((c) => c.ticker === ticker);
    if (!coin) throw new ApiError('NOT_FOUND', `This node does not know the coin ${ticker}.`, { ticker });
    return coin;
  }

  function clientFor(ticker: string): RpcClient {
    const coin = coinFor(ticker);
    const cached = clients.get(ticker);
    if (cached) return cached;
    const stored = deps.repo.get(ticker);
    if (!stored)
      throw new ApiError(
        'WALLET_NOT_CONFIGURED',
        `No ${coin.name} wallet is connected yet. Connect one under Wallets first.`,
        { ticker },
      );
    const client = makeClient({ ...endpointOf(stored, deps.secrets), family: coin.family, decimals: coin.decimals });
    clients.set(ticker, client);
    return client;
  }

  async function resolveInput(ticker: string, input: WalletConnectionInput): Promise<ResolvedConnection> {
    switch (input.kind) {
      case 'candidate': {
        const resolved = await detector.resolveCandidate(input.candidateId);
        if (resolved.ticker !== ticker) {
          throw new ApiError('INVALID_PARAMS', `That wallet was found for ${resolved.ticker}, not for ${ticker}.`, {
            candidateId: input.candidateId,
          });
        }
        return resolved;
      }
      case 'password':
        return {
          ticker,
          host: input.host,
          port: input.port,
          auth: { username: input.username, password: input.password },
          ...(input.wallet !== undefined ? { wallet: input.wallet } : {}),
        };
      case 'cookie':
        return {
          ticker,
          host: input.host,
          port: input.port,
          auth: { cookiePath: input.cookiePath },
          ...(input.wallet !== undefined ? { wallet: input.wallet } : {}),
        };
    }
  }

  /** Everything wallets.test promises, throwing ApiError on the first problem. */
  async function checkConnection(
    coin: CoinParams,
    conn: ResolvedConnection,
  ): Promise<{ chain: string; blocks: number; version: number; wallet: string }> {
    const node = makeClient({
      host: conn.host,
      port: conn.port,
      auth: conn.auth,
      family: coin.family,
      decimals: coin.decimals,
      retry: false,
      timeoutMs: deps.testTimeoutMs ?? 10_000,
    });
    const info = await node.callAs(BlockchainInfo, 'getblockchaininfo');
    await ensureSameChain(coin, node, info, deps.coins);
    const network = await node.callAs(NetworkInfo, 'getnetworkinfo');
    const wallet = conn.wallet ?? (await pickLoadedWallet(node));
    const walletInfo = await node.forWallet(wallet).callAs(WalletInfo, 'getwalletinfo');
    return { chain: info.chain, blocks: info.blocks, version: network.version, wallet: walletInfo.walletname };
  }

  async function summaryFor(coin: CoinParams): Promise<WalletSummary> {
    const stored = deps.repo.get(coin.ticker);
    if (!stored) return { ticker: coin.ticker, name: coin.name, status: 'unconfigured' };
    const base = {
      ticker: coin.ticker,
      name: coin.name,
      endpoint: `${stored.host}:${stored.port}`,
      ...(stored.wallet !== undefined ? { wallet: stored.wallet } : {}),
    };
    try {
      const client = clientFor(coin.ticker);
      // A status view must answer now: no retries, so a stopped daemon shows as an error at once.
      const info = await client.callAs(BlockchainInfo, 'getblockchaininfo', [], { wallet: false, retry: false });
      if (info.chain !== coin.chainName) throw wrongChain(coin, info.chain, deps.coins);
      const units = await readBalance(coin, client, false);
      return { ...base, status: 'connected', blocks: info.blocks, balance: formatBalance(units, coin.decimals) };
    } catch (err) {
      const error =
        err instanceof ApiError
          ? err.toData()
          : { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) };
      return { ...base, status: 'error', error };
    }
  }

  async function readBalance(coin: CoinParams, client: RpcClient, retry: boolean): Promise<BalanceUnits> {
    const opts = { retry };
    const b = await client.callAs(Balances, 'getbalances', [], opts);
    const amt = (v: string | number): bigint => amountOf(v, coin.decimals, 'getbalances');
    // getbalances still counts coins frozen with lockunspent as trusted; look their values up.
    const frozen = await client.callAs(LockedOutputs, 'listlockunspent', [], opts);
    const frozenValues = await Promise.all(
      frozen.map(async (o) => {
        const out = await client.callAs(TxOut, 'gettxout', [o.txid, o.vout, true], { ...opts, wallet: false });
        return out ? amt(out.value) : 0n;
      }),
    );
    const frozenTotal = frozenValues.reduce((a, v) => a + v, 0n);
    const reserved = maxBigint(0n, lockedAmount(coin.ticker));
    const walletSpendable = maxBigint(0n, amt(b.mine.trusted) - frozenTotal);
    return {
      spendable: maxBigint(0n, walletSpendable - reserved),
      unconfirmed: amt(b.mine.untrusted_pending) + amt(b.mine.immature),
      locked: frozenTotal + reserved,
    };
  }

  return {
    isConfigured(ticker) {
      return deps.repo.get(ticker) !== undefined;
    },

    async list() {
      return Promise.all(deps.coins.map(summaryFor));
    },

    async detect(ticker) {
      coinFor(ticker);
      return detector.detect(ticker);
    },

    async test(ticker, input) {
      const coin = coinFor(ticker);
      try {
        const conn = await resolveInput(ticker, input);
        const r = await checkConnection(coin, conn);
        return { ok: true, chain: r.chain, blocks: r.blocks, version: r.version, wallet: r.wallet };
      } catch (err) {
        if (err instanceof ApiError) return { ok: false, error: err.toData() };
        throw err;
      }
    },

    async connect(ticker, input) {
      const coin = coinFor(ticker);
      const conn = await resolveInput(ticker, input);
      const checked = await checkConnection(coin, conn);
      const stored: StoredWalletConnection =
        'password' in conn.auth
          ? {
              ticker,
              kind: 'password',
              host: conn.host,
              port: conn.port,
              username: conn.auth.username,
              passwordSealed: deps.secrets.seal(conn.auth.password),
              wallet: checked.wallet,
            }
          : {
              ticker,
              kind: 'cookie',
              host: conn.host,
              port: conn.port,
              cookiePath: conn.auth.cookiePath,
              wallet: checked.wallet,
            };
      deps.repo.put(stored);
      clients.delete(ticker);
      deps.onChanged?.(ticker);
      return summaryFor(coin);
    },

    forgetClients() {
      clients.clear();
    },

    async disconnect(ticker) {
      coinFor(ticker);
      deps.repo.delete(ticker);
      clients.delete(ticker);
      deps.onChanged?.(ticker);
      return { ok: true };
    },

    async balance(ticker) {
      const coin = coinFor(ticker);
      return formatBalance(await readBalance(coin, clientFor(ticker), true), coin.decimals);
    },

    async balanceUnits(ticker) {
      return readBalance(coinFor(ticker), clientFor(ticker), true);
    },

    async newAddress(ticker, label) {
      const coin = coinFor(ticker);
      const address = await clientFor(ticker).callAs(z.string(), 'getnewaddress', [label ?? '', 'bech32']);
      if (!isCoinSegwitAddress(coin, address)) {
        throw new ApiError(
          'WALLET_WRONG_NETWORK',
          `The wallet gave the address "${address.slice(0, 100)}", which is not a ${coin.name} address (they start with ${coin.bech32}1). Is the connected daemon running ${coin.name}?`,
          { address, expectedPrefix: coin.bech32 },
        );
      }
      return { address };
    },

    async utxos(ticker) {
      const coin = coinFor(ticker);
      const unspent = await clientFor(ticker).callAs(Unspent, 'listunspent', [0]);
      // MWEB outputs (Litecoin's extension block) have no vout: they are not ordinary outputs
      // that a transaction or a service node's proof can reference, so they are left out.
      return unspent
        .filter((u): u is typeof u & { vout: number } => u.vout !== undefined)
        .map((u) => ({
          txid: u.txid,
          vout: u.vout,
          amount: formatAmount(amountOf(u.amount, coin.decimals, 'listunspent'), coin.decimals),
          confirmations: u.confirmations,
          ...(u.address !== undefined ? { address: u.address } : {}),
        }));
    },

    async feeEstimate(ticker, targetBlocks = DEFAULT_FEE_TARGET) {
      const coin = coinFor(ticker);
      const r = await clientFor(ticker).callAs(SmartFee, 'estimatesmartfee', [targetBlocks], { wallet: false });
      // Regtest and a freshly started node have no fee data yet ("Insufficient data"): the floor applies.
      const estimate =
        r.feerate !== undefined
          ? satPerVbFromPerKvb(amountOf(r.feerate, coin.decimals, 'estimatesmartfee'))
          : undefined;
      const clamped = clampFeeRate(estimate, coin);
      return { satPerVb: clamped.satPerVb.toString(), source: clamped.source };
    },

    rpc(ticker) {
      return clientFor(ticker);
    },
  };
}

function endpointOf(stored: StoredWalletConnection, secrets: SecretBox): RpcClientOptions {
  const wallet = stored.wallet !== undefined ? { wallet: stored.wallet } : {};
  if (stored.kind === 'cookie') {
    if (!stored.cookiePath)
      throw new ApiError(
        'WALLET_NOT_CONFIGURED',
        `The saved ${stored.ticker} connection has no cookie file. Connect the wallet again.`,
      );
    return { host: stored.host, port: stored.port, auth: { cookiePath: stored.cookiePath }, ...wallet };
  }
  if (stored.passwordSealed === undefined)
    throw new ApiError(
      'WALLET_NOT_CONFIGURED',
      `The saved ${stored.ticker} connection has no password. Connect the wallet again.`,
    );
  return {
    host: stored.host,
    port: stored.port,
    auth: { username: stored.username ?? '', password: secrets.open(stored.passwordSealed) },
    ...wallet,
  };
}

function formatBalance(b: BalanceUnits, decimals: number): Balance {
  return {
    spendable: formatAmount(b.spendable, decimals),
    unconfirmed: formatAmount(b.unconfirmed, decimals),
    locked: formatAmount(b.locked, decimals),
  };
}

function wrongChain(coin: CoinParams, chain: string, coins: readonly CoinParams[]): ApiError {
  const fits = coins.filter((c) => c.chainName === chain && c.family === coin.family).map((c) => c.ticker);
  const hint = fits.length > 0 ? ` It would suit ${fits.join(' or ')}.` : '';
  return new ApiError(
    'WALLET_WRONG_NETWORK',
    `This daemon is on ${chainWords(chain)}, but ${coin.ticker} (${coin.name}) needs a ${chainWords(coin.chainName)} daemon.${hint}`,
    { expected: coin.chainName, actual: chain },
  );
}

/** Same network name is not enough: a Bitcoin regtest daemon is not a Litecoin regtest one. */
async function ensureSameChain(
  coin: CoinParams,
  node: RpcClient,
  info: BlockchainInfo,
  coins: readonly CoinParams[],
): Promise<void> {
  if (info.chain !== coin.chainName) throw wrongChain(coin, info.chain, coins);
  const probe = probeAddress(coin);
  const v = await node.callAs(AddressValidation, 'validateaddress', [probe]);
  if (!v.isvalid) {
    throw new ApiError(
      'WALLET_WRONG_NETWORK',
      `This daemon is on ${chainWords(info.chain)} but does not accept ${coin.name} addresses (${coin.bech32}1...): it runs another coin.`,
      { expected: coin.ticker, actual: info.chain, probe },
    );
  }
}

/** With no wallet named: the only loaded one, else a clear WALLET_NOT_LOADED. */
async function pickLoadedWallet(node: RpcClient): Promise<string> {
  const loaded = await node.callAs(WalletNames, 'listwallets');
  const cli =
    node.family === 'bitcoin' ? 'bitcoin-cli' : node.family === 'litecoin' ? 'litecoin-cli' : "the coin's CLI";
  if (loaded.length === 1) return loaded[0] ?? '';
  if (loaded.length === 0) {
    throw new ApiError(
      'WALLET_NOT_LOADED',
      `No wallet is loaded in the daemon at ${node.endpoint}. Create one with \`${cli} createwallet "hashlock"\` or load an existing one with \`${cli} loadwallet "<name>"\`.`,
      { loaded },
    );
  }
  throw new ApiError(
    'WALLET_NOT_LOADED',
    `The daemon at ${node.endpoint} has ${loaded.length} wallets loaded (${loaded.map((w) => `"${w}"`).join(', ')}). Choose which one Hashlock should use.`,
    { loaded },
  );
}
