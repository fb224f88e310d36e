// Finds the user's local daemons for a coin the way a desktop user expects: the coin's default
// data directory for this OS (plus any extra folders, e.g. the devnet's), its conf file and its
// .cookie. Candidates shown to the UI never carry a password; resolveCandidate() does, server-side.
import { isCoded } from '../../src-shared/errors.ts';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { WalletCandidate } from '../../src-shared/api/schemas.ts';
import type { CoinParams, Os } from '../../src-shared/coins/registry.ts';
import { ApiError } from '../../src-shared/api/errors.ts';
import { confChain, confGet, confGetAll, parseConf, type ChainName, type Conf } from './conf.ts';
import type { RpcAuth } from '../chain/rpc.ts';

/** A daemon data dir to look in besides the coin's default one (the devnet passes its chains'). */
export interface SearchDir {
  ticker: string;
  dataDir: string;
  /** Wallet inside that daemon to use (a devnet daemon holds one wallet per trader). */
  wallet?: string;
}

export interface DetectOptions {
  os?: Os;
  homeDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra data dirs, searched after the default one for their ticker. */
  extraDirs?: readonly SearchDir[];
  /** Skip the OS default data dirs (tests look only where they are told). Devnet coins always do. */
  skipDefaultDir?: boolean;
}

/** Everything needed to open an RPC client; holds the password, so it stays in the main process. */
export interface ResolvedConnection {
  ticker: string;
  host: string;
  port: number;
  auth: RpcAuth;
  wallet?: string;
}

export interface Detection {
  candidate: WalletCandidate;
  connection: ResolvedConnection;
}

export interface DetectResult {
  detections: Detection[];
  /** Data dirs looked at, in order, for "we looked here" in the UI. */
  searched: string[];
}

function currentOs(): Os {
  return process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
}

function pathFor(os: Os): typeof posix {
  return os === 'win32' ? win32 : posix;
}

/** The coin's default data dir on `os`, with ~ and %APPDATA% expanded. */
export function defaultDataDir(coin: CoinParams, opts: Pick<DetectOptions, 'os' | 'homeDir' | 'env'> = {}): string {
  const os = opts.os ?? currentOs();
  const home = opts.homeDir ?? homedir();
  const env = opts.env ?? process.env;
  const p = pathFor(os);
  const template = coin.dataDir[os];
  if (template.startsWith('~')) return p.join(home, template.slice(1).replace(/^[\\/]+/, ''));
  if (template.startsWith('%APPDATA%')) {
    const appData = env.APPDATA ?? p.join(home, 'AppData', 'Roaming');
    return p.join(appData, template.slice('%APPDATA%'.length).replace(/^[\\/]+/, ''));
  }
  return template;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw err;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** host[:port] from an rpcbind/rpcconnect value, including [v6]:port. */
export function splitHostPort(value: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return v6[2] ? { host: v6[1] ?? '', port: Number(v6[2]) } : { host: v6[1] ?? '' };
  const parts = value.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1] ?? '')) return { host: parts[0] ?? '', port: Number(parts[1]) };
  return { host: value };
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** Where the daemon's RPC server can be reached, from rpcconnect / rpcbind / rpcport. */
export function rpcAddressFromConf(conf: Conf, chain: ChainName, defaultPort: number): { host: string; port: number } {
  const rpcport = Number(confGet(conf, chain, 'rpcport') ?? NaN);
  let port = Number.isInteger(rpcport) && rpcport > 0 && rpcport < 65536 ? rpcport : defaultPort;
  let host = '127.0.0.1';
  const binds = confGetAll(conf, chain, 'rpcbind').map(splitHostPort);
  const bind = binds.find((b) => LOOPBACK.test(b.host)) ?? binds.find((b) => !WILDCARDS.has(b.host)) ?? binds[0];
  if (bind) {
    if (!WILDCARDS.has(bind.host)) host = bind.host;
    if (bind.port !== undefined) port = bind.port;
  }
  // rpcconnect is what the coin's own CLI uses to reach the daemon: the best hint there is.
  const connect = confGet(conf, chain, 'rpcconnect');
  if (connect) {
    const c = splitHostPort(connect);
    host = c.host;
    if (c.port !== undefined) port = c.port;
  }
  return { host, port };
}

async function walletsFromSettings(netDir: string, p: typeof posix): Promise<string[]> {
  const text = await readOptional(p.join(netDir, 'settings.json')).catch(() => undefined);
  if (text === undefined) return [];
  try {
    const settings = JSON.parse(text) as { wallet?: unknown };
    const w = settings.wallet;
    if (typeof w === 'string') return [w];
    return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function candidateId(ticker: string, parts: unknown[]): string {
  return `${ticker}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16)}`;
}

const CHAIN_WORDS: Record<ChainName, string> = {
  main: 'mainnet',
  test: 'testnet',
  regtest: 'regtest',
  signet: 'signet',
};

async function inspectDir(
  coin: CoinParams,
  dir: string,
  walletOverride: string | undefined,
  p: typeof posix,
): Promise<Detection | undefined> {
  const confPath = p.join(dir, coin.confFile);
  const text = await readOptional(confPath).catch(() => undefined);
  const notes: string[] = [];
  let conf: Conf = { entries: [] };
  let confChainName: ChainName = 'main';
  if (text !== undefined) {
    try {
      conf = parseConf(text);
      confChainName = confChain(conf);
    } catch (err) {
      if (!isCoded(err, 'CONF_PARSE')) throw err;
      notes.push(`${coin.confFile} has an error (${err.message}); the daemon will not start until it is fixed.`);
      conf = { entries: [] };
    }
  }
  const chain = coin.chainName;
  const dataDirSetting = confGet(conf, chain, 'datadir');
  const dataDir = dataDirSetting ? (p.isAbsolute(dataDirSetting) ? dataDirSetting : p.join(dir, dataDirSetting)) : dir;
  const netDir = p.join(dataDir, coin.networkSubdir);
  const cookieSetting = confGet(conf, chain, 'rpccookiefile');
  const cookiePath = cookieSetting
    ? p.isAbsolute(cookieSetting)
      ? cookieSetting
      : p.join(netDir, cookieSetting)
    : p.join(netDir, '.cookie');
  const cookieExists = await isFile(cookiePath);

  if (text === undefined && !cookieExists) return undefined;
  // A conf that starts another network is someone else's daemon, unless a cookie proves
  // that a daemon of this network (started with e.g. -regtest) runs from this folder too.
  if (text !== undefined && confChainName !== chain && !cookieExists) return undefined;
  if (confChainName !== chain)
    notes.push(
      `${coin.confFile} selects ${CHAIN_WORDS[confChainName]}; a ${CHAIN_WORDS[chain]} daemon is also running from this folder.`,
    );

  const { host, port } = rpcAddressFromConf(conf, chain, coin.defaultRpcPort);
  const password = confGet(conf, chain, 'rpcpassword');
  const auth: RpcAuth =
    password !== undefined ? { username: confGet(conf, chain, 'rpcuser') ?? '', password } : { cookiePath };
  if (!('password' in auth) && !cookieExists) {
    notes.push(`No cookie file yet at ${cookiePath}: the daemon writes it when it starts. Start it, then test again.`);
  }
  const wallets = [...new Set([...confGetAll(conf, chain, 'wallet'), ...(await walletsFromSettings(netDir, p))])];
  if (walletOverride === undefined && wallets.length > 1)
    notes.push(`Several wallets load at start-up (${wallets.join(', ')}): choose one when connecting.`);
  const wallet = walletOverride ?? (wallets.length === 1 ? wallets[0] : undefined);

  const authKind = 'password' in auth ? 'password' : 'cookie';
  const candidate: WalletCandidate = {
    id: candidateId(coin.ticker, [
      dataDir,
      text !== undefined ? confPath : null,
      host,
      port,
      authKind,
      'cookiePath' in auth ? auth.cookiePath : null,
      wallet ?? null,
    ]),
    ticker: coin.ticker,
    source: coin.devnet ? 'devnet' : authKind === 'password' ? 'conf' : 'cookie',
    dataDir,
    host,
    port,
    auth: authKind,
    ...(text !== undefined ? { confPath } : {}),
    ...(wallet !== undefined ? { wallet } : {}),
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
  const connection: ResolvedConnection = {
    ticker: coin.ticker,
    host,
    port,
    auth,
    ...(wallet !== undefined ? { wallet } : {}),
  };
  return { candidate, connection };
}

export async function detectWallets(coin: CoinParams, opts: DetectOptions = {}): Promise<DetectResult> {
  const os = opts.os ?? currentOs();
  const p = pathFor(os);
  const dirs: { dir: string; wallet: string | undefined }[] = [];
  if (!opts.skipDefaultDir && !coin.devnet) dirs.push({ dir: defaultDataDir(coin, opts), wallet: undefined });
  for (const extra of opts.extraDirs ?? []) {
    if (extra.ticker === coin.ticker) dirs.push({ dir: extra.dataDir, wallet: extra.wallet });
  }
  const seen = new Set<string>();
  const searched: string[] = [];
  const detections: Detection[] = [];
  for (const { dir, wallet } of dirs) {
    const normalized = p.normalize(dir);
    const key = `${normalized}\0${wallet ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!searched.includes(normalized)) searched.push(normalized);
    const found = await inspectDir(coin, normalized, wallet, p);
    if (found && !detections.some((d) => d.candidate.id === found.candidate.id)) detections.push(found);
  }
  return { detections, searched };
}

export interface WalletDetector {
  detect(ticker: string): Promise<{ candidates: WalletCandidate[]; searched: string[] }>;
  /** The full connection behind a candidate id (looked up afresh, so a changed password is seen). */
  resolveCandidate(id: string): Promise<ResolvedConnection>;
}

export function createWalletDetector(coins: readonly CoinParams[], opts: DetectOptions = {}): WalletDetector {
  const coinFor = (ticker: string): CoinParams => {
    const coin = coins.find((c) => c.ticker === ticker);
    if (!coin) throw new ApiError('NOT_FOUND', `This node does not know the coin ${ticker}.`);
    return coin;
  };
  return {
    async detect(ticker) {
      const { detections, searched } = await detectWallets(coinFor(ticker), opts);
      return { candidates: detections.map((d) => d.candidate), searched };
    },
    async resolveCandidate(id) {
      const ticker = id.slice(0, Math.max(0, id.indexOf(':')));
      const coin = coins.find((c) => c.ticker === ticker);
      const found = coin ? (await detectWallets(coin, opts)).detections.find((d) => d.candidate.id === id) : undefined;
      if (!found)
        throw new ApiError(
          'NOT_FOUND',
          'That wallet was not found any more (its folder or conf file changed). Search again.',
          { candidateId: id },
        );
      return found.connection;
    },
  };
}
