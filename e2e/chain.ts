// The devnet's chains as a test reads them: a minimal JSON-RPC client for each regtest daemon
// (login from the conf the devnet wrote), the exact fee of any transaction (inputs − outputs,
// via txindex) and the taker-fee payment of an order (the wallet send carrying its OP_RETURN).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { amountFromCoinJson } from '../src-shared/money/index.ts';
import { childFees as childFeesOfChain } from '../test/support/children.ts';
import { devnetState } from './devnet.ts';

const DECIMALS = 8;

interface RawTx {
  txid: string;
  vin: Array<{ txid?: string; vout?: number; coinbase?: string }>;
  vout: Array<{ value: number; n: number; scriptPubKey: { hex: string; type?: string } }>;
}

export function chainRpc(ticker: string) {
  const chain = devnetState().chains.find((c) => c.ticker === ticker);
  if (!chain) throw new Error(`no devnet chain ${ticker}`);
  const conf = readFileSync(path.join(chain.dataDir, 'litecoin.conf'), 'utf8');
  const get = (key: string) => conf.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1]?.trim();
  const auth = Buffer.from(`${get('rpcuser')}:${get('rpcpassword')}`).toString('base64');
  let id = 1;
  return async <T>(method: string, params: unknown[] = [], wallet?: string): Promise<T> => {
    const res = await fetch(
      `http://127.0.0.1:${chain.rpcPort}/${wallet !== undefined ? `wallet/${encodeURIComponent(wallet)}` : ''}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${auth}` },
        body: JSON.stringify({ jsonrpc: '1.0', id: id++, method, params }),
      },
    );
    const body = (await res.json()) as { result: T; error: { message: string } | null };
    if (body.error) throw new Error(`${ticker} ${method}: ${body.error.message}`);
    return body.result;
  };
}

/** The exact fee of a transaction, in base units: what its inputs spend minus what its outputs pay. */
export async function txFee(ticker: string, txid: string): Promise<bigint> {
  const rpc = chainRpc(ticker);
  const tx = await rpc<RawTx>('getrawtransaction', [txid, true]);
  let inputs = 0n;
  for (const input of tx.vin) {
    if (input.txid === undefined || input.vout === undefined)
      throw new Error(`${txid} spends a coinbase: no fee to speak of`);
    const prev = await rpc<RawTx>('getrawtransaction', [input.txid, true]);
    const out = prev.vout.find((o) => o.n === input.vout);
    if (!out) throw new Error(`${txid} spends a missing output ${input.txid}:${input.vout}`);
    inputs += amountFromCoinJson(out.value, DECIMALS);
  }
  const outputs = tx.vout.reduce((a, o) => a + amountFromCoinJson(o.value, DECIMALS), 0n);
  return inputs - outputs;
}

/** What the wallet's children of `txid` paid, and their children's (test/support/children.ts). */
export async function childFees(ticker: string, wallet: string, txid: string): Promise<bigint> {
  const rpc = chainRpc(ticker);
  return childFeesOfChain(txid, {
    walletTxids: async () =>
      (await rpc<Array<{ txid: string }>>('listtransactions', ['*', 1000], wallet)).map((t) => t.txid),
    inputsOf: async (id) =>
      (await rpc<RawTx>('getrawtransaction', [id, true])).vin.flatMap((i) => (i.txid === undefined ? [] : [i.txid])),
    feeOf: (id) => txFee(ticker, id),
  });
}

/** The wallet's payment of the taker fee for an order: the send whose OP_RETURN carries the order id. */
export async function takerFeeTx(
  ticker: string,
  wallet: string,
  orderId: string,
): Promise<{ txid: string; networkFee: bigint }> {
  const rpc = chainRpc(ticker);
  const sends = (await rpc<Array<{ txid: string; category: string }>>('listtransactions', ['*', 200], wallet)).filter(
    (t) => t.category === 'send',
  );
  for (const txid of new Set(sends.map((s) => s.txid))) {
    const tx = await rpc<RawTx>('getrawtransaction', [txid, true]);
    if (tx.vout.some((o) => o.scriptPubKey.hex === `6a20${orderId}`))
      return { txid, networkFee: await txFee(ticker, txid) };
  }
  throw new Error(`no ${ticker} payment of ${wallet} carries the order id ${orderId}`);
}

/** The coins a wallet holds locked (lockunspent), by outpoint, with their values in base units. */
export async function lockedCoins(ticker: string, wallet: string): Promise<Map<string, bigint>> {
  const rpc = chainRpc(ticker);
  const out = new Map<string, bigint>();
  for (const o of await rpc<Array<{ txid: string; vout: number }>>('listlockunspent', [], wallet)) {
    const coin = await rpc<{ value: number } | null>('gettxout', [o.txid, o.vout, true]);
    if (coin) out.set(`${o.txid}:${o.vout}`, amountFromCoinJson(coin.value, DECIMALS));
  }
  return out;
}

/**
 * Runs `wait` while mining `ticker` faster than the devnet's block a second, into the devnet
 * miner's wallet: a refund waits for its lock's height (tens of blocks), and at the devnet's pace
 * the test would sit idle for a minute. Blocks stop as soon as `wait` settles, whichever way.
 */
export async function mineWhile<T>(
  ticker: string,
  wait: () => Promise<T>,
  blocksPerStep = 2,
  stepMs = 250,
): Promise<T> {
  const rpc = chainRpc(ticker);
  const address = await rpc<string>('getnewaddress', [], 'miner');
  let done = false;
  const mining = (async () => {
    while (!done) {
      await rpc('generatetoaddress', [blocksPerStep, address]);
      await new Promise((r) => setTimeout(r, stepMs));
    }
  })().catch((err: unknown) => {
    // Only a speed-up: `wait` goes on at the devnet's own pace.
    console.warn(`mining ${ticker} faster stopped: ${String(err)}`);
  });
  try {
    return await wait();
  } finally {
    done = true;
    await mining;
  }
}
