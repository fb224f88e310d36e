// Service nodes: a registration ties a secp256k1 key and a peer to an unspent collateral output
// (signed by that key AND by the collateral address's key via signmessage), and a periodic
// announce says which coins it serves and what taker fee it charges. Pure checks; the chain
// lookup of the collateral is the caller's, its answer is judged by checkCollateral.
import { findCoin } from '../coins/registry.ts';
import {
  secp256k1Verifier,
  signBody,
  signingText,
  verifyBody,
  wireForm,
  type Signer,
  type Verifier,
} from '../protocol/canonical.ts';
import {
  decodeOrderMessage,
  unsigned,
  type ServiceNodeAnnounce,
  type ServiceNodeRegistration,
  type WireOrderMessage,
} from '../protocol/orders.ts';
import { decodeAddress } from './address.ts';
import { DEFAULT_REPLAY_LIMITS, checkFreshness, type ReplayLimits, type SeenView } from './replay.ts';
import { verifySignedMessage, type MessageCoin } from './signed-message.ts';
import type { Refusal, RefusalReason, Validation } from './validate.ts';

export type ServiceNodeCoinLookup = (ticker: string) => MessageCoin | undefined;
const registryCoins: ServiceNodeCoinLookup = (t) => findCoin(t);

/** What the network demands of collateral; every node is configured with the same policy. */
export interface CollateralPolicy {
  readonly ticker: string;
  readonly amount: bigint;
  readonly minConfirmations: number;
}

const no = (reason: RefusalReason, message: string): Refusal => ({ ok: false, reason, message });

export const REGISTRATION_SIG_TYPE = 'sn.register';
export const ANNOUNCE_SIG_TYPE = 'sn.announce';

export type RegistrationFields = Omit<ServiceNodeRegistration, 'type' | 'pubkey' | 'collateralSig' | 'sig'>;

/** The text the collateral address's key signs (give it to the coin wallet's `signmessage`). */
export function registrationSigningText(fields: RegistrationFields, pubkey: string): string {
  return signingText(REGISTRATION_SIG_TYPE, wireForm({ type: 'sn.register', pubkey, ...fields }));
}

/**
 * A complete registration. `signCollateral` returns the base64 signed message of the text it is
 * given, made by the collateral address's key (the wallet's `signmessage`, which Bitcoin and
 * Litecoin Core offer for legacy addresses only; P2WPKH works with other signers).
 */
export function buildRegistration(
  fields: RegistrationFields,
  signer: Signer,
  signCollateral: (text: string) => string,
): WireOrderMessage<'sn.register'> {
  const body = wireForm({ type: 'sn.register', pubkey: signer.publicKey, ...fields }) as Record<string, unknown>;
  const collateralSig = signCollateral(signingText(REGISTRATION_SIG_TYPE, body));
  return {
    ...body,
    collateralSig,
    sig: signBody(REGISTRATION_SIG_TYPE, body, signer),
  } as WireOrderMessage<'sn.register'>;
}

export interface RegistrationContext {
  readonly now: number;
  readonly policy: CollateralPolicy;
  /** The sequence number of the registration this node holds for a collateral outpoint, if any. */
  readonly registeredSeq: (outpoint: string) => number | undefined;
  readonly coins?: ServiceNodeCoinLookup;
  readonly verifier?: Verifier;
  readonly limits?: ReplayLimits;
}

/**
 * A registration from the service-node topic or list. A newer registration (higher seq) for the
 * same outpoint replaces the old one (e.g. a new key); the same seq again is a duplicate. The
 * caller then checks the outpoint on chain with checkCollateral before trusting the node.
 */
export function validateServiceNodeRegistration(
  input: unknown,
  ctx: RegistrationContext,
): Validation<ServiceNodeRegistration> {
  const d = decodeOrderMessage(input, 'sn.register');
  if (!d.ok) return d;
  const m = d.msg;
  const coins = ctx.coins ?? registryCoins;
  if (m.collateral.ticker !== ctx.policy.ticker)
    return no('collateral-invalid', `collateral must be on ${ctx.policy.ticker}`);
  const collateralCoin = coins(m.collateral.ticker);
  if (!collateralCoin || !decodeAddress(m.collateral.address, collateralCoin))
    return no('collateral-invalid', `the collateral address is not a ${m.collateral.ticker} address`);
  if (new Set(m.coins).size !== m.coins.length) return no('malformed', 'a coin is listed twice');
  const unknown = m.coins.find((t) => !coins(t));
  if (unknown) return no('malformed', `unknown coin ${unknown}`);
  if (m.ts > ctx.now + (ctx.limits ?? DEFAULT_REPLAY_LIMITS).maxSkewMs)
    return no('future', 'the registration is dated in the future');
  const held = ctx.registeredSeq(m.collateral.outpoint);
  if (held !== undefined && m.seq < held) return no('replayed', 'a newer registration for this collateral is known');
  if (held !== undefined && m.seq === held) return no('duplicate', 'this registration is already known');
  const body = unsigned(d.raw, 'sig', 'collateralSig');
  if (!verifyBody(REGISTRATION_SIG_TYPE, body, m.sig, m.pubkey, ctx.verifier ?? secp256k1Verifier)) {
    return no('forged-service-node-sig', 'the service node key did not sign this registration');
  }
  const text = new TextEncoder().encode(signingText(REGISTRATION_SIG_TYPE, body));
  if (!verifySignedMessage(m.collateral.address, m.collateralSig, text, collateralCoin)) {
    return no('forged-collateral-sig', 'the collateral address key did not sign this registration');
  }
  return { ok: true, value: m, replay: [] };
}

/** What the coin daemon says about the collateral outpoint (gettxout), or null when it is spent or unknown. */
export interface CollateralOutput {
  readonly address: string | null;
  readonly amount: bigint;
  readonly confirmations: number;
}

/** Whether the collateral output exists unspent, pays the registered address, and is large and deep enough. */
export function checkCollateral(
  reg: ServiceNodeRegistration,
  output: CollateralOutput | null,
  policy: CollateralPolicy,
): Refusal | null {
  if (!output) return no('collateral-invalid', 'the collateral output is spent or does not exist');
  if (output.address !== reg.collateral.address)
    return no('collateral-invalid', 'the collateral output pays another address');
  if (output.amount < policy.amount) return no('collateral-invalid', 'the collateral output is smaller than required');
  if (output.confirmations < policy.minConfirmations)
    return no('collateral-invalid', 'the collateral output does not have enough confirmations yet');
  return null;
}

export type AnnounceFields = Omit<ServiceNodeAnnounce, 'type' | 'pubkey' | 'sig'>;

export function buildServiceNodeAnnounce(fields: AnnounceFields, signer: Signer): WireOrderMessage<'sn.announce'> {
  const body = wireForm({ type: 'sn.announce', pubkey: signer.publicKey, ...fields }) as Record<string, unknown>;
  return { ...body, sig: signBody(ANNOUNCE_SIG_TYPE, body, signer) } as WireOrderMessage<'sn.announce'>;
}

export interface AnnounceContext {
  readonly now: number;
  readonly seen: SeenView;
  /** The valid registration of a service node key, if this node holds one. */
  readonly registrationOf: (pubkey: string) => ServiceNodeRegistration | undefined;
  readonly coins?: ServiceNodeCoinLookup;
  readonly verifier?: Verifier;
  readonly limits?: ReplayLimits;
}

/** A registered service node's heartbeat: the coins it serves now (a subset of its registration) and its taker fee. */
export function validateServiceNodeAnnounce(input: unknown, ctx: AnnounceContext): Validation<ServiceNodeAnnounce> {
  const d = decodeOrderMessage(input, 'sn.announce');
  if (!d.ok) return d;
  const m = d.msg;
  const r = { sender: m.pubkey, seq: m.seq, ts: m.ts };
  const stale = checkFreshness(ctx.seen, r, ctx.now, ctx.limits ?? DEFAULT_REPLAY_LIMITS);
  if (stale) return no(stale.reason, stale.message);
  const reg = ctx.registrationOf(m.pubkey);
  if (!reg) return no('unknown-service-node', 'no registration is known for this service node');
  if (reg.peerId !== m.peerId) return no('malformed', 'the announce comes from another peer than the registered one');
  const outside = m.coins.find((t) => !reg.coins.includes(t));
  if (outside) return no('malformed', `${outside} is not among the registered coins`);
  if (new Set(m.coins).size !== m.coins.length) return no('malformed', 'a coin is listed twice');
  const feeCoin = (ctx.coins ?? registryCoins)(m.fee.ticker);
  if (!m.coins.includes(m.fee.ticker) || !feeCoin || !decodeAddress(m.fee.address, feeCoin))
    return no('malformed', 'the fee address is not an address of a served coin');
  if (!verifyBody(ANNOUNCE_SIG_TYPE, unsigned(d.raw, 'sig'), m.sig, m.pubkey, ctx.verifier ?? secp256k1Verifier)) {
    return no('forged-service-node-sig', 'the announce signature does not verify');
  }
  return { ok: true, value: m, replay: [r] };
}
