// Contract slice of the swaps domain. Atomic swaps (src-main/swaps; docs/swap.md).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty, PeerIdParam, SwapDetail, SwapIdParam, SwapLegInput, SwapSummary } from '../api/schemas.ts';

export const methods = {
  'swaps.start': method(
    z.object({ peerId: PeerIdParam, sell: SwapLegInput, buy: SwapLegInput }).strict(),
    SwapSummary,
    "Start an atomic swap with a peer as the maker: lock `sell` (first, with the longer lock) for the peer's `buy`. The peer must have agreed with swaps.allow.",
    { scope: 'trade' },
  ),
  'swaps.allow': method(
    z
      .object({
        peerId: PeerIdParam,
        sell: SwapLegInput,
        buy: SwapLegInput,
        ttlSec: z.number().int().min(1).max(86_400).optional(),
      })
      .strict(),
    z.object({ ok: z.literal(true), expiresAt: z.number().int() }),
    'Agree to one swap proposed by this peer with exactly these amounts (you are the taker: you lock `sell` after the peer locked). Lapses after ttlSec (default 600).',
    { scope: 'trade' },
  ),
  'swaps.list': method(Empty, z.array(SwapSummary), 'Swaps of this node, newest first.'),
  'swaps.get': method(
    z.object({ swapId: SwapIdParam }).strict(),
    SwapDetail,
    'One swap: role, state, counterparty, transactions, blocks and time left before each refund, and the timeline of its steps.',
  ),
  'swaps.abort': method(
    z.object({ swapId: SwapIdParam }).strict(),
    SwapSummary,
    'Stop a swap. Before our coins are locked it ends at once; after, they come back when our lock ends. Refused once a claim revealed the secret.',
    { scope: 'trade' },
  ),
  'swaps.stats': method(
    Empty,
    z.object({ cpuUserMicros: z.number(), cpuSystemMicros: z.number(), liveSwaps: z.number().int() }),
    'CPU time used by the node process so far and the number of swaps in progress (for benchmarks).',
  ),
} as const;

export const events = {
  'swaps.updated': SwapSummary,
} as const;

/** The dx-style names (Blocknet XBridge's) this slice keeps as documented aliases of its methods. */
export const aliases = {
  getSwap: 'swaps.get',
  getSwaps: 'swaps.list',
} as const satisfies Record<string, keyof typeof methods>;
