// The funding payment (chain-effects.ts fundHtlc) against a scripted wallet: "failed before
// funding" is said only while nothing can have been sent (docs/swap.md §8.2, issue 9 item 1).
import { hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { resumeEffects } from '../../src-shared/swaps/machine.ts';
import { MAKER_PATH } from '../../src-shared/swaps/testkit.ts';
import { htlcAddress, htlcOutputScript } from '../chain/htlc.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { fundHtlc, type FundEffect } from './chain-effects.ts';
import { COINS, makerLive } from './testkit.ts';

const coin = COINS.get('DEVA');
const effect = resumeEffects(makerLive(MAKER_PATH.funding).state).find((x): x is FundEffect => x.type === 'FundHtlc')!;
const address = htlcAddress(hexToBytes(effect.witnessScript), coin);
const TXID = 'c3'.repeat(32);

function paymentTx(): string {
  const tx = new Transaction();
  tx.addInput(new Uint8Array(32).fill(7), 0);
  tx.addOutput(new Uint8Array([0x00, 0x14, ...new Uint8Array(20)]), 5000n);
  tx.addOutput(htlcOutputScript(hexToBytes(effect.witnessScript)), effect.amount);
  return tx.toHex();
}

const sent = {
  category: 'send',
  address,
  amount: `-${formatAmount(effect.amount, coin.decimals)}`,
  vout: 1,
  txid: TXID,
  confirmations: 0,
};
const walletRefusal = (what: string) => new ApiError('WALLET_RPC_ERROR', `the daemon refused ${what}`);

/** A wallet answering each method from a script: a value, a function of the call count, or an error. */
function wallet(script: Record<string, (n: number) => unknown>) {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const rpc = {
    async callAs(schema: { parse(x: unknown): unknown }, method: string) {
      calls.push(method);
      const n = (counts.get(method) ?? 0) + 1;
      counts.set(method, n);
      const answer = script[method];
      if (!answer) throw new Error(`unexpected ${method}`);
      const value = answer(n);
      if (value instanceof Error) throw value;
      return schema.parse(value);
    },
  };
  return { rpc: rpc as unknown as RpcClient, calls };
}

const deps = (rpc: RpcClient, afterSend?: () => void) => ({
  coin,
  wallet: rpc,
  heightOf: async () => effect.notAfter.height - 5,
  feeRate: async () => 10n,
  ...(afterSend ? { afterSend } : {}),
});

describe('fundHtlc: failed before funding only while nothing can have been sent', () => {
  it('pays and reports the HTLC output', async () => {
    const w = wallet({
      listtransactions: () => [],
      sendtoaddress: () => TXID,
      gettransaction: () => ({ hex: paymentTx() }),
    });
    expect(await fundHtlc(effect, deps(w.rpc))).toEqual({ type: 'OwnFundingBroadcast', txid: TXID, vout: 1 });
  });

  it('an RPC error after sendtoaddress returned is a retry, never OwnFundingFailed, and the retry finds the payment', async () => {
    const w = wallet({
      listtransactions: (n) => (n === 1 ? [] : [sent]),
      sendtoaddress: () => TXID,
      gettransaction: () => walletRefusal('gettransaction'),
    });
    const first = await fundHtlc(effect, deps(w.rpc));
    expect(first.type).toBe('retry');
    expect(await fundHtlc(effect, deps(w.rpc))).toEqual({ type: 'OwnFundingBroadcast', txid: TXID, vout: 1 });
    expect(w.calls.filter((m) => m === 'sendtoaddress')).toHaveLength(1);
  });

  it('a wallet error thrown right after the send (the test hook) is a retry', async () => {
    const w = wallet({ listtransactions: () => [], sendtoaddress: () => TXID });
    const outcome = await fundHtlc(
      effect,
      deps(w.rpc, () => {
        throw walletRefusal('anything');
      }),
    );
    expect(outcome.type).toBe('retry');
  });

  it('a refused sendtoaddress with no payment in the wallet is OwnFundingFailed', async () => {
    const w = wallet({
      listtransactions: () => [],
      sendtoaddress: () => new ApiError('INSUFFICIENT_FUNDS', 'not enough coins'),
    });
    expect(await fundHtlc(effect, deps(w.rpc))).toEqual({ type: 'OwnFundingFailed', reason: 'not enough coins' });
  });

  it('a refused sendtoaddress while the wallet shows a payment to the HTLC is a retry', async () => {
    const w = wallet({
      listtransactions: (n) => (n === 1 ? [] : [sent]),
      sendtoaddress: () => walletRefusal('sendtoaddress'),
    });
    expect((await fundHtlc(effect, deps(w.rpc))).type).toBe('retry');
  });

  it('a refused sendtoaddress whose re-check cannot reach the wallet is a retry', async () => {
    const w = wallet({
      listtransactions: (n) => (n === 1 ? [] : new Error('connection refused')),
      sendtoaddress: () => walletRefusal('sendtoaddress'),
    });
    expect((await fundHtlc(effect, deps(w.rpc))).type).toBe('retry');
  });

  it('a payment whose transaction does not show the HTLC output is a retry, not a failure', async () => {
    const other = new Transaction();
    other.addInput(new Uint8Array(32).fill(7), 0);
    other.addOutput(new Uint8Array([0x00, 0x14, ...new Uint8Array(20)]), 5000n);
    const w = wallet({
      listtransactions: () => [],
      sendtoaddress: () => TXID,
      gettransaction: () => ({ hex: other.toHex() }),
    });
    expect((await fundHtlc(effect, deps(w.rpc))).type).toBe('retry');
  });

  it('past notAfter with nothing paid is OwnFundingFailed before any send', async () => {
    const w = wallet({ listtransactions: () => [] });
    const outcome = await fundHtlc(effect, { ...deps(w.rpc), heightOf: async () => effect.notAfter.height + 1 });
    expect(outcome.type).toBe('OwnFundingFailed');
    expect(w.calls).toEqual(['listtransactions']);
  });
});
