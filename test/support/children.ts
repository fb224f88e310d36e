// What a wallet's children of a transaction paid in fees, and their children's: when a claim's or a
// refund's fee must rise and the daemon refuses a replacement, a child pays for it (CPFP,
// docs/swap.md §8.8). The swap's record does not list them yet; its wallet paid them. Shared by the
// integration harness and the e2e chain helpers, each with its own way to read the chain.

export interface ChainReader {
  /** Every transaction id the wallet knows. */
  walletTxids(): Promise<readonly string[]>;
  /** The txids a transaction spends from. */
  inputsOf(txid: string): Promise<readonly string[]>;
  feeOf(txid: string): Promise<bigint>;
}

export async function childFees(txid: string, chain: ChainReader): Promise<bigint> {
  const ids = [...new Set(await chain.walletTxids())];
  let total = 0n;
  let parents = new Set([txid]);
  const counted = new Set<string>();
  while (parents.size > 0) {
    const next = new Set<string>();
    for (const id of ids) {
      if (counted.has(id)) continue;
      if (!(await chain.inputsOf(id)).some((i) => parents.has(i))) continue;
      counted.add(id);
      next.add(id);
      total += await chain.feeOf(id);
    }
    parents = next;
  }
  return total;
}
