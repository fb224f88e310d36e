// Child pays for parent (docs/swap.md §8.8): when the daemon refuses to replace a claim or refund
// that waits unconfirmed, the wallet spends that spend's own output (it pays a wallet address) to a
// fresh address of its own, paying enough that parent and child together pay the rate wanted.
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { formatAmount } from '../../src-shared/money/index.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { dustThreshold, type BuiltTx } from '../chain/htlc.ts';
import type { RpcClient } from '../chain/rpc.ts';

/** A one-input, one-output P2WPKH spend, in vbytes (rounded up). */
export const CHILD_VSIZE = 110;

/** The child's fee so that parent + child pay `rate` over both; none when the parent already does. */
export function childFee(parent: Pick<BuiltTx, 'fee' | 'vsize'>, rate: bigint): bigint {
  const package_ = rate * BigInt(parent.vsize + CHILD_VSIZE) - parent.fee;
  const own = rate * BigInt(CHILD_VSIZE);
  return package_ > own ? package_ : own;
}

const Signed = z.object({ hex: z.string(), complete: z.boolean() }).loose();

/** Sends the child; its txid, or undefined when the parent's output cannot carry the fee above dust. */
export async function payForParent(
  wallet: RpcClient,
  coin: CoinParams,
  parent: BuiltTx,
  rate: bigint,
): Promise<string | undefined> {
  const out = parent.tx.outs[0];
  if (!out) return undefined;
  const fee = childFee(parent, rate);
  const value = out.value - fee;
  if (value < dustThreshold(out.script, coin)) return undefined;
  const address = await wallet.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
  const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
    [{ txid: parent.txid, vout: 0 }],
    { [address]: formatAmount(value, coin.decimals) },
  ]);
  const prev = [
    {
      txid: parent.txid,
      vout: 0,
      scriptPubKey: bytesToHex(out.script),
      amount: formatAmount(out.value, coin.decimals),
    },
  ];
  const signed = await wallet.callAs(Signed, 'signrawtransactionwithwallet', [raw, prev]);
  if (!signed.complete) return undefined;
  return wallet.callAs(z.string(), 'sendrawtransaction', [signed.hex], { wallet: false });
}
