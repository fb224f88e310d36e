// What this node can find out about a link beyond its signatures (docs/identity.md §7–8):
// an account's coins on the chains this node has (scantxoutset on the connected daemon, after
// checking it runs the account's chain), and a domain's did-configuration.json fetched with a
// size cap, a timeout, no redirects and no private addresses. What it cannot look at is
// "not checked", never "failed".
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import axios from 'axios';
import { z } from 'zod';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { LinkCheck } from '../../src-shared/identity/contract.ts';
import { DID_CONFIGURATION_PATH, linkedDids } from '../../src-shared/identity/domain.ts';
import { amountFromCoinJson, formatAmount } from '../../src-shared/money/index.ts';
import { CoinJsonAmount, type RpcClient } from '../chain/rpc.ts';
import { GENESIS_PREFIX, coinsOnChain } from './chains.ts';

export interface DomainFetchOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Test networks only: fetch private and loopback addresses too. */
  readonly allowPrivate: boolean;
  /** Test networks only: where to fetch an origin instead (an http server of the test). */
  readonly testOrigins: Readonly<Record<string, string>>;
}

export const DEFAULT_DOMAIN_FETCH: DomainFetchOptions = {
  timeoutMs: 8_000,
  maxBytes: 64 * 1024,
  allowPrivate: false,
  testOrigins: {},
};

const PRIVATE = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net4, bits, 'ipv4');
}
for (const [net6, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net6, bits, 'ipv6');
}

export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

class RefusedAddress extends Error {
  override name = 'RefusedAddress';
}

/** A DNS lookup that refuses private answers, checked where the socket connects (no rebinding window). */
const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0) {
      return callback(new RefusedAddress(`${hostname} resolves to a private address`), '', 4);
    }
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

export type DomainResult = Pick<LinkCheck, 'state' | 'detail'>;

/** Fetches the origin's did-configuration.json and says whether it links `did`. */
export async function checkDomain(
  did: string,
  origin: string,
  o: DomainFetchOptions,
  nowMs: number,
): Promise<DomainResult> {
  const testBase = o.testOrigins[origin];
  const url = `${testBase ?? origin}${DID_CONFIGURATION_PATH}`;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!o.allowPrivate && net.isIP(host) !== 0 && isPrivateAddress(host)) {
    return { state: 'not-checked', detail: `${origin} is a private address; this node does not fetch those` };
  }
  const lookup = o.allowPrivate ? undefined : publicLookup;
  let body: unknown;
  try {
    const res = await axios.get<string>(url, {
      timeout: o.timeoutMs,
      maxContentLength: o.maxBytes,
      maxBodyLength: o.maxBytes,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
      validateStatus: () => true,
      httpAgent: new http.Agent({ lookup }),
      httpsAgent: new https.Agent({ lookup }),
      headers: { Accept: 'application/json' },
      proxy: false,
    });
    if (res.status !== 200) return { state: 'failed', detail: `${url} answered HTTP ${res.status}` };
    body = JSON.parse(res.data);
  } catch (err) {
    const e = err as Error & { code?: string; cause?: unknown };
    const refused =
      e instanceof RefusedAddress || e.cause instanceof RefusedAddress || /private address/.test(e.message);
    if (refused) return { state: 'not-checked', detail: `${origin} resolves to a private address; not fetched` };
    if (e instanceof SyntaxError) return { state: 'failed', detail: `${url} is not JSON` };
    if (/maxContentLength/.test(e.message))
      return { state: 'failed', detail: `${url} serves over ${o.maxBytes} bytes` };
    return { state: 'not-checked', detail: `${url} could not be fetched: ${e.code ?? e.message}`.slice(0, 200) };
  }
  try {
    const linked = linkedDids(body, origin, nowMs);
    return linked.some((l) => l.did === did)
      ? { state: 'verified', detail: `${origin} serves a valid credential for this identity` }
      : { state: 'failed', detail: `${origin} serves no valid credential for this identity` };
  } catch (err) {
    return { state: 'failed', detail: (err as Error).message.slice(0, 200) };
  }
}

const ScanResult = z.object({
  success: z.boolean(),
  unspents: z.array(z.object({ amount: CoinJsonAmount })).max(100_000),
});

export type Balance = LinkCheck['balances'][number];

/** Whether the coin's daemon runs the chain of its table entry (regtest daemons pretending otherwise are skipped). */
async function sameGenesis(coin: CoinParams, rpc: RpcClient): Promise<boolean> {
  const hash = await rpc.call('getblockhash', [0], { wallet: false });
  return typeof hash === 'string' && hash.startsWith(GENESIS_PREFIX[`${coin.family}/${coin.network}`]!);
}

/**
 * The coins at an account's address on each of this node's chains that match it. `rpcOf` gives
 * the coin's connected daemon or undefined. No matching chain: not checked.
 */
export async function checkAccount(
  caip2: string,
  address: string,
  coins: readonly CoinParams[],
  rpcOf: (ticker: string) => RpcClient | undefined,
): Promise<Pick<LinkCheck, 'state' | 'detail' | 'balances'>> {
  const balances: Balance[] = [];
  const errors: string[] = [];
  for (const coin of coinsOnChain(coins, caip2)) {
    const rpc = rpcOf(coin.ticker);
    if (!rpc) continue;
    try {
      if (!(await sameGenesis(coin, rpc))) continue;
      const scan = await rpc.callAs(ScanResult, 'scantxoutset', ['start', [`addr(${address})`]], {
        wallet: false,
        timeoutMs: 120_000,
      });
      if (!scan.success) continue;
      const total = scan.unspents.reduce((s, u) => s + amountFromCoinJson(u.amount, coin.decimals), 0n);
      balances.push({ ticker: coin.ticker, amount: formatAmount(total, coin.decimals), outputs: scan.unspents.length });
    } catch (err) {
      errors.push(`${coin.ticker}: ${(err as Error).message.slice(0, 100)}`);
    }
  }
  if (balances.length === 0) {
    return { state: 'not-checked', detail: errors[0] ?? 'this node has no wallet on that chain', balances };
  }
  const holds = balances.some((b) => b.outputs > 0);
  return {
    state: holds ? 'verified' : 'failed',
    detail: holds ? 'the address holds coins now' : 'the address holds no coins now',
    balances,
  };
}
