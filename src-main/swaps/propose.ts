// Starting a swap as the maker (swaps.start, and the order network's matched orders): checks the
// peer, the coins, the vault and the connection, fixes the locks and the secret's hash, checks the
// terms as the taker will, asks the wallet for the funds and fresh addresses, and stores MakerStarted,
// whose effect sends the proposal.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { checkProposal, proposeLocktimes } from '../../src-shared/swaps/timelock.ts';
import type { SwapProposal } from '../../src-shared/swaps/types.ts';
import type { SerialQueue } from '../kernel/serial.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import type { SwapChains } from './chains.ts';
import type { Live, SwapRunner } from './durable.ts';
import type { StartSwapInput } from './engine-types.ts';
import type { Outbox } from './outbox.ts';
import type { SwapRepo } from './repo.ts';
import { deriveSwapSecret, secretHashHex } from './secret.ts';
import { allocateKeys, groundOf, metaOf, pubkeysOf, type SwapGround } from './setup.ts';

export interface ProposerDeps {
  coins: CoinTable;
  runner: Pick<SwapRunner, 'get' | 'create' | 'send'>;
  repo: Pick<SwapRepo, 'get'>;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  vault: Pick<Vault, 'status' | 'swapPublicKey' | 'signSwapDigest'>;
  wallets: Pick<WalletService, 'newAddress' | 'balanceUnits'>;
  p2p: Pick<P2pHost, 'peerId' | 'isBanned'>;
  chains: Pick<SwapChains, 'freshHeight'>;
  outbox: Pick<Outbox, 'reach' | 'addrsOf'>;
  creation: SerialQueue;
  confirmationsFor(ticker: string): number;
  now: () => number;
}

export interface Proposer {
  startSwap(p: StartSwapInput): Promise<Live>;
}

/** Everything that refuses a swap before any key, address or height is spent on it. */
function admit(d: ProposerDeps, p: StartSwapInput): { makerCoin: CoinParams; takerCoin: CoinParams; swapId: string } {
  if (p.peerId === d.p2p.peerId) throw new ApiError('INVALID_PARAMS', 'A node cannot swap with itself.');
  if (d.p2p.isBanned(p.peerId)) throw new ApiError('PEER_REFUSED', `The peer ${p.peerId} is banned for misbehaving.`);
  const makerCoin = d.coins.get(p.sell.ticker);
  const takerCoin = d.coins.get(p.buy.ticker);
  if (makerCoin.ticker === takerCoin.ticker) throw new ApiError('INVALID_PARAMS', 'A swap needs two different coins.');
  if (d.vault.status() !== 'unlocked')
    throw new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it with your password first.');
  const swapId = p.swapId ?? randomBytes(16).toString('hex');
  if (d.runner.get(swapId) || d.repo.get(swapId))
    throw new ApiError('CONFLICT', `A swap with id ${swapId} already exists.`);
  return { makerCoin, takerCoin, swapId };
}

/** The proposal with placeholder addresses: wallet addresses are asked for only for a sound one. */
function draftOf(
  d: ProposerDeps,
  p: StartSwapInput,
  swapId: string,
  coins: { makerCoin: CoinParams; takerCoin: CoinParams },
  g: SwapGround,
  keys: ReturnType<typeof allocateKeys>,
): SwapProposal {
  const locks = proposeLocktimes({
    chains: g.chains,
    confirmations: g.confirmations,
    heights: g.heights,
    policy: g.policy,
  });
  const draft: SwapProposal = {
    swapId,
    orderId: p.orderId ?? swapId,
    secretHash: secretHashHex(deriveSwapSecret(d.vault, swapId)),
    makerLeg: {
      ticker: coins.makerCoin.ticker,
      amount: p.sell.amount,
      locktime: locks.makerChain,
      confirmations: g.confirmations.makerChain,
    },
    takerLeg: {
      ticker: coins.takerCoin.ticker,
      amount: p.buy.amount,
      locktime: locks.takerChain,
      confirmations: g.confirmations.takerChain,
    },
    makerPubkeys: pubkeysOf(d.vault, keys),
    makerAddresses: { refund: 'x'.repeat(20), payout: 'x'.repeat(20) },
  };
  const check = checkProposal(draft, g.heights, { chains: g.chains, policy: g.policy });
  if (!check.ok)
    throw new ApiError('SWAP_REFUSED', check.problems.map((x) => x.message).join('; '), { problems: check.problems });
  return draft;
}

export function createProposer(d: ProposerDeps): Proposer {
  async function start(p: StartSwapInput): Promise<Live> {
    const { makerCoin, takerCoin, swapId } = admit(d, p);
    if (!(await d.outbox.reach(p.peerId)))
      throw new ApiError('PEER_UNREACHABLE', `Could not reach ${p.peerId}: connect to it first (p2p.dial).`);
    const ground = await groundOf(makerCoin, takerCoin, {
      freshHeight: d.chains.freshHeight,
      confirmationsFor: d.confirmationsFor,
    });
    const keys = allocateKeys(d.settings);
    const draft = draftOf(d, p, swapId, { makerCoin, takerCoin }, ground, keys);
    const balance = await d.wallets.balanceUnits(makerCoin.ticker);
    if (balance.spendable < p.sell.amount) {
      throw new ApiError(
        'INSUFFICIENT_FUNDS',
        `The ${makerCoin.ticker} wallet has ${balance.spendable} base units free, less than the ${p.sell.amount} to lock.`,
      );
    }
    const proposal: SwapProposal = {
      ...draft,
      makerAddresses: {
        refund: (await d.wallets.newAddress(makerCoin.ticker, 'hashlock swap refund')).address,
        payout: (await d.wallets.newAddress(takerCoin.ticker, 'hashlock swap payout')).address,
      },
    };
    const peer = { peerId: p.peerId, peerAddrs: d.outbox.addrsOf(p.peerId) };
    const legs = { makerChain: p.sell, takerChain: p.buy };
    const meta = metaOf('maker', peer, keys, legs, ground.heights);
    const live = d.runner.create(swapId, { role: 'maker', phase: 'new' }, meta);
    const { chains, policy, heights } = ground;
    await d.runner.send(live, { type: 'MakerStarted', proposal, chains, policy, heights, nowMs: d.now() });
    return live;
  }

  return { startSwap: (p) => d.creation.run(() => start(p)) };
}
