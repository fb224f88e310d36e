// Child pays for parent (docs/swap.md §8.8): when the daemon refuses to replace a claim or refund
// that waits unconfirmed (Litecoin Core relays no replacement unless -mempoolreplacement=1), the
// wallet spends that spend's own output (it pays a wallet address) to a fresh address of its own,
// paying enough that the whole package pays the rate wanted. A later, higher rate adds a child to
// the last child (a chain), since the first child cannot be replaced either.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { formatAmount } from '../../src-shared/money/index.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { dustThreshold, type BuiltTx } from '../chain/htlc.ts';
import type { RpcClient } from '../chain/rpc.ts';

/** A one-input, one-output P2WPKH spend, in vbytes (rounded up). */
export const CHILD_VSIZE = 110;

/** The unconfirmed chain a child extends: its last output and what the whole package paid so far. */
export interface Package {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly script: Uint8Array;
  readonly fee: bigint;
  readonly vsize: number;
}

export function packageOf(parent: BuiltTx): Package | undefined {
  const out = parent.tx.outs[0];
  if (!out) return undefined;
  return { txid: parent.txid, vout: 0, value: out.value, script: out.script, fee: parent.fee, vsize: parent.vsize };
}

/** The child's fee so that the package and the child pay `rate` over all; at least the child's own size at the rate. */
export function childFee(pkg: Pick<Package, 'fee' | 'vsize'>, rate: bigint): bigint {
  const all = rate * BigInt(pkg.vsize + CHILD_VSIZE) - pkg.fee;
  const own = rate * BigInt(CHILD_VSIZE);
  return all > own ? all : own;
}

const Signed = z.object({ hex: z.string(), complete: z.boolean() }).loose();
const Decoded = z.object({ vsize: z.number().int().positive() }).loose();

/** Sends a child of the package's last output; the package it makes, or undefined when its value cannot carry the fee above dust. */
export async function payForParent(
  wallet: RpcClient,
  coin: CoinParams,
  pkg: Package,
  rate: bigint,
): Promise<Package | undefined> {
  const fee = childFee(pkg, rate);
  const value = pkg.value - fee;
  if (value < dustThreshold(pkg.script, coin)) return undefined;
  const address = await wallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
  const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
    [{ txid: pkg.txid, vout: pkg.vout }],
    { [address]: formatAmount(value, coin.decimals) },
  ]);
  const prev = [
    {
      txid: pkg.txid,
      vout: pkg.vout,
      scriptPubKey: bytesToHex(pkg.script),
      amount: formatAmount(pkg.value, coin.decimals),
    },
  ];
  const signed = await wallet.callAs(Signed, 'signrawtransactionwithwallet', [raw, prev]);
  if (!signed.complete) return undefined;
  const { vsize } = await wallet.callAs(Decoded, 'decoderawtransaction', [signed.hex], { wallet: false });
  const txid = await wallet.callAs(z.string(), 'sendrawtransaction', [signed.hex], { wallet: false });
  const script = await wallet.callAs(
    z.object({ scriptPubKey: z.string().regex(/^[0-9a-f]+$/) }).loose(),
    'getaddressinfo',
    [address],
  );
  return {
    txid,
    vout: 0,
    value,
    script: hexToBytes(script.scriptPubKey),
    fee: pkg.fee + fee,
    vsize: pkg.vsize + vsize,
  };
}
