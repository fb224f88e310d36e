// An identity's trading record: the countersigned trade records this node holds whose maker or
// taker key is an order key the identity vouched for (attestations seen on orders), and this
// node's own swaps with it that ended in a refund. Nothing here is taken on a peer's word.
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { TradingRecordView } from '../../src-shared/identity/contract.ts';
import { createTradeRepo } from '../history/index.ts';
import type { IdentityRepo } from './repo.ts';

const KeysOfRecord = z.object({ maker: z.string(), taker: z.string() }).loose();

export function tradingRecord(db: Database, repo: IdentityRepo, did: string): z.infer<typeof TradingRecordView> {
  // Every order key this DID ever attested (withdrawn ones too: the trades were made meanwhile).
  const orderKeys = [
    ...new Set(
      repo
        .byDid(did)
        .filter((r) => r.kind === 'order-key')
        .map((r) => r.target!),
    ),
  ].sort();
  const out = {
    did,
    orderKeys,
    completedAsMaker: 0,
    completedAsTaker: 0,
    verifiedOnChain: 0,
    refundsWithUs: repo.attestations.refunds(did),
    lastTradeAt: null as number | null,
  };
  if (orderKeys.length === 0) return out;
  const keys = new Set(orderKeys);
  for (const t of createTradeRepo(db).list({ limit: 100_000 })) {
    const parsed = KeysOfRecord.safeParse(t.record);
    if (!parsed.success) continue;
    const asMaker = keys.has(parsed.data.maker);
    const asTaker = keys.has(parsed.data.taker);
    if (!asMaker && !asTaker) continue;
    if (asMaker) out.completedAsMaker++;
    if (asTaker) out.completedAsTaker++;
    if (t.verified === 'yes') out.verifiedOnChain++;
    out.lastTradeAt = Math.max(out.lastTradeAt ?? 0, t.finishedAt);
  }
  return out;
}
