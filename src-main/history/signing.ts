// Both parties sign a trade record. The taker of a completed swap signs first and asks the maker
// over /hashlock/trades/sign/1 (retrying while the maker's swap has not completed yet), then
// stores and publishes it; the maker countersigns only what its own check of the trade accepts.
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import {
  assembleTradeRecord,
  signTradeRecord,
  validateTradeRecord,
  type TradeRecord,
  type TradeRecordFields,
} from '../../src-shared/history/record.ts';
import { wireForm, type Signer } from '../../src-shared/protocol/canonical.ts';
import { TRADE_TOPIC, decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import type { P2pHost } from '../p2p/index.ts';
import { publishMessage } from '../orders/index.ts';
import type { TradeStore } from './trade-store.ts';

/** Taker → maker: the record the taker signed, for the maker's countersignature. */
export const TRADE_SIGN_PROTOCOL = '/hashlock/trades/sign/1';

const SignRequest = z
  .object({ type: z.literal('trade.sign.request'), record: z.record(z.string(), z.unknown()) })
  .strict();
const SignResponse = z.object({ makerSig: z.string().regex(/^[0-9a-f]{128}$/) }).strict();

/** What the maker's node must find true of a record before it countersigns (from its own fill and swap). */
export type MakerCheck = (record: TradeRecord, takerPeerId: string) => string | null;

export interface TradeSigningDeps {
  p2p: Pick<P2pHost, 'publish' | 'request'>;
  store: Pick<TradeStore, 'store'>;
  /** This node's order key signer, or null while the vault is locked. */
  signer: () => Signer | null;
  makerCheck: MakerCheck;
  log: Logger;
  now: () => number;
  /** Waits between asks of the maker (tests shorten it). */
  pause?: (ms: number) => Promise<void>;
}

export interface TradeSigning {
  /** The maker's side: answers a taker's sign request with its countersignature, or refuses. */
  onSignRequest(req: unknown, peerId: string): Promise<{ makerSig: string }>;
  /** The taker's side: sign, get the maker's signature, store and publish. Retries while the maker is not ready. */
  recordAsTaker(fields: TradeRecordFields, makerPeerId: string): Promise<TradeRecord>;
}

export function createTradeSigning(d: TradeSigningDeps): TradeSigning {
  const pause = d.pause ?? sleep;

  async function onSignRequest(req: unknown, peerId: string): Promise<{ makerSig: string }> {
    const r = SignRequest.safeParse(req);
    if (!r.success) throw new ApiError('INVALID_PARAMS', 'not a trade sign request');
    const signer = d.signer();
    if (!signer) throw new ApiError('VAULT_LOCKED', "the maker's node is locked");
    const withoutSigs = { ...r.data.record };
    const takerSig = withoutSigs.takerSig;
    delete withoutSigs.takerSig;
    delete withoutSigs.makerSig;
    const decoded = decodeOrderMessage({ ...withoutSigs, makerSig: '00'.repeat(64), takerSig }, 'trade.record');
    if (!decoded.ok) throw new ApiError('INVALID_PARAMS', decoded.message);
    const { type: _t, makerSig: _m, takerSig: _s, ...fields } = decoded.msg;
    if (fields.maker !== signer.publicKey) throw new ApiError('NOT_FOUND', 'this node is not the maker of that trade');
    const problem = d.makerCheck(decoded.msg, peerId);
    if (problem) throw new ApiError('CONFLICT', problem);
    const makerSig = signTradeRecord(fields, signer);
    const full = assembleTradeRecord(fields, makerSig, decoded.msg.takerSig);
    const v = validateTradeRecord(full, { now: d.now() });
    if (!v.ok) throw new ApiError('INVALID_PARAMS', `the record does not check: ${v.message}`);
    d.store.store(v.value, true);
    return { makerSig };
  }

  /** One ask of the maker: its signature checked, the record stored and published. */
  async function askMaker(fields: TradeRecordFields, takerSig: string, makerPeerId: string): Promise<TradeRecord> {
    const unsignedByMaker = { ...(wireForm({ type: 'trade.record', ...fields }) as Record<string, unknown>), takerSig };
    const answer = SignResponse.parse(
      await d.p2p.request(
        makerPeerId,
        TRADE_SIGN_PROTOCOL,
        { type: 'trade.sign.request', record: unsignedByMaker },
        { timeoutMs: 10_000, overRelay: true },
      ),
    );
    const v = validateTradeRecord(assembleTradeRecord(fields, answer.makerSig, takerSig), { now: d.now() });
    if (!v.ok) throw new Error(`the maker's signature does not check: ${v.message}`);
    d.store.store(v.value, true);
    await publishMessage(
      d.p2p,
      TRADE_TOPIC,
      assembleTradeRecord(fields, answer.makerSig, takerSig) as { type: 'trade.record' },
      d.log,
    );
    return v.value;
  }

  async function recordAsTaker(fields: TradeRecordFields, makerPeerId: string): Promise<TradeRecord> {
    const signer = d.signer();
    if (!signer) throw new ApiError('VAULT_LOCKED', 'The vault is locked: unlock it to sign the trade record.');
    const takerSig = signTradeRecord(fields, signer);
    let lastError = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        return await askMaker(fields, takerSig, makerPeerId);
      } catch (err) {
        lastError = errorText(err);
        if (attempt % 5 === 0)
          d.log.info('the maker has not signed the trade record yet', {
            tradeId: fields.tradeId,
            attempt,
            error: lastError,
          });
        // The maker's swap finishes when its claim confirms; ours may finish first.
        await pause(Math.min(500 * (attempt + 1), 5000));
      }
    }
    throw new ApiError('PEER_REFUSED', `The maker did not sign the trade record: ${lastError}`);
  }

  return { onSignRequest, recordAsTaker };
}
