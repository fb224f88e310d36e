// A service node as the API shows it.
import type { Result } from '../../src-shared/api/contract.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import type { ServiceNodeEntry } from './registry.ts';

type ServiceNodeView = Result<'servicenode.list'>[number];

/** A service node as getServiceNodes shows it: collateral and fee in the coins' own decimals (8 when unknown). */
export function serviceNodeView(e: ServiceNodeEntry, coins: CoinTable): ServiceNodeView {
  const [txid = '', vout = '0'] = e.registration.collateral.outpoint.split(':');
  const ticker = e.registration.collateral.ticker;
  const decimals = coins.find(ticker)?.decimals ?? 8;
  const fee = e.announce?.fee;
  return {
    peerId: e.registration.peerId,
    pubkey: e.registration.pubkey,
    coins: [...(e.announce?.coins ?? e.registration.coins)],
    collateral: { ticker, txid, vout: Number(vout), amount: formatAmount(e.collateralAmount ?? 0n, decimals) },
    verified: e.verified,
    fee: fee ? { ticker: fee.ticker, amount: formatAmount(fee.amount, coins.find(fee.ticker)?.decimals ?? 8) } : null,
    lastSeen: e.lastSeen,
  };
}

/** Coins some listed service node serves and this node handles, sorted. */
export function networkTokens(
  known: ReadonlyMap<string, { readonly coins: readonly string[] }>,
  coins: Pick<CoinTable, 'has'>,
): string[] {
  const out = new Set<string>();
  for (const n of known.values()) for (const t of n.coins) if (coins.has(t)) out.add(t);
  return [...out].sort();
}
