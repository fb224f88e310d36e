// The unconfirmed-backing mark of an order as a taker reads it (docs/orders.md §10): the node
// looks the maker's coins up on its own daemon; anything but confirmed is a risk worth saying.
import type { Result } from '../../src-shared/api/contract.ts';

export type Backing = NonNullable<Result<'orders.get'>['backing']>;

/** A taker's warning for an order's backing, or null when there is nothing to warn about. */
export function backingWarning(b: Backing | undefined): string | null {
  if (b === 'unconfirmed')
    return "The maker's coins for this order are not confirmed yet: if their transaction never confirms or is replaced, the swap cannot start.";
  if (b === 'missing')
    return "The maker's coins for this order are spent or unknown to your node: a take will be refused.";
  return null;
}

/** The short mark a book row shows, or null. */
export function backingMark(b: Backing | undefined): string | null {
  if (b === 'unconfirmed') return 'unconfirmed';
  if (b === 'missing') return 'coins gone';
  return null;
}
