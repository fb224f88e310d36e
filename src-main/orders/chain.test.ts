import { address as btcAddress, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { findCoin } from '../../src-shared/coins/registry.ts';
import { testKey } from '../../src-shared/orders/testkit.ts';
import { networkOf } from '../chain/htlc.ts';
import { checkFeeTxBytes, orderIdScript, outpointKey, parseOutpoint } from './chain.ts';
import { defaultMaxFee } from './taker.ts';

describe('order-network transaction pieces', () => {
  it('puts the 32-byte order id in an OP_RETURN push', () => {
    const id = 'ab'.repeat(32);
    const script = orderIdScript(id);
    expect(script).toHaveLength(34);
    expect(Buffer.from(script).toString('hex')).toBe(`6a20${id}`);
  });

  it('reads and writes outpoints', () => {
    const o = { txid: 'cd'.repeat(32), vout: 17 };
    expect(parseOutpoint(outpointKey(o))).toEqual(o);
  });
});

describe('item 7: a taker fee that cannot be taken back', () => {
  const DEVB = findCoin('DEVB')!;
  const orderId = 'ab'.repeat(32);
  const address = testKey(30).address;
  function feeTx(sequence: number, pays = 100_000n): string {
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Buffer.from('cd'.repeat(32), 'hex'), 0, sequence);
    tx.addOutput(btcAddress.toOutputScript(address, networkOf(DEVB)), pays);
    tx.addOutput(orderIdScript(orderId), 0n);
    return tx.toHex();
  }
  const fee = { address, amount: 100_000n };
  it.each([
    ['a final transaction paying the fee with the order id', 0xffffffff, 100_000n, null],
    ['one whose input allows locktime but not replacement', 0xfffffffe, 100_000n, null],
    ['one that signals replacement (BIP 125)', 0xfffffffd, 100_000n, /signals replacement/],
    ['one that pays less than the fee', 0xffffffff, 99_999n, /less than the fee/],
  ])('%s', (_n, sequence, pays, refused) => {
    const r = checkFeeTxBytes(DEVB, feeTx(sequence, pays), fee, orderId);
    if (refused === null) expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, message: expect.stringMatching(refused) });
  });
  it('a fee for another order does not count', () => {
    expect(checkFeeTxBytes(DEVB, feeTx(0xffffffff), fee, 'ef'.repeat(32))).toMatchObject({ ok: false });
  });
});

describe('item 7: the default taker-fee cap', () => {
  const legs = { gives: 'DEVB', giveAmount: 50_000_000n, gets: 'DEVA', getAmount: 100_000_000n };
  it('is 1 % of what the fill moves in the fee coin', () => {
    expect(defaultMaxFee(legs, 'DEVB')).toBe(500_000n);
    expect(defaultMaxFee(legs, 'DEVA')).toBe(1_000_000n);
  });
  it('is nothing in a coin the fill does not move (a cap must be configured)', () => {
    expect(defaultMaxFee(legs, 'LTC')).toBeNull();
  });
});
