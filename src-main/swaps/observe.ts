// Turns what the chain watchers see into the machine's events (docs/swap.md §5 "Observations"):
// payments to the counterparty's HTLC address or to its declared outpoint, our funding's depth,
// and spends of both HTLCs told apart by their witness (claim with the secret, or refund).
// Pure over the watcher views, so the same chain state always yields the same events; the engine
// feeds them and the machine decides what each one means in the current state.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/curves/utils.js';
import { expectedScripts } from '../../src-shared/swaps/verify.ts';
import type { Chain, HtlcSeen, Outpoint, SwapEvent, SwapSetup, SwapState } from '../../src-shared/swaps/types.ts';
import { extractSecret } from '../chain/htlc.ts';
import type { ChainTip, SeenSpend, SeenTx, WatchOutpoint, SeenOutput } from '../chain/watcher.ts';

/** The read side of a chain watcher. */
export interface ChainView {
  tip(): ChainTip | undefined;
  outputsTo(outputScriptHex: string): SeenOutput[];
  transaction(txid: string): SeenTx | undefined;
  spendsOf(outpoint: WatchOutpoint): SeenSpend[];
}

export type ChainViews = Record<Chain, ChainView>;

interface Known {
  setup: SwapSetup;
  own: Chain;
  other: Chain;
  ownFunding?: Outpoint;
  theirFunding?: Outpoint;
  theirNotice?: Outpoint & { witnessScript: string };
}

/** What a state knows that observations depend on; undefined before the terms are fixed or after the end. */
function known(s: SwapState): Known | undefined {
  const own: Chain = s.role === 'maker' ? 'makerChain' : 'takerChain';
  const other: Chain = own === 'makerChain' ? 'takerChain' : 'makerChain';
  switch (s.phase) {
    case 'funding':
      return {
        setup: s.setup,
        own,
        other,
        ...('theirFunding' in s && s.theirFunding ? { theirFunding: s.theirFunding } : {}),
      };
    case 'accepted':
      return {
        setup: s.setup,
        own,
        other,
        ...(s.theirFunding ? { theirFunding: s.theirFunding } : {}),
        ...(s.theirNotice ? { theirNotice: s.theirNotice } : {}),
      };
    case 'funded':
    case 'claiming':
    case 'refunding':
      return {
        setup: s.setup,
        own,
        other,
        ownFunding: s.ownFunding,
        ...(s.theirFunding ? { theirFunding: s.theirFunding } : {}),
        ...(s.theirNotice ? { theirNotice: s.theirNotice } : {}),
      };
    default:
      return undefined;
  }
}

const legOf = (setup: SwapSetup, chain: Chain) =>
  chain === 'makerChain' ? setup.terms.makerLeg : setup.terms.takerLeg;

function isRefundWitness(witness: readonly Uint8Array[], script: Uint8Array): boolean {
  return witness.length === 3 && witness[1]?.length === 0 && witness[2] !== undefined && equalBytes(witness[2], script);
}

/** Blocks a vanished transaction must stay vanished before it counts as conflicted, at the agreed depth. */
function goneLongEnough(t: SeenTx, tip: ChainTip | undefined, confirmations: number): boolean {
  return t.goneSinceHeight !== undefined && tip !== undefined && tip.height - t.goneSinceHeight + 1 >= confirmations;
}

/**
 * The events the chains support right now for this swap, in a stable order: our funding's depth,
 * the counterparty's funding (at the expected address, then at its declared outpoint), its
 * disappearance, then spends of our HTLC and of theirs. Depths are capped at the agreed
 * confirmations, so a swap's log grows by one event per block only until things are final.
 */
export function chainEvents(state: SwapState, views: ChainViews): SwapEvent[] {
  const k = known(state);
  if (!k) return [];
  const need = {
    [k.own]: legOf(k.setup, k.own).confirmations,
    [k.other]: legOf(k.setup, k.other).confirmations,
  } as Record<Chain, number>;
  const at: Depths = { need, cap: (n, chain) => Math.min(n, need[chain]) };
  return [
    ...ownFundingEvents(k, views, at),
    ...theirFundingEvents(k, views, at),
    ...ownHtlcSpendEvents(k, views, at),
    ...theirHtlcSpendEvents(k, views, at),
  ];
}

/** The agreed depth per chain, and a depth capped at it. */
interface Depths {
  readonly need: Record<Chain, number>;
  cap(n: number, chain: Chain): number;
}

function ownFundingEvents(k: Known, views: ChainViews, at: Depths): SwapEvent[] {
  if (!k.ownFunding) return [];
  const t = views[k.own].transaction(k.ownFunding.txid);
  return t && t.goneSinceHeight === undefined
    ? [{ type: 'OwnFundingConfirmed', confirmations: at.cap(t.confirmations, k.own) }]
    : [];
}

/** Their HTLC at the expected address, then at its declared outpoint, then its disappearance. */
function theirFundingEvents(k: Known, views: ChainViews, at: Depths): SwapEvent[] {
  const { setup, other } = k;
  const events: SwapEvent[] = [];
  const theirs = expectedScripts(setup.terms, other);
  const found: HtlcSeen[] = views[other]
    .outputsTo(theirs.outputScript)
    .filter((o) => o.goneSinceHeight === undefined)
    .sort((a, b) => b.confirmations - a.confirmations || a.txid.localeCompare(b.txid) || a.vout - b.vout)
    .map((o) => ({
      txid: o.txid,
      vout: o.vout,
      amount: o.value,
      outputScript: o.outputScript,
      witnessScript: theirs.witnessScript,
      confirmations: at.cap(o.confirmations, other),
    }));
  events.push(...found.map((htlc) => ({ type: 'CounterpartyFundingSeen' as const, htlc })));

  if (k.theirNotice && !found.some((f) => f.txid === k.theirNotice?.txid && f.vout === k.theirNotice.vout)) {
    const t = views[other].transaction(k.theirNotice.txid);
    if (t && t.goneSinceHeight === undefined) {
      const out = t.tx.outs[k.theirNotice.vout];
      events.push({
        type: 'CounterpartyFundingSeen',
        htlc: {
          txid: k.theirNotice.txid,
          vout: k.theirNotice.vout,
          amount: out ? out.value : 0n,
          outputScript: out ? bytesToHex(out.script) : '',
          witnessScript: k.theirNotice.witnessScript,
          confirmations: at.cap(t.confirmations, other),
        },
      });
    }
  }

  if (k.theirFunding) {
    const t = views[other].transaction(k.theirFunding.txid);
    if (t && goneLongEnough(t, views[other].tip(), at.need[other]))
      events.push({ type: 'CounterpartyFundingGone', txid: k.theirFunding.txid });
  }
  return events;
}

/** Spends of our HTLC: their claim (with the secret), or our own refund. */
function ownHtlcSpendEvents(k: Known, views: ChainViews, at: Depths): SwapEvent[] {
  if (!k.ownFunding) return [];
  const events: SwapEvent[] = [];
  const script = hexToBytes(expectedScripts(k.setup.terms, k.own).witnessScript);
  for (const s of views[k.own].spendsOf(k.ownFunding)) {
    if (s.goneSinceHeight !== undefined) continue;
    const secret = extractSecret(s.tx, { script });
    if (secret) {
      events.push({
        type: 'CounterpartyClaimSeen',
        txid: s.txid,
        secret: bytesToHex(secret),
        confirmations: at.cap(s.confirmations, k.own),
      });
    } else if (isRefundWitness(s.tx.ins[s.inputIndex]?.witness ?? [], script)) {
      events.push({ type: 'RefundBroadcast', txid: s.txid });
      if (s.confirmations >= at.need[k.own]) events.push({ type: 'RefundConfirmed', txid: s.txid });
    }
  }
  return events;
}

/** Spends of their HTLC: our claim, or their refund. */
function theirHtlcSpendEvents(k: Known, views: ChainViews, at: Depths): SwapEvent[] {
  if (!k.theirFunding) return [];
  const events: SwapEvent[] = [];
  const script = hexToBytes(expectedScripts(k.setup.terms, k.other).witnessScript);
  for (const s of views[k.other].spendsOf(k.theirFunding)) {
    if (s.goneSinceHeight !== undefined) continue;
    // Only our key can sign the claim branch of their HTLC: a claim spending it is ours.
    if (extractSecret(s.tx, { script })) {
      events.push({ type: 'ClaimBroadcast', txid: s.txid });
      if (s.confirmations >= at.need[k.other]) events.push({ type: 'ClaimConfirmed', txid: s.txid });
    } else if (isRefundWitness(s.tx.ins[s.inputIndex]?.witness ?? [], script)) {
      events.push({ type: 'CounterpartyRefundSeen', txid: s.txid, confirmations: at.cap(s.confirmations, k.other) });
    }
  }
  return events;
}

/** What the watchers must look for on each chain for this state (scripts, declared txids, outpoints). */
export function watchTargets(
  state: SwapState,
): Partial<Record<Chain, { scripts: string[]; txids: string[]; outpoints: Outpoint[] }>> {
  const k = known(state);
  if (!k) return {};
  const ownScripts = expectedScripts(k.setup.terms, k.own);
  const theirScripts = expectedScripts(k.setup.terms, k.other);
  const theirOutpoints = [k.theirFunding, k.theirNotice]
    .filter((x): x is Outpoint => x !== undefined)
    .map((x) => ({ txid: x.txid, vout: x.vout }));
  return {
    [k.own]: {
      scripts: [ownScripts.outputScript],
      txids: k.ownFunding ? [k.ownFunding.txid] : [],
      outpoints: k.ownFunding ? [{ txid: k.ownFunding.txid, vout: k.ownFunding.vout }] : [],
    },
    [k.other]: {
      scripts: [theirScripts.outputScript],
      txids: k.theirNotice ? [k.theirNotice.txid] : [],
      outpoints: theirOutpoints,
    },
  };
}
