// A hostile swap counterparty in its own process: a real p2p host speaking /hashlock/swap/1.0.0
// with valid messages, which then locks a WRONG HTLC from its own regtest wallet (wrong amount,
// not an HTLC script, wrong secret hash, or a lock shorter than agreed) and announces it.
// Config is argv[2] (JSON); it prints JSON lines: {event:'ready'|'funded'|'message'|'error', ...}.
// As maker it proposes when it reads "go" on stdin; as taker it answers the honest maker.
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import * as ecc from '@bitcoinerlab/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { getCoin } from '../../../src-shared/coins/registry.ts';
import { formatAmount } from '../../../src-shared/money/index.ts';
import { decodeSwapMessage, encodeSwapMessage } from '../../../src-shared/swaps/messages.ts';
import { REGTEST_TIMELOCK_POLICY, chainParamsOf, proposeLocktimes } from '../../../src-shared/swaps/timelock.ts';
import type { SwapMessage, SwapProposal, SwapTerms } from '../../../src-shared/swaps/types.ts';
import { expectedHtlc } from '../../../src-shared/swaps/verify.ts';
import { htlcAddress, htlcOutputScript, htlcScript } from '../../../src-main/chain/htlc.ts';
import { RpcClient } from '../../../src-main/chain/rpc.ts';
import { createP2pHost } from '../../../src-main/p2p/host.ts';
import { SWAP_PROTOCOL } from '../../../src-main/swaps/protocol.ts';
import { payAt } from '../../support/regtest.ts';

export type Fault =
  | 'wrong-amount'
  | 'wrong-script'
  | 'wrong-hash'
  | 'short-lock'
  | 'wrong-claim-key'
  | 'wrong-refund-key'
  | 'long-lock'
  | 'output-mismatch'
  /** The agreed HTLC; on 'double-spend' from stdin, a conflicting payment of its inputs to itself. */
  | 'double-spend';

export interface HostileConfig {
  dataDir: string;
  role: 'maker' | 'taker';
  fault: Fault;
  /** Honest node to talk to. */
  target: { peerId: string; addr: string };
  chains: Record<'DEVA' | 'DEVB', { port: number; username: string; password: string }>;
  wallet: string;
  /** Maker only: what it proposes, base units. */
  makerAmount?: string;
  takerAmount?: string;
}

const ECPair = ECPairFactory(ecc);
const out = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
const cfg = JSON.parse(process.argv[2] ?? '{}') as HostileConfig;
const rpc = (t: 'DEVA' | 'DEVB') =>
  new RpcClient({
    host: '127.0.0.1',
    port: cfg.chains[t].port,
    auth: { username: cfg.chains[t].username, password: cfg.chains[t].password },
    family: 'litecoin',
    wallet: cfg.wallet,
  });
const height = (t: 'DEVA' | 'DEVB') => rpc(t).callAs(z.number(), 'getblockcount', [], { wallet: false });
const newAddress = (t: 'DEVA' | 'DEVB') => rpc(t).callAs(z.string(), 'getnewaddress', ['', 'bech32']);
const pubkey = () => bytesToHex(ECPair.makeRandom().publicKey);

const host = createP2pHost({
  dataDir: cfg.dataDir,
  log: { info: () => undefined, warn: (m, d) => process.stderr.write(`${m} ${JSON.stringify(d)}\n`) },
});
let terms: SwapTerms | undefined;
let proposal: SwapProposal | undefined;
/** The HTLC funding of a 'double-spend' peer. */
let fundedTx: { ticker: 'DEVA' | 'DEVB'; txid: string } | undefined;

/**
 * Signs a payment of its HTLC funding's inputs back to itself, and hands it out (not broadcast: the
 * daemons relay no replacement, so the test has it mined, as a colluding miner would).
 */
async function doubleSpend(): Promise<void> {
  if (!fundedTx) throw new Error('nothing funded to double-spend');
  const wallet = rpc(fundedTx.ticker);
  const txOf = async (id: string) =>
    Transaction.fromHex(await wallet.callAs(z.object({ hex: z.string() }), 'gettransaction', [id]).then((t) => t.hex));
  const funding = await txOf(fundedTx.txid);
  let total = 0n;
  const inputs = [];
  for (const i of funding.ins) {
    const prevTxid = bytesToHex(Uint8Array.from(i.hash).reverse());
    total += BigInt((await txOf(prevTxid)).outs[i.index]!.value);
    inputs.push({ txid: prevTxid, vout: i.index });
  }
  const fee = 100_000n;
  const back = await newAddress(fundedTx.ticker);
  const raw = await wallet.callAs(z.string(), 'createrawtransaction', [
    inputs,
    [{ [back]: formatAmount(total - fee, 8) }],
  ]);
  const signed = await wallet.callAs(
    z.object({ hex: z.string(), complete: z.boolean() }),
    'signrawtransactionwithwallet',
    [raw],
  );
  out({ event: 'double-spend', hex: signed.hex, replaces: fundedTx.txid, fee: fee.toString() });
}

async function send(m: SwapMessage): Promise<void> {
  try {
    await host.request(cfg.target.peerId, SWAP_PROTOCOL, encodeSwapMessage(m), { timeoutMs: 10_000 });
    out({ event: 'sent', type: m.type });
  } catch (err) {
    out({ event: 'send-failed', type: m.type, error: (err as Error).message });
  }
}

/** Locks the wrong HTLC on `chain` (the one this party funds) and announces it. */
async function fundWrong(t: SwapTerms, chain: 'makerChain' | 'takerChain'): Promise<void> {
  const e = expectedHtlc(t, chain);
  const coin = getCoin(e.ticker);
  const fields = {
    secretHash: hexToBytes(e.secretHash),
    claimPubkey: hexToBytes(e.claimPubkey),
    refundPubkey: hexToBytes(e.refundPubkey),
    locktime: e.locktime,
  };
  let script: Uint8Array;
  let paid: Uint8Array | undefined;
  let amount = e.amount;
  switch (cfg.fault) {
    case 'wrong-amount':
      script = htlcScript(fields);
      amount = e.amount - 10_000n;
      break;
    case 'wrong-hash':
      script = htlcScript({ ...fields, secretHash: sha256(randomBytes(32)) });
      break;
    case 'short-lock':
      script = htlcScript({ ...fields, locktime: e.locktime - 10 });
      break;
    case 'wrong-script':
      script = Uint8Array.of(0x51);
      break; // OP_TRUE: anyone can spend it
    case 'wrong-claim-key':
      script = htlcScript({ ...fields, claimPubkey: ECPair.makeRandom().publicKey });
      break;
    case 'wrong-refund-key':
      script = htlcScript({ ...fields, refundPubkey: ECPair.makeRandom().publicKey });
      break;
    case 'long-lock':
      script = htlcScript({ ...fields, locktime: e.locktime + 10 });
      break;
    case 'double-spend':
      script = htlcScript(fields);
      break;
    case 'output-mismatch':
      // Declares the agreed script, but pays to another one (its own refund key).
      script = htlcScript(fields);
      paid = htlcScript({ ...fields, refundPubkey: ECPair.makeRandom().publicKey });
      break;
  }
  const address = cfg.fault === 'wrong-script' ? htlcAddressRaw(script, coin) : htlcAddress(paid ?? script, coin);
  const wallet = rpc(e.ticker as 'DEVA' | 'DEVB');
  const txid = await payAt(wallet, address, amount);
  if (cfg.fault === 'double-spend') fundedTx = { ticker: e.ticker as 'DEVA' | 'DEVB', txid };
  const tx = Transaction.fromHex(await wallet.callAs(z.string(), 'getrawtransaction', [txid], { wallet: false }));
  const vout = tx.outs.findIndex((o) => bytesToHex(o.script) === bytesToHex(htlcOutputScript(paid ?? script)));
  out({ event: 'funded', txid, vout, amount: amount.toString(), ticker: e.ticker });
  await send({
    type: chain === 'makerChain' ? 'swap.makerFunded' : 'swap.takerFunded',
    swapId: t.swapId,
    txid,
    vout,
    witnessScript: bytesToHex(script),
  });
}

/** P2WSH address of any script (htlcAddress insists on an HTLC). */
function htlcAddressRaw(script: Uint8Array, coin: ReturnType<typeof getCoin>): string {
  const program = htlcOutputScript(script).subarray(2);
  return bech32Address(coin.bech32, program);
}

async function main(): Promise<void> {
  await host.handleRequest(SWAP_PROTOCOL, async (req) => {
    const m = decodeSwapMessage(req);
    out({ event: 'message', type: m.type, ...(m.type === 'swap.abort' ? { reason: m.reason } : {}) });
    if (cfg.role === 'maker' && m.type === 'swap.accept' && proposal && !terms) {
      terms = { ...proposal, takerPubkeys: m.takerPubkeys, takerAddresses: m.takerAddresses };
      const t = terms;
      setTimeout(
        () => void fundWrong(t, 'makerChain').catch((err: Error) => out({ event: 'error', error: err.message })),
        0,
      );
    }
    if (cfg.role === 'taker' && m.type === 'swap.propose' && !terms) {
      const { type: _type, ...p } = m;
      terms = {
        ...p,
        takerPubkeys: { makerChain: pubkey(), takerChain: pubkey() },
        takerAddresses: { refund: await newAddress('DEVB'), payout: await newAddress('DEVA') },
      };
      const t = terms;
      setTimeout(
        () =>
          void send({
            type: 'swap.accept',
            swapId: t.swapId,
            takerPubkeys: t.takerPubkeys,
            takerAddresses: t.takerAddresses,
          }),
        0,
      );
    }
    if (cfg.role === 'taker' && m.type === 'swap.makerFunded' && terms) {
      const t = terms;
      setTimeout(
        () => void fundWrong(t, 'takerChain').catch((err: Error) => out({ event: 'error', error: err.message })),
        0,
      );
    }
    return { ok: true };
  });
  await host.start();
  await host.dial(cfg.target.addr);
  out({ event: 'ready', peerId: host.peerId, addr: `${host.listenAddrs()[0]}` });

  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'stop') void host.stop().then(() => process.exit(0));
    if (line.trim() === 'double-spend')
      void doubleSpend().catch((err: Error) => out({ event: 'error', error: err.message }));
    if (line.trim() !== 'go' || cfg.role !== 'maker') return;
    void (async () => {
      const heights = { makerChain: await height('DEVA'), takerChain: await height('DEVB') };
      const chains = { makerChain: chainParamsOf(getCoin('DEVA')), takerChain: chainParamsOf(getCoin('DEVB')) };
      const locks = proposeLocktimes({
        chains,
        confirmations: { makerChain: 1, takerChain: 1 },
        heights,
        policy: REGTEST_TIMELOCK_POLICY,
      });
      proposal = {
        swapId: `hostile-${randomBytes(6).toString('hex')}`,
        orderId: 'hostile-order',
        secretHash: bytesToHex(sha256(randomBytes(32))),
        makerLeg: {
          ticker: 'DEVA',
          amount: BigInt(cfg.makerAmount ?? '100000000'),
          locktime: locks.makerChain,
          confirmations: 1,
        },
        takerLeg: {
          ticker: 'DEVB',
          amount: BigInt(cfg.takerAmount ?? '400000000'),
          locktime: locks.takerChain,
          confirmations: 1,
        },
        makerPubkeys: { makerChain: pubkey(), takerChain: pubkey() },
        makerAddresses: { refund: await newAddress('DEVA'), payout: await newAddress('DEVB') },
      };
      out({ event: 'proposing', swapId: proposal.swapId });
      await send({ type: 'swap.propose', ...proposal });
    })().catch((err: Error) => out({ event: 'error', error: err.message }));
  });
  // The test that started it is gone (its end of the pipe closed): so is this peer.
  process.stdin.once('close', () => void host.stop().finally(() => process.exit(0)));
}

/** bech32 for the raw P2WSH address, via @scure/base (as src-main/chain/address.ts uses it). */
function bech32Address(prefix: string, program: Uint8Array): string {
  return bech32.encode(prefix, [0, ...bech32.toWords(program)]);
}

main().catch((err: Error) => {
  out({ event: 'error', error: err.stack ?? err.message });
  process.exit(1);
});
