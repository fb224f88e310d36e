// A service node's presence on the network: it registers with a signed proof of its collateral
// once its vault is unlocked, then sends a heartbeat naming the coins it can check and its taker
// fee, with the registration again every fifth beat (late joiners hear it by gossip too). It
// stops serving when it finds its collateral spent.
import { z } from 'zod';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import {
  buildRegistration,
  buildServiceNodeAnnounce,
  registrationSigningText,
} from '../../src-shared/orders/servicenode.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import { SERVICE_NODE_TOPIC } from '../../src-shared/protocol/orders.ts';
import type { ServiceNodeConfig } from './config.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { lookupOutput } from '../orders/index.ts';
import { publishMessage, vaultSigner, type SeqCounter } from '../orders/index.ts';
import type { ServiceNodeRegistry } from './registry.ts';

export interface PresenceDeps {
  config: ServiceNodeConfig;
  vault: Pick<Vault, 'status' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish'>;
  registry: Pick<ServiceNodeRegistry, 'ingestRegistration' | 'ingestAnnounce'>;
  log: Logger;
  now: () => number;
  seq: SeqCounter;
  /** The configured coin (checked when the role is built). */
  coinOf: (ticker: string) => CoinParams;
  /** Coins configured to serve. */
  coins: string[];
  /** Of those, the ones with a connected wallet: the ones it can check on chain now. */
  served: () => string[];
  feeAmount: bigint;
}

export interface Presence {
  /** Registers if it has not yet, and sends a heartbeat; one at a time, never after stop(). */
  heartbeat(): Promise<void>;
  /** The service-node key it registered with, while registered. */
  signer(): Signer | null;
  /** Where takers pay the fee (configured, or a fresh wallet address once registered). */
  feeAddress(): string | null;
  /** The vault locked: not registered any more until it is unlocked again. */
  forget(): void;
  stop(): void;
}

interface PresenceState {
  signer: Signer | null;
  feeAddress: string | null;
  beats: number;
  registered: boolean;
  stopped: boolean;
  beating: boolean;
}

type Ctx = PresenceDeps & { st: PresenceState };

const outpointOf = (cfg: ServiceNodeConfig) => `${cfg.collateral.txid}:${cfg.collateral.vout}`;
const collateralOf = (cfg: ServiceNodeConfig) => ({ txid: cfg.collateral.txid, vout: cfg.collateral.vout });

/** Registration signed by the service-node key and by the collateral's own address, checked here and published. */
async function register(d: Ctx): Promise<boolean> {
  const outpoint = outpointOf(d.config);
  const s = vaultSigner(d.vault, 'serviceNode');
  const collateralCoin = d.coinOf(d.config.collateral.ticker);
  const wallet = d.wallets.rpc(d.config.collateral.ticker);
  const out = await lookupOutput(wallet, collateralCoin, collateralOf(d.config));
  if (!out || !out.address) {
    d.log.error('the service node collateral is spent or unknown; not registering', { outpoint });
    return false;
  }
  const fields = {
    peerId: d.p2p.peerId,
    collateral: { ticker: d.config.collateral.ticker, outpoint, address: out.address },
    coins: d.coins,
    seq: d.seq.next(),
    ts: d.now(),
  };
  // signmessage: Core signs only for legacy (P2PKH) addresses of its own wallet.
  const collateralSig = await wallet.callAs(z.string(), 'signmessage', [
    out.address,
    registrationSigningText(fields, s.publicKey),
  ]);
  const wire = buildRegistration(fields, s, () => collateralSig);
  const v = await d.registry.ingestRegistration(wire, null);
  if (!v.ok && v.reason !== 'duplicate') {
    d.log.error("this service node's own registration does not check", { reason: v.reason, message: v.message });
    return false;
  }
  d.st.signer = s;
  d.st.feeAddress ??= (await d.wallets.newAddress(d.config.fee.ticker, 'hashlock service node fees')).address;
  await publishMessage(d.p2p, SERVICE_NODE_TOPIC, wire as { type: 'sn.register' }, d.log);
  if (!d.st.registered)
    d.log.info('this service node is registered', { pubkey: s.publicKey, collateral: outpoint, coins: d.coins });
  return true;
}

/** Registered now (again every fifth beat); false when it is not and cannot be. */
async function stayRegistered(d: Ctx): Promise<boolean> {
  if (!d.st.registered) return (d.st.registered = await register(d));
  if (++d.st.beats % 5 !== 0) return true;
  // Now and then the registration again, so peers that joined late hear it by gossip too.
  const collateralCoin = d.coinOf(d.config.collateral.ticker);
  const out = await lookupOutput(d.wallets.rpc(d.config.collateral.ticker), collateralCoin, collateralOf(d.config));
  if (!out) {
    d.log.error('the service node collateral was spent; this node stops serving', { outpoint: outpointOf(d.config) });
    d.st.registered = false;
    d.st.signer = null;
    return false;
  }
  return (d.st.registered = await register(d));
}

/** The heartbeat: the coins it can check now and its fee, once it has a wallet for them. */
async function announce(d: Ctx, s: Signer): Promise<void> {
  const coins = d.served();
  if (coins.length === 0 || !coins.includes(d.config.fee.ticker) || !d.st.feeAddress) {
    d.log.warn('the service node has no wallet for its coins yet; no heartbeat', { coins: d.coins });
    return;
  }
  const fee = { ticker: d.config.fee.ticker, address: d.st.feeAddress, amount: d.feeAmount };
  const wire = buildServiceNodeAnnounce({ peerId: d.p2p.peerId, coins, fee, seq: d.seq.next(), ts: d.now() }, s);
  const v = await d.registry.ingestAnnounce(wire, null);
  if (!v.ok) d.log.warn("this service node's own heartbeat does not check", { reason: v.reason, message: v.message });
  await publishMessage(d.p2p, SERVICE_NODE_TOPIC, wire as { type: 'sn.announce' }, d.log);
}

/** Registers if it has not yet, and sends a heartbeat; one at a time, never after stop(). */
async function heartbeat(d: Ctx): Promise<void> {
  if (d.st.stopped || d.st.beating || d.vault.status() !== 'unlocked') return;
  d.st.beating = true;
  try {
    if (!(await stayRegistered(d))) return;
    if (!d.st.signer) throw new Error('the service node is not running yet');
    await announce(d, d.st.signer);
  } catch (err) {
    d.log.warn('service node heartbeat failed', { error: errorText(err) });
  } finally {
    d.st.beating = false;
  }
}

export function createPresence(deps: PresenceDeps): Presence {
  const st: PresenceState = {
    signer: null,
    feeAddress: deps.config.fee.address ?? null,
    beats: 0,
    registered: false,
    stopped: false,
    beating: false,
  };
  const d: Ctx = { ...deps, st };
  return {
    heartbeat: () => heartbeat(d),
    signer: () => st.signer,
    feeAddress: () => st.feeAddress,
    forget() {
      st.signer = null;
      st.registered = false;
    },
    stop() {
      st.stopped = true;
    },
  };
}
