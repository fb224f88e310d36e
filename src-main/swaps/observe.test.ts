// chainEvents over chain views holding real signed transactions: which machine events the chain
// supports for a swap, told apart by the witness of each spend. The views here are plain data
// (the watcher that fills them in is tested against a real daemon in test/integration/swap).
import * as ecc from '@bitcoinerlab/secp256k1';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { describe, expect, it } from 'vitest';
import { getCoin } from '../../src-shared/coins/registry.ts';
import {
  MAKER_FUNDING_TXID,
  MAKER_PATH,
  SECRET,
  TAKER_FUNDING_TXID,
  driveMaker,
  terms,
} from '../../src-shared/swaps/testkit.ts';
import type { SwapEvent } from '../../src-shared/swaps/types.ts';
import { expectedScripts } from '../../src-shared/swaps/verify.ts';
import { probeAddress } from '../chain/address.ts';
import { buildClaimTx, buildRefundTx, type SwapSigner } from '../chain/htlc.ts';
import type { ChainTip, SeenOutput, SeenSpend, SeenTx, WatchOutpoint } from '../chain/watcher.ts';
import { chainEvents, watchTargets, type ChainView } from './observe.ts';

const ECPair = ECPairFactory(ecc);
const DEVA = getCoin('DEVA');
const DEVB = getCoin('DEVB');
const ADDRESS = probeAddress(DEVA);

/** The testkit's keys are private keys 1..4: maker refund (maker chain), maker claim (taker chain), taker claim, taker refund. */
function signer(n: number): SwapSigner {
  const sk = new Uint8Array(32);
  sk[31] = n;
  const pair = ECPair.fromPrivateKey(sk);
  return { publicKey: pair.publicKey, signDigest: (d) => pair.sign(d, true) };
}

interface Entry {
  tx: Transaction;
  confirmations: number;
  inMempool?: boolean;
  goneSinceHeight?: number;
}

/** A chain view over a list of transactions, as the watcher would report them. */
function view(tipHeight: number, entries: Entry[]): ChainView {
  const gone = (e: Entry) => (e.goneSinceHeight !== undefined ? { goneSinceHeight: e.goneSinceHeight } : {});
  return {
    tip: (): ChainTip => ({ height: tipHeight, hash: '00'.repeat(32) }),
    outputsTo: (script): SeenOutput[] =>
      entries.flatMap((e) =>
        e.tx.outs.flatMap((o, vout) =>
          bytesToHex(o.script) === script
            ? [
                {
                  txid: e.tx.getId(),
                  vout,
                  value: o.value,
                  outputScript: script,
                  confirmations: e.confirmations,
                  ...gone(e),
                },
              ]
            : [],
        ),
      ),
    transaction: (txid): SeenTx | undefined => {
      const e = entries.find((x) => x.tx.getId() === txid);
      return (
        e && {
          txid,
          tx: e.tx,
          confirmations: e.confirmations,
          inMempool: e.inMempool ?? e.confirmations === 0,
          ...gone(e),
        }
      );
    },
    spendsOf: (op: WatchOutpoint): SeenSpend[] =>
      entries.flatMap((e) =>
        e.tx.ins.flatMap((input, inputIndex) =>
          bytesToHex(Uint8Array.from(input.hash).reverse()) === op.txid && input.index === op.vout
            ? [{ txid: e.tx.getId(), tx: e.tx, inputIndex, confirmations: e.confirmations, ...gone(e) }]
            : [],
        ),
      ),
  };
}

function fundingTx(outputScript: string, amount: bigint): Transaction {
  const tx = new Transaction();
  tx.addInput(new Uint8Array(32).fill(7), 0);
  tx.addOutput(hexToBytes(outputScript), amount);
  return tx;
}

const T = terms();
const makerHtlc = expectedScripts(T, 'makerChain');
const takerHtlc = expectedScripts(T, 'takerChain');
const spendOf = (txid: string, amount: bigint, script: string) => ({
  fundingTxid: txid,
  vout: 0,
  value: amount,
  script: hexToBytes(script),
  feeRateSatPerVb: 10n,
});

// The maker's HTLC (maker chain, funding 'a1…') claimed by the taker with the secret; the taker's (taker chain, 'b1…') refunded by it.
const takerClaimsMakerHtlc = buildClaimTx({
  ...spendOf(MAKER_FUNDING_TXID, T.makerLeg.amount, makerHtlc.witnessScript),
  destination: ADDRESS,
  preimage: hexToBytes(SECRET),
  coin: DEVA,
  signer: signer(3),
});
const takerRefundsItsHtlc = buildRefundTx({
  ...spendOf(TAKER_FUNDING_TXID, T.takerLeg.amount, takerHtlc.witnessScript),
  destination: ADDRESS,
  coin: DEVB,
  signer: signer(4),
});
const makerRefundsItsHtlc = buildRefundTx({
  ...spendOf(MAKER_FUNDING_TXID, T.makerLeg.amount, makerHtlc.witnessScript),
  destination: ADDRESS,
  coin: DEVA,
  signer: signer(1),
});

const types = (events: SwapEvent[]) => events.map((e) => e.type);

describe('chain observations become machine events', () => {
  it("a payment to the taker's expected HTLC address is seen, with the expected script and its depth capped at the agreed confirmations", () => {
    const funded = driveMaker(MAKER_PATH.funded).state;
    const funding = fundingTx(takerHtlc.outputScript, T.takerLeg.amount);
    const events = chainEvents(funded, {
      makerChain: view(210, []),
      takerChain: view(310, [{ tx: funding, confirmations: 5 }]),
    });
    expect(events).toEqual([
      {
        type: 'CounterpartyFundingSeen',
        htlc: {
          txid: funding.getId(),
          vout: 0,
          amount: T.takerLeg.amount,
          outputScript: takerHtlc.outputScript,
          witnessScript: takerHtlc.witnessScript,
          confirmations: 1,
        },
      },
    ]);
  });

  it('a declared funding outpoint is reported with the declared script and the output as found, so a wrong HTLC gets a precise reason', () => {
    const wrong = fundingTx('0020' + '11'.repeat(32), 123n);
    const noticed = driveMaker([
      ...MAKER_PATH.funded,
      { type: 'CounterpartyFunded', txid: wrong.getId(), vout: 0, witnessScript: '51' },
    ]).state;
    const events = chainEvents(noticed, {
      makerChain: view(210, []),
      takerChain: view(310, [{ tx: wrong, confirmations: 0 }]),
    });
    expect(events).toEqual([
      {
        type: 'CounterpartyFundingSeen',
        htlc: {
          txid: wrong.getId(),
          vout: 0,
          amount: 123n,
          outputScript: '0020' + '11'.repeat(32),
          witnessScript: '51',
          confirmations: 0,
        },
      },
    ]);
  });

  it("the taker's claim of our HTLC yields the secret from its witness", () => {
    const claiming = driveMaker(MAKER_PATH.claiming).state;
    const events = chainEvents(claiming, {
      makerChain: view(210, [{ tx: takerClaimsMakerHtlc.tx, confirmations: 0 }]),
      takerChain: view(310, []),
    });
    expect(events).toContainEqual({
      type: 'CounterpartyClaimSeen',
      txid: takerClaimsMakerHtlc.txid,
      secret: SECRET,
      confirmations: 0,
    });
  });

  it("the counterparty's refund of its HTLC and our own refund of ours are told apart from claims", () => {
    const refunding = driveMaker([
      ...MAKER_PATH.claiming.slice(0, 3),
      { type: 'TimerTick', heights: { makerChain: T.makerLeg.locktime, takerChain: T.takerLeg.locktime }, nowMs: 0 },
    ]).state;
    expect(refunding.phase).toBe('refunding');
    const theirFunding = fundingTx(takerHtlc.outputScript, T.takerLeg.amount);
    const events = chainEvents(refunding, {
      makerChain: view(T.makerLeg.locktime + 2, [{ tx: makerRefundsItsHtlc.tx, confirmations: 2 }]),
      takerChain: view(T.takerLeg.locktime + 2, [
        { tx: theirFunding, confirmations: 9 },
        { tx: takerRefundsItsHtlc.tx, confirmations: 1 },
      ]),
    });
    expect(types(events)).toEqual(['CounterpartyFundingSeen', 'RefundBroadcast', 'RefundConfirmed']);
    expect(events).toContainEqual({ type: 'RefundConfirmed', txid: makerRefundsItsHtlc.txid });

    const claiming = driveMaker(MAKER_PATH.claiming).state;
    const theirs = chainEvents(claiming, {
      makerChain: view(210, []),
      takerChain: view(310, [{ tx: takerRefundsItsHtlc.tx, confirmations: 3 }]),
    });
    expect(theirs).toContainEqual({ type: 'CounterpartyRefundSeen', txid: takerRefundsItsHtlc.txid, confirmations: 1 });
  });

  it('a counterparty funding that vanished counts as gone only after the agreed depth of blocks', () => {
    const claiming = driveMaker(MAKER_PATH.claiming).state;
    const vanished = fundingTx(takerHtlc.outputScript, T.takerLeg.amount);
    // The state's theirFunding is the testkit's 'b1…' outpoint: report that txid as gone.
    const goneView = (tip: number): ChainView => ({
      ...view(tip, []),
      transaction: (txid) =>
        txid === TAKER_FUNDING_TXID
          ? { txid, tx: vanished, confirmations: 0, inMempool: false, goneSinceHeight: 305 }
          : undefined,
    });
    expect(types(chainEvents(claiming, { makerChain: view(210, []), takerChain: goneView(304) }))).not.toContain(
      'CounterpartyFundingGone',
    );
    expect(chainEvents(claiming, { makerChain: view(210, []), takerChain: goneView(305) })).toContainEqual({
      type: 'CounterpartyFundingGone',
      txid: TAKER_FUNDING_TXID,
    });
  });

  it('nothing is observed before the terms are fixed, and the watch targets follow what the state knows', () => {
    const proposed = driveMaker(MAKER_PATH.proposed).state;
    expect(chainEvents(proposed, { makerChain: view(200, []), takerChain: view(300, []) })).toEqual([]);
    expect(watchTargets(proposed)).toEqual({});
    const claiming = driveMaker(MAKER_PATH.claiming).state;
    expect(watchTargets(claiming)).toEqual({
      makerChain: {
        scripts: [makerHtlc.outputScript],
        txids: [MAKER_FUNDING_TXID],
        outpoints: [{ txid: MAKER_FUNDING_TXID, vout: 0 }],
      },
      takerChain: { scripts: [takerHtlc.outputScript], txids: [], outpoints: [{ txid: TAKER_FUNDING_TXID, vout: 0 }] },
    });
  });
});
