// What either side fixes when a swap starts, the same way for the maker (swaps.start) and the taker
// (a proposal): the tips now (where the watchers search from after a restart), the chains'
// parameters, the timelock policy, the confirmations this node asks for, and the swap's vault keys.
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { chainParamsOf, timelockPolicyFor } from '../../src-shared/swaps/timelock.ts';
import type { Chain, ChainKeys, ChainParams, Heights, TimelockPolicy } from '../../src-shared/swaps/types.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { Vault } from '../vault/index.ts';
import type { SwapMeta } from './view.ts';

export interface SwapGround {
  readonly heights: Heights;
  readonly chains: Readonly<Record<Chain, ChainParams>>;
  readonly policy: TimelockPolicy;
  /** The least confirmations this node asks for on each chain (the user's risk setting). */
  readonly confirmations: Heights;
}

export interface GroundDeps {
  freshHeight(ticker: string): Promise<number>;
  confirmationsFor(ticker: string): number;
}

export async function groundOf(makerCoin: CoinParams, takerCoin: CoinParams, d: GroundDeps): Promise<SwapGround> {
  const heights = {
    makerChain: await d.freshHeight(makerCoin.ticker),
    takerChain: await d.freshHeight(takerCoin.ticker),
  };
  return {
    heights,
    chains: { makerChain: chainParamsOf(makerCoin), takerChain: chainParamsOf(takerCoin) },
    policy: timelockPolicyFor(makerCoin.network),
    confirmations: {
      makerChain: d.confirmationsFor(makerCoin.ticker),
      takerChain: d.confirmationsFor(takerCoin.ticker),
    },
  };
}

export const SETTINGS_NEXT_KEY = 'swaps.nextKeyIndex';

/** Two fresh vault swap-key indices, one per chain; never reused (the counter lives in the settings). */
export function allocateKeys(settings: Pick<SettingsRepo, 'get' | 'set'>): Record<Chain, number> {
  const next = settings.get<number>(SETTINGS_NEXT_KEY) ?? 0;
  settings.set(SETTINGS_NEXT_KEY, next + 2);
  return { makerChain: next, takerChain: next + 1 };
}

export function pubkeysOf(vault: Pick<Vault, 'swapPublicKey'>, keys: Record<Chain, number>): ChainKeys {
  return {
    makerChain: bytesToHex(vault.swapPublicKey(keys.makerChain)),
    takerChain: bytesToHex(vault.swapPublicKey(keys.takerChain)),
  };
}

/** The engine's facts about a new swap, kept next to its state. */
export function metaOf(
  role: SwapMeta['role'],
  peer: { peerId: string; peerAddrs: string[] },
  keys: Record<Chain, number>,
  legs: { makerChain: { ticker: string; amount: bigint }; takerChain: { ticker: string; amount: bigint } },
  startHeights: Heights,
): SwapMeta {
  return {
    role,
    peerId: peer.peerId,
    peerAddrs: peer.peerAddrs,
    keys,
    tickers: { makerChain: legs.makerChain.ticker, takerChain: legs.takerChain.ticker },
    amounts: { makerChain: legs.makerChain.amount, takerChain: legs.takerChain.amount },
    startHeights,
  };
}
