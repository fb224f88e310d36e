// The service-node role (`hashlock servicenode`): registers with a signed proof of its collateral,
// sends heartbeats naming its coins and taker fee, countersigns orders after checking the maker's
// coins on chain, and holds an order for the taker the maker acked once the taker's fee
// transaction is on chain. Its holds are what every book obeys; it records each trade it saw
// through (docs/protocol.md §4, §8).
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import { signOrderAsServiceNode, isValidFill, makerSellsTicker } from '../../src-shared/orders/order.ts';
import {
  buildRegistration,
  buildServiceNodeAnnounce,
  registrationSigningText,
} from '../../src-shared/orders/servicenode.ts';
import { offenceFor, validateSignRequest, validateTake, type Refusal } from '../../src-shared/orders/validate.ts';
import {
  ORDER_PROTOCOLS,
  SERVICE_NODE_TOPIC,
  decodeOrderMessage,
  marketTopic,
  signOrderMessage,
  signedMessageId,
} from '../../src-shared/protocol/orders.ts';
import type { Signer } from '../../src-shared/protocol/canonical.ts';
import type { Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/wallet-service.ts';
import type { ServiceNodeConfig } from '../core/config.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { ServiceNodeRepo } from './repo.ts';
import { createSerialQueue } from '../kernel/serial.ts';
import type { Vault } from '../vault/index.ts';
import { checkFeeTx, checkOwnershipProof, lookupOutput } from '../orders/chain.ts';
import type { NetworkBook } from '../orders/network-book.ts';
import { SeqCounter, publishMessage, vaultSigner } from '../orders/net.ts';
import type { ServiceNodeRegistry } from './registry.ts';
import { sleep } from '../kernel/time.ts';

export interface ServiceNodeRoleDeps {
  config: ServiceNodeConfig;
  coins: readonly CoinParams[];
  vault: Pick<Vault, 'status' | 'onStateChange' | 'networkPublicKey' | 'signNetworkDigest'>;
  wallets: Pick<WalletService, 'rpc' | 'newAddress' | 'isConfigured'>;
  p2p: Pick<P2pHost, 'peerId' | 'publish' | 'handleRequest'>;
  registry: ServiceNodeRegistry;
  book: NetworkBook;
  repo: ServiceNodeRepo;
  log: Logger;
  now: () => number;
  /** How long a take waits for the fee transaction to show up on the service node's daemon. */
  feeWaitMs?: number;
}

export interface ServiceNodeRole {
  start(): Promise<void>;
  stop(): void;
  /** The key it registered, once registered. */
  pubkey(): string | null;
  /** A trade record for one of our holds arrived: the trade went through. */
  traded(holdId: string): void;
}

/**
 * The hold this service node already gave for a take, when the same taker sends the same take
 * again (its answer was lost on the way, or came too late), else null. Holds are public, so the
 * accept's id, which covers the taker's peer id and the fee transaction, is enough to match.
 */
export function earlierHold(
  req: unknown,
  peerId: string,
  repo: Pick<ServiceNodeRepo, 'holdByFee'>,
): Record<string, unknown> | null {
  const take = decodeOrderMessage(req, 'order.take');
  if (!take.ok) return null;
  const accept = decodeOrderMessage(take.msg.accept, 'order.accept');
  if (!accept.ok || accept.msg.taker.peerId !== peerId) return null;
  const earlier = repo.holdByFee<Record<string, unknown>>(accept.msg.feeTxid);
  return earlier && earlier.hold.acceptId === signedMessageId(accept.raw as { type: 'order.accept' })
    ? earlier.hold
    : null;
}

/** A refusal as a reqres error: malformed requests cost the sender points in the host. */
function refusal(r: Refusal): ApiError {
  return new ApiError(offenceFor(r.reason) ? 'INVALID_PARAMS' : 'PEER_REFUSED', `refused (${r.reason}): ${r.message}`, {
    reason: r.reason,
  });
}

export function createServiceNodeRole(d: ServiceNodeRoleDeps): ServiceNodeRole {
  const cfg = d.config;
  const seq = new SeqCounter(d.now);
  const takes = createSerialQueue();
  const feeWaitMs = d.feeWaitMs ?? 10_000;
  const outpoint = `${cfg.collateral.txid}:${cfg.collateral.vout}`;
  let signer: Signer | null = null;
  let feeAddress: string | null = cfg.fee.address ?? null;
  let timer: NodeJS.Timeout | undefined;
  let beats = 0;
  let registered = false;
  let stopped = false;
  let beating = false;
  let unsubVault: (() => void) | undefined;

  const coinOf = (t: string): CoinParams => {
    const c = d.coins.find((x) => x.ticker === t);
    if (!c)
      throw new ApiError(
        'CONFIG_INVALID',
        `The service node is configured with ${t}, which this network does not have.`,
      );
    return c;
  };
  const feeCoin = coinOf(cfg.fee.ticker);
  const feeAmount = parseAmount(cfg.fee.amount, feeCoin.decimals);
  const configuredCoins = cfg.coins ?? d.coins.map((c) => c.ticker);
  for (const t of configuredCoins) coinOf(t);
  /** Coins we can check on chain right now: a wallet is connected for each. */
  const servedCoins = () => configuredCoins.filter((t) => d.wallets.isConfigured(t));
  const needSigner = (): Signer => {
    if (!signer) throw new ApiError('PEER_REFUSED', 'the service node is not running yet');
    return signer;
  };

  async function register(): Promise<boolean> {
    const s = vaultSigner(d.vault, 'serviceNode');
    const collateralCoin = coinOf(cfg.collateral.ticker);
    const wallet = d.wallets.rpc(cfg.collateral.ticker);
    const out = await lookupOutput(wallet, collateralCoin, { txid: cfg.collateral.txid, vout: cfg.collateral.vout });
    if (!out || !out.address) {
      d.log.error('the service node collateral is spent or unknown; not registering', { outpoint });
      return false;
    }
    const fields = {
      peerId: d.p2p.peerId,
      collateral: { ticker: cfg.collateral.ticker, outpoint, address: out.address },
      coins: configuredCoins,
      seq: seq.next(),
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
      d.log.info('this service node is registered', {
        pubkey: s.publicKey,
        collateral: outpoint,
        coins: configuredCoins,
      });
    return true;
  }

  async function heartbeat(): Promise<void> {
    if (stopped || beating || d.vault.status() !== 'unlocked') return;
    beating = true;
    try {
      if (!registered) {
        registered = await register();
        if (!registered) return;
      } else if (++beats % 5 === 0) {
        // Now and then the registration again, so peers that joined late hear it by gossip too.
        const collateralCoin = coinOf(cfg.collateral.ticker);
        const out = await lookupOutput(d.wallets.rpc(cfg.collateral.ticker), collateralCoin, {
          txid: cfg.collateral.txid,
          vout: cfg.collateral.vout,
        });
        if (!out) {
          d.log.error('the service node collateral was spent; this node stops serving', { outpoint });
          registered = false;
          signer = null;
          return;
        }
        registered = await register();
        if (!registered) return;
      }
      const s = needSigner();
      const coins = servedCoins();
      if (coins.length === 0 || !coins.includes(cfg.fee.ticker) || !feeAddress) {
        d.log.warn('the service node has no wallet for its coins yet; no heartbeat', { coins: configuredCoins });
        return;
      }
      const wire = buildServiceNodeAnnounce(
        {
          peerId: d.p2p.peerId,
          coins,
          fee: { ticker: cfg.fee.ticker, address: feeAddress, amount: feeAmount },
          seq: seq.next(),
          ts: d.now(),
        },
        s,
      );
      const v = await d.registry.ingestAnnounce(wire, null);
      if (!v.ok)
        d.log.warn("this service node's own heartbeat does not check", { reason: v.reason, message: v.message });
      await publishMessage(d.p2p, SERVICE_NODE_TOPIC, wire as { type: 'sn.announce' }, d.log);
    } catch (err) {
      d.log.warn('service node heartbeat failed', { error: (err as Error).message });
    } finally {
      beating = false;
    }
  }

  async function onSign(req: unknown, peerId: string): Promise<unknown> {
    const s = needSigner();
    const v = validateSignRequest(req, d.book.context());
    if (!v.ok) throw refusal(v);
    const o = v.value;
    if (o.maker.peerId !== peerId)
      throw new ApiError('PEER_REFUSED', "refused: an order is signed for the maker's own node only");
    const coins = servedCoins();
    if (!coins.includes(o.market.base) || !coins.includes(o.market.quote))
      throw new ApiError(
        'PEER_REFUSED',
        `refused: this service node does not serve ${o.market.base}/${o.market.quote}`,
      );
    const proof = decodeOrderMessage(req, 'order.sign.request');
    if (!proof.ok) throw refusal(proof);
    const sells = makerSellsTicker(o);
    const needed = o.side === 'sell' ? o.baseAmount : o.quoteAmount;
    const check = await checkOwnershipProof(
      d.wallets.rpc(sells),
      coinOf(sells),
      proof.msg.ownership.tx,
      o.id,
      o.makerUtxos,
      needed,
    );
    if (!check.ok) {
      d.log.info('order refused', { orderId: o.id, maker: peerId, reason: check.message });
      throw new ApiError('PEER_REFUSED', `refused: ${check.message}`);
    }
    const signed = signOrderAsServiceNode(o, s, d.now());
    d.log.info('order signed', { orderId: o.id, market: `${o.market.base}/${o.market.quote}`, side: o.side });
    return { type: 'order.sign.response', orderId: o.id, serviceNode: signed.serviceNode };
  }

  async function feeOnChain(txid: string, orderId: string): Promise<void> {
    const deadline = d.now() + feeWaitMs;
    for (;;) {
      const r = await checkFeeTx(
        d.wallets.rpc(cfg.fee.ticker),
        feeCoin,
        txid,
        { address: feeAddress!, amount: feeAmount },
        orderId,
      );
      if (r.ok) return;
      // The taker just sent it: give it a moment to reach our daemon.
      if (r.message !== 'the fee transaction is not on the chain' || d.now() > deadline)
        throw new ApiError('PEER_REFUSED', `refused: ${r.message}`);
      await sleep(200);
    }
  }

  async function onTake(req: unknown, peerId: string): Promise<unknown> {
    const s = needSigner();
    // Before the listing is checked: our own hold may have taken the order off the book.
    const again = earlierHold(req, peerId, d.repo);
    if (again) return again;
    const v = validateTake(req, { ...d.book.directContext(), listed: d.book.find, servicePubkey: s.publicKey });
    if (!v.ok) throw refusal(v);
    const { accept, acceptId } = v.value;
    if (accept.taker.peerId !== peerId) throw new ApiError('PEER_REFUSED', 'refused: the taker must send its own take');
    if (d.repo.feeUsed(accept.feeTxid))
      throw new ApiError('PEER_REFUSED', 'refused: that fee transaction already paid for another trade');
    await feeOnChain(accept.feeTxid, accept.orderId);
    // One take at a time: the first that passes wins what is left of the order.
    return takes.run(async () => {
      // The same take may have come again while this one waited for the fee: one hold for both.
      const held = earlierHold(req, peerId, d.repo);
      if (held) return held;
      const entry = d.book.find(accept.orderId);
      if (!entry) throw new ApiError('PEER_REFUSED', 'refused: the order is no longer listed');
      if (!isValidFill(entry.order.partial, entry.remainingBase, accept.baseAmount))
        throw new ApiError('PEER_REFUSED', 'refused: the order no longer has that much left');
      const hold = signOrderMessage(
        {
          type: 'order.hold',
          orderId: accept.orderId,
          acceptId,
          taker: accept.taker.pubkey,
          baseAmount: accept.baseAmount,
          quoteAmount: accept.quoteAmount,
          remainingBase: entry.remainingBase - accept.baseAmount,
          serviceNode: s.publicKey,
          seq: seq.next(),
          ts: d.now(),
        },
        s,
      );
      const holdId = signedMessageId(hold as { type: 'order.hold' });
      if (!d.repo.addHold({ holdId, orderId: accept.orderId, feeTxid: accept.feeTxid, hold }))
        throw new ApiError('PEER_REFUSED', 'refused: that fee transaction already paid for another trade');
      const applied = d.book.ingest('order.hold', hold, null);
      if (!applied.ok)
        d.log.warn('our own hold does not apply to our book', {
          holdId,
          reason: applied.reason,
          message: applied.message,
        });
      await publishMessage(
        d.p2p,
        marketTopic(entry.order.market.base, entry.order.market.quote),
        hold as { type: 'order.hold' },
        d.log,
      );
      d.log.info('order held', {
        orderId: accept.orderId,
        holdId,
        baseAmount: accept.baseAmount,
        remainingBase: entry.remainingBase - accept.baseAmount,
        taker: peerId,
      });
      return hold;
    });
  }

  return {
    async start() {
      await d.p2p.handleRequest(ORDER_PROTOCOLS.sign, (req, ctx) => onSign(req, ctx.peerId));
      await d.p2p.handleRequest(ORDER_PROTOCOLS.take, (req, ctx) => onTake(req, ctx.peerId));
      unsubVault = d.vault.onStateChange((state) => {
        if (state === 'unlocked') void heartbeat();
        else {
          signer = null;
          registered = false;
        }
      });
      timer = setInterval(() => void heartbeat(), cfg.announceMs);
      timer.unref();
      void heartbeat();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubVault?.();
    },
    pubkey: () => signer?.publicKey ?? null,
    traded(holdId) {
      if (d.repo.markTraded(holdId, holdId)) d.log.info('trade seen through', { holdId });
    },
  };
}
