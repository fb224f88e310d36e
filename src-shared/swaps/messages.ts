// Wire form of the swap messages (docs/swap.md §3): zod schemas, amounts as base-unit integer
// strings, lowercase hex. Decoding checks shape and size; the machine checks meaning.
import { CodedError } from '../errors.ts';
import { z } from 'zod';
import { TICKER_PATTERN } from '../coins/registry.ts';
import type { Role, SwapEvent, SwapMessage } from './types.ts';

/** Largest accepted encoded message; the largest real one (propose) is well under 1.5 KB. */
export const MAX_SWAP_MESSAGE_BYTES = 4096;

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const Txid = Hash;
const Pubkey = z.string().regex(/^0[23][0-9a-f]{64}$/);
const BaseUnits = z.string().regex(/^[1-9][0-9]{0,18}$/, 'amount must be a positive whole number of base units');
const Address = z.string().regex(/^[A-Za-z0-9]{14,100}$/);
const ScriptHex = z.string().regex(/^([0-9a-f]{2}){1,200}$/);
const Vout = z.number().int().min(0).max(100_000);
const Leg = z
  .object({
    ticker: z.string().regex(TICKER_PATTERN),
    amount: BaseUnits,
    locktime: z.number().int().min(1).max(499_999_999),
    confirmations: z.number().int().min(1).max(1000),
  })
  .strict();
const Keys = z.object({ makerChain: Pubkey, takerChain: Pubkey }).strict();
const Addresses = z.object({ refund: Address, payout: Address }).strict();
const AbortReasonSchema = z.enum([
  'user-abort',
  'terms-rejected',
  'accept-timeout',
  'funding-failed',
  'counterparty-htlc-invalid',
  'deadline-passed',
  'counterparty-vanished',
]);

export const SwapWireMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('swap.propose'),
      swapId: Id,
      orderId: Id,
      secretHash: Hash,
      makerLeg: Leg,
      takerLeg: Leg,
      makerPubkeys: Keys,
      makerAddresses: Addresses,
    })
    .strict(),
  z.object({ type: z.literal('swap.accept'), swapId: Id, takerPubkeys: Keys, takerAddresses: Addresses }).strict(),
  z
    .object({ type: z.literal('swap.makerFunded'), swapId: Id, txid: Txid, vout: Vout, witnessScript: ScriptHex })
    .strict(),
  z
    .object({ type: z.literal('swap.takerFunded'), swapId: Id, txid: Txid, vout: Vout, witnessScript: ScriptHex })
    .strict(),
  z.object({ type: z.literal('swap.makerClaimed'), swapId: Id, txid: Txid }).strict(),
  z
    .object({ type: z.literal('swap.abort'), swapId: Id, reason: AbortReasonSchema, message: z.string().max(500) })
    .strict(),
]);
export type SwapWireMessage = z.infer<typeof SwapWireMessage>;

export function encodeSwapMessage(m: SwapMessage): SwapWireMessage {
  if (m.type !== 'swap.propose') return m;
  const leg = (l: typeof m.makerLeg) => ({
    ticker: l.ticker,
    amount: l.amount.toString(),
    locktime: l.locktime,
    confirmations: l.confirmations,
  });
  return { ...m, makerLeg: leg(m.makerLeg), takerLeg: leg(m.takerLeg) };
}

/** Parse and check an incoming message (already JSON-decoded); throws SWAP_MESSAGE_INVALID with the first problem. */
export function decodeSwapMessage(json: unknown): SwapMessage {
  const parsed = SwapWireMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError(
      'SWAP_MESSAGE_INVALID',
      `invalid swap message: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown problem'}`,
    );
  }
  const m = parsed.data;
  if (m.type !== 'swap.propose') return m;
  const leg = (l: typeof m.makerLeg) => ({ ...l, amount: BigInt(l.amount) });
  return { ...m, makerLeg: leg(m.makerLeg), takerLeg: leg(m.takerLeg) };
}

/**
 * The machine event a received message becomes for the given role, or null when the message is
 * not one that role receives (a propose starts a taker swap instead of driving one).
 */
export function messageToEvent(m: SwapMessage, role: Role): SwapEvent | null {
  switch (m.type) {
    case 'swap.accept':
      return role === 'maker'
        ? { type: 'CounterpartyAccepted', takerPubkeys: m.takerPubkeys, takerAddresses: m.takerAddresses }
        : null;
    case 'swap.makerFunded':
      return role === 'taker'
        ? { type: 'CounterpartyFunded', txid: m.txid, vout: m.vout, witnessScript: m.witnessScript }
        : null;
    case 'swap.takerFunded':
      return role === 'maker'
        ? { type: 'CounterpartyFunded', txid: m.txid, vout: m.vout, witnessScript: m.witnessScript }
        : null;
    case 'swap.makerClaimed':
      return role === 'taker' ? { type: 'CounterpartyClaimed', txid: m.txid } : null;
    case 'swap.abort':
      return { type: 'CounterpartyAborted', reason: m.reason, message: m.message };
    case 'swap.propose':
      return null;
  }
}
