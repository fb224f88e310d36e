// Checks a trade record against chain data: each lock pays the traded amount into a P2WSH (the
// HTLC) on its chain, and each claim spends the other party's lock. A node checks only what its
// own daemons can see; without both chains the answer is 'no-chain'.
import { z } from 'zod';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import type { TradeRecord } from '../../src-shared/history/record.ts';
import type { RpcClient } from '../chain/rpc.ts';

export type TradeCheck = 'yes' | 'no-chain' | 'failed';

/** The daemon of a chain this node can ask, or null when it has no wallet on it. */
export type ChainLookup = (ticker: string) => RpcClient | null;

async function fetchTx(rpc: RpcClient, txid: string): Promise<Transaction | null> {
  try {
    return Transaction.fromHex(
      await rpc.callAs(z.string(), 'getrawtransaction', [txid], { wallet: false, retry: false }),
    );
  } catch {
    return null;
  }
}

const isP2wsh = (script: Uint8Array): boolean => script.length === 34 && script[0] === 0x00 && script[1] === 0x20;
const spends = (tx: Transaction, txid: string): boolean =>
  tx.ins.some((i) => bytesToHex(Uint8Array.from(i.hash).reverse()) === txid);

export async function verifyTradeOnChain(r: TradeRecord, chains: ChainLookup): Promise<TradeCheck> {
  const makerTicker = r.makerSide === 'sell' ? r.market.base : r.market.quote;
  const takerTicker = r.makerSide === 'sell' ? r.market.quote : r.market.base;
  const makerAmount = r.makerSide === 'sell' ? r.baseAmount : r.quoteAmount;
  const takerAmount = r.makerSide === 'sell' ? r.quoteAmount : r.baseAmount;
  const makerChain = chains(makerTicker);
  const takerChain = chains(takerTicker);
  if (!makerChain || !takerChain) return 'no-chain';
  const [makerLock, takerLock, makerClaim, takerClaim] = await Promise.all([
    fetchTx(makerChain, r.txids.makerLock),
    fetchTx(takerChain, r.txids.takerLock),
    fetchTx(takerChain, r.txids.makerClaim),
    fetchTx(makerChain, r.txids.takerClaim),
  ]);
  if (!makerLock || !takerLock || !makerClaim || !takerClaim) return 'failed';
  if (!makerLock.outs.some((o) => isP2wsh(o.script) && o.value === makerAmount)) return 'failed';
  if (!takerLock.outs.some((o) => isP2wsh(o.script) && o.value === takerAmount)) return 'failed';
  if (!spends(makerClaim, r.txids.takerLock) || !spends(takerClaim, r.txids.makerLock)) return 'failed';
  return 'yes';
}
