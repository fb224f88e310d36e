// A service node's presence on the network: it registers with a signed proof of its collateral
// once its vault is unlocked, then sends a heartbeat naming the coins it can check and its taker
// fee, with the registration again every fifth beat (late joiners hear it by gossip too). It
// stops serving when it finds its collateral spent.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import {
  buildRegistration,
  buildServiceNodeAnnounce,
  registrationSigningText,
} from '../../src-shared/orders/servicenode.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import { SERVICE_NODE_TOPIC } from '../../src-shared/protocol/orders.ts';
import type { ServiceNodeConfig } from '../core/config.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { Vault } from '../vault/index.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import { lookupOutput } from '../orders/chain.ts';
import { publishMessage, vaultSigner, type SeqCounter } from '../orders/net.ts';
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

export function createPresence(d: PresenceDeps): Presence {
  const cfg = d.config;
  const outpoint = `${cfg.collateral.txid}:${cfg.collateral.vout}`;
  const collateral = { txid: cfg.collateral.txid, vout: cfg.collateral.vout };
  let signer: Signer | null = null;
  let feeAddress: string | null = cfg.fee.address ?? null;
  let beats = 0;
  let registered = false;
  let stopped = false;
  let beating = false;

  async function register(): Promise<boolean> {
    const s = vaultSigner(d.vault, 'serviceNode');
    const collateralCoin = d.coinOf(cfg.collateral.ticker);
    const wallet = d.wallets.rpc(cfg.collateral.ticker);
    const out = await lookupOutput(wallet, collateralCoin, collateral);
    if (!out || !out.address) {
      d.log.error('the service node collateral is spent or unknown; not registering', { outpoint });
      return false;
    }
    const fields = {
      peerId: d.p2p.peerId,
      collateral: { ticker: cfg.collateral.ticker, outpoint, address: out.address },
      coins: d.coins,
      seq: d.seq.next(),
      ts: d.now(),
    };
    // signmessage: Core signs only for legacy (P2PKH) addresses of its own wallet.
    const collateralSig = await wallet.call<string>('signmessage', [
      out.address,
      registrationSigningText(fields, s.publicKey),
    ]);
    const wire = buildRegistration(fields, s, () => collateralSig);
    const v = await d.registry.ingestRegistration(wire, null);
    if (!v.ok && v.reason !== 'duplicate') {
      d.log.error("this service node's own registration does not check", { reason: v.reason, message: v.message });
      return false;
    }
    signer = s;
    feeAddress ??= (await d.wallets.newAddress(cfg.fee.ticker, 'hashlock service node fees')).address;
    await publishMessage(d.p2p, SERVICE_NODE_TOPIC, wire as { type: 'sn.register' }, d.log);
    if (!registered)
      d.log.info('this service node is registered', { pubkey: s.publicKey, collateral: outpoint, coins: d.coins });
    return true;
  }

  /** Registered now (again every fifth beat); false when it is not and cannot be. */
  async function stayRegistered(): Promise<boolean> {
    if (!registered) return (registered = await register());
    if (++beats % 5 !== 0) return true;
    // Now and then the registration again, so peers that joined late hear it by gossip too.
    const collateralCoin = d.coinOf(cfg.collateral.ticker);
    const out = await lookupOutput(d.wallets.rpc(cfg.collateral.ticker), collateralCoin, collateral);
    if (!out) {
      d.log.error('the service node collateral was spent; this node stops serving', { outpoint });
      registered = false;
      signer = null;
      return false;
    }
    return (registered = await register());
  }

  async function announce(s: Signer): Promise<void> {
    const coins = d.served();
    if (coins.length === 0 || !coins.includes(cfg.fee.ticker) || !feeAddress) {
      d.log.warn('the service node has no wallet for its coins yet; no heartbeat', { coins: d.coins });
      return;
    }
    const fee = { ticker: cfg.fee.ticker, address: feeAddress, amount: d.feeAmount };
    const wire = buildServiceNodeAnnounce({ peerId: d.p2p.peerId, coins, fee, seq: d.seq.next(), ts: d.now() }, s);
    const v = await d.registry.ingestAnnounce(wire, null);
    if (!v.ok) d.log.warn("this service node's own heartbeat does not check", { reason: v.reason, message: v.message });
    await publishMessage(d.p2p, SERVICE_NODE_TOPIC, wire as { type: 'sn.announce' }, d.log);
  }

  return {
    async heartbeat() {
      if (stopped || beating || d.vault.status() !== 'unlocked') return;
      beating = true;
      try {
        if (!(await stayRegistered())) return;
        if (!signer) throw new Error('the service node is not running yet');
        await announce(signer);
      } catch (err) {
        d.log.warn('service node heartbeat failed', { error: errorText(err) });
      } finally {
        beating = false;
      }
    },
    signer: () => signer,
    feeAddress: () => feeAddress,
    forget() {
      signer = null;
      registered = false;
    },
    stop() {
      stopped = true;
    },
  };
}
