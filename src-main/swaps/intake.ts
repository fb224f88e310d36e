// Messages from peers: every one is decoded and size-capped first (an invalid one bans its
// sender), taken only from the swap's own counterparty, and fed to its machine in its queue. A
// proposal is taken only with the user's agreement (swaps.allow), a handled pair of coins, addresses
// on the swap's networks and terms that pass this node's checks; every refusal is an answer in plain
// words (SWAP_REFUSED), which ends the maker's swap at once. docs/swap.md §3 and §8.5.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { decodeSwapMessage, messageToEvent } from '../../src-shared/swaps/messages.ts';
import { noticeChain } from '../../src-shared/swaps/rules.ts';
import { checkProposal } from '../../src-shared/swaps/timelock.ts';
import type { SwapEvent, SwapMessage, SwapProposal } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { SerialQueue } from '../kernel/serial.ts';
import { isCoinSegwitAddress } from '../chain/address.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import type { Allowances, Allowance } from './allowances.ts';
import type { SwapChains } from './chains.ts';
import type { Live, SwapRunner } from './durable.ts';
import type { Outbox } from './outbox.ts';
import type { SwapRepo } from './repo.ts';
import { allocateKeys, groundOf, metaOf, pubkeysOf, type SwapGround } from './setup.ts';
import type { SwapRecord } from './view.ts';

type Propose = Extract<SwapMessage, { type: 'swap.propose' }>;

export interface IntakeDeps {
  coins: CoinTable;
  runner: Pick<SwapRunner, 'get' | 'create' | 'apply' | 'run'>;
  repo: Pick<SwapRepo, 'get'>;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  vault: Pick<Vault, 'status' | 'swapPublicKey'>;
  wallets: Pick<WalletService, 'newAddress'>;
  allowances: Allowances;
  chains: Pick<SwapChains, 'freshHeight' | 'watcher'>;
  outbox: Pick<Outbox, 'breach' | 'addrsOf'>;
  /** Brings the swap up to date with the chains and the clock; call inside its queue. */
  evaluateNow(live: Live): void;
  /** New swaps one at a time: key allocation and the check that an id is free must not interleave. */
  creation: SerialQueue;
  confirmationsFor(ticker: string): number;
  log: Logger;
  now: () => number;
}

export interface Intake {
  /** The handler of the swap protocol: answers `{ok: true}` or throws the refusal. */
  onMessage(req: unknown, ctx: { peerId: string }): Promise<unknown>;
}

/** The message as the machine's event; the taker's addresses off the swap's networks are a breach. */
async function checkedEvent(d: IntakeDeps, live: Live, m: SwapMessage, peerId: string): Promise<SwapEvent> {
  const event = messageToEvent(m, live.context.role);
  if (!event) throw new ApiError('SWAP_REFUSED', `A ${live.context.role} does not take ${m.type}.`);
  if (event.type !== 'CounterpartyAccepted') return event;
  const { makerChain, takerChain } = live.context.tickers;
  const a = event.takerAddresses;
  if (isCoinSegwitAddress(d.coins.get(takerChain), a.refund) && isCoinSegwitAddress(d.coins.get(makerChain), a.payout))
    return event;
  await d.outbox.breach(peerId, "its addresses are not on the swap's networks");
  return { type: 'Abort', reason: "the taker sent addresses that are not on the swap's networks" };
}

/** The coins of a proposal, or the refusal naming those this node does not handle. */
function coinsOf(d: IntakeDeps, m: Propose): { makerCoin: CoinParams; takerCoin: CoinParams } {
  const makerCoin = d.coins.find(m.makerLeg.ticker);
  const takerCoin = d.coins.find(m.takerLeg.ticker);
  if (makerCoin && takerCoin) return { makerCoin, takerCoin };
  const missing = [m.makerLeg.ticker, m.takerLeg.ticker].filter((x) => !d.coins.has(x));
  throw new ApiError('SWAP_REFUSED', `this node does not handle ${missing.join(' and ')}`);
}

function agreementFor(
  d: IntakeDeps,
  m: Propose,
  peerId: string,
  makerCoin: CoinParams,
  takerCoin: CoinParams,
): Allowance {
  const agreed = d.allowances.match(peerId, m.makerLeg, m.takerLeg);
  if (agreed) return agreed;
  const legs = `${formatAmount(m.takerLeg.amount, takerCoin.decimals)} ${takerCoin.ticker} for ${formatAmount(m.makerLeg.amount, makerCoin.decimals)} ${makerCoin.ticker}`;
  throw new ApiError('SWAP_REFUSED', `this node has not agreed to swap ${legs} with you (no matching swaps.allow)`);
}

/** The same check TakerStarted runs, before keys or addresses are spent on terms we refuse. */
function checkTerms(d: IntakeDeps, m: Propose, peerId: string, g: SwapGround): void {
  const { type: _type, ...proposal } = m;
  const check = checkProposal(proposal, g.heights, {
    chains: g.chains,
    policy: g.policy,
    minConfirmations: g.confirmations,
  });
  if (check.ok) return;
  const words = check.problems.map((x) => x.message).join('; ');
  d.log.info('refused a swap proposal', { swapId: m.swapId, peerId, problems: check.problems.map((x) => x.code) });
  throw new ApiError('SWAP_REFUSED', `the terms do not pass this node's checks: ${words}`, {
    problems: check.problems,
  });
}

/** Sets the taker's side up (fresh addresses, keys) and stores TakerStarted, whose effect answers accept. */
async function startTaker(
  d: IntakeDeps,
  m: Propose,
  from: { peerId: string; agreed: Allowance },
  coins: { makerCoin: CoinParams; takerCoin: CoinParams },
  ground: SwapGround,
): Promise<void> {
  const { type: _type, ...proposal } = m;
  const refund = (await d.wallets.newAddress(coins.takerCoin.ticker, 'hashlock swap refund')).address;
  const payout = (await d.wallets.newAddress(coins.makerCoin.ticker, 'hashlock swap payout')).address;
  const keys = allocateKeys(d.settings);
  const peer = { peerId: from.peerId, peerAddrs: d.outbox.addrsOf(from.peerId) };
  const meta = metaOf('taker', peer, keys, { makerChain: m.makerLeg, takerChain: m.takerLeg }, ground.heights);
  d.allowances.use(from.agreed);
  const live = d.runner.create(m.swapId, { role: 'taker', phase: 'new' }, meta);
  await d.runner.run(live, () => {
    d.runner.apply(live, {
      type: 'TakerStarted',
      proposal: proposal satisfies SwapProposal,
      takerPubkeys: pubkeysOf(d.vault, keys),
      takerAddresses: { refund, payout },
      minConfirmations: ground.confirmations,
      chains: ground.chains,
      policy: ground.policy,
      heights: ground.heights,
      nowMs: d.now(),
    });
    d.evaluateNow(live);
  });
}

export function createIntake(d: IntakeDeps): Intake {
  const recordOf = (id: string): SwapRecord | undefined => d.repo.get(id)?.data as SwapRecord | undefined;

  async function onMessage(req: unknown, ctx: { peerId: string }): Promise<unknown> {
    let m: SwapMessage;
    try {
      m = decodeSwapMessage(req);
    } catch (err) {
      await d.outbox.breach(ctx.peerId, errorText(err));
      throw new ApiError('INVALID_PARAMS', errorText(err));
    }
    if (m.type === 'swap.propose') {
      const proposal = m;
      return d.creation.run(() => onPropose(proposal, ctx.peerId));
    }
    const live = d.runner.get(m.swapId);
    if (!live) {
      const stored = recordOf(m.swapId);
      if (stored && stored.meta.peerId === ctx.peerId) return { ok: true, finished: true };
      throw new ApiError('NOT_FOUND', 'This node has no such swap.');
    }
    if (live.context.peerId !== ctx.peerId) throw new ApiError('SWAP_REFUSED', 'This swap is with another peer.');
    const event = await checkedEvent(d, live, m, ctx.peerId);
    await d.runner.run(live, () => {
      d.runner.apply(live, event);
      d.evaluateNow(live);
    });
    // A notice only hurries the chain: look now rather than at the next poll.
    const chain = noticeChain(live.context.role, event);
    if (chain) void d.chains.watcher(live.context.tickers[chain]).poke();
    return { ok: true };
  }

  async function onPropose(m: Propose, peerId: string): Promise<unknown> {
    const known = d.runner.get(m.swapId)?.context ?? recordOf(m.swapId)?.meta;
    if (known) {
      if (known.role === 'taker' && known.peerId === peerId) return { ok: true };
      throw new ApiError('SWAP_REFUSED', 'That swap id is already in use.');
    }
    // Every refusal is an answer the maker records as its reason (SWAP_REFUSED, in plain words), so
    // its swap ends at once instead of waiting out the accept timeout.
    if (d.vault.status() !== 'unlocked')
      throw new ApiError('SWAP_REFUSED', 'the node is locked and cannot take part in a swap now');
    const { makerCoin, takerCoin } = coinsOf(d, m);
    const agreed = agreementFor(d, m, peerId, makerCoin, takerCoin);
    if (
      !isCoinSegwitAddress(makerCoin, m.makerAddresses.refund) ||
      !isCoinSegwitAddress(takerCoin, m.makerAddresses.payout)
    ) {
      await d.outbox.breach(peerId, "its addresses are not on the swap's networks");
      throw new ApiError('SWAP_REFUSED', "the proposal's addresses are not on the swap's networks");
    }
    const ground = await groundOf(makerCoin, takerCoin, {
      freshHeight: d.chains.freshHeight,
      confirmationsFor: d.confirmationsFor,
    });
    // The agreement stays when the terms fail: the maker may propose again with terms that pass.
    checkTerms(d, m, peerId, ground);
    await startTaker(d, m, { peerId, agreed }, { makerCoin, takerCoin }, ground);
    return { ok: true };
  }

  return { onMessage };
}
