// Both parties sign a trade record. The maker countersigns only a well-formed request for a
// record it made, that its own check accepts; the taker asks until the maker signs (its swap may
// finish first), then stores and publishes the record; a locked vault signs nothing.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { signTradeRecord, type TradeRecord } from '../../src-shared/history/record.ts';
import { MAKER, STRANGER, TAKER } from '../../src-shared/orders/testkit.ts';
import { wireForm, type Signer } from '../../src-shared/protocol/canonical.ts';
import { TRADE_TOPIC } from '../../src-shared/protocol/orders.ts';
import { silentLogger } from '../kernel/log.ts';
import { createTradeSigning, TRADE_SIGN_PROTOCOL, type MakerCheck } from './signing.ts';
import { tradeFields } from './testkit.ts';

const FIELDS = tradeFields();
const TAKER_PEER = '12D3KooWTakerTakerTakerTakerTakerTakerTakerTakerTaker';
/** What the taker sends: the record with its own signature, without the maker's. */
const request = (over: Record<string, unknown> = {}) => ({
  type: 'trade.sign.request',
  record: {
    ...(wireForm({ type: 'trade.record', ...FIELDS }) as Record<string, unknown>),
    takerSig: signTradeRecord(FIELDS, TAKER.signer),
    ...over,
  },
});

function setup(opts: { signer?: Signer | null; makerCheck?: MakerCheck; makerAnswersAfter?: number } = {}) {
  const stored: TradeRecord[] = [];
  const published: string[] = [];
  const asked: string[] = [];
  const waited: number[] = [];
  const signing = createTradeSigning({
    p2p: {
      async request(peerId, protocol, body) {
        asked.push(`${peerId} ${protocol}`);
        if (asked.length <= (opts.makerAnswersAfter ?? 0)) throw new Error("the maker's swap has not completed yet");
        const record = (body as { record: Record<string, unknown> }).record;
        expect(record.makerSig).toBeUndefined();
        return { makerSig: signTradeRecord(FIELDS, MAKER.signer) };
      },
      async publish(topic) {
        published.push(topic);
        return { recipients: 1 };
      },
    },
    store: { store: (r) => (stored.push(r), true) },
    signer: () => (opts.signer === undefined ? MAKER.signer : opts.signer),
    makerCheck: opts.makerCheck ?? (() => null),
    log: silentLogger,
    now: () => FIELDS.finishedAt,
    pause: async (ms) => void waited.push(ms),
  });
  return { signing, stored, published, asked, waited };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe("the maker's countersignature", () => {
  it('a record of a trade its check accepts is signed by the maker and stored', async () => {
    const checked: string[] = [];
    const s = setup({ makerCheck: (r, peer) => (checked.push(`${r.tradeId} ${peer}`), null) });
    const { makerSig } = await s.signing.onSignRequest(request(), TAKER_PEER);
    expect(makerSig).toBe(signTradeRecord(FIELDS, MAKER.signer));
    expect(checked).toEqual([`${FIELDS.tradeId} ${TAKER_PEER}`]);
    expect(s.stored.map((r) => [r.tradeId, r.makerSig])).toEqual([[FIELDS.tradeId, makerSig]]);
  });

  const refused: Array<[string, unknown, Parameters<typeof setup>[0], string, RegExp]> = [
    [
      'something that is not a sign request',
      { type: 'trade.record' },
      {},
      'INVALID_PARAMS',
      /^not a trade sign request$/,
    ],
    [
      'a request while the vault is locked',
      request(),
      { signer: null },
      'VAULT_LOCKED',
      /^the maker's node is locked$/,
    ],
    [
      'a record of another maker',
      request(),
      { signer: STRANGER.signer },
      'NOT_FOUND',
      /^this node is not the maker of that trade$/,
    ],
    [
      "a record the maker's check refuses, with the check's reason",
      request(),
      { makerCheck: () => 'the record does not match the trade' },
      'CONFLICT',
      /^the record does not match the trade$/,
    ],
    [
      "a record whose taker signature is not the taker's",
      request({ takerSig: signTradeRecord(FIELDS, MAKER.signer) }),
      {},
      'INVALID_PARAMS',
      /^the record does not check: /,
    ],
  ];
  it.each(refused)('refuses %s', async (_name, req, opts, code, message) => {
    const s = setup(opts);
    const r = await refusal(s.signing.onSignRequest(req, TAKER_PEER));
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
    expect(s.stored).toEqual([]);
  });
});

describe("the taker's record", () => {
  it('asks the maker until it signs, then stores and publishes the record both signed', async () => {
    const s = setup({ signer: TAKER.signer, makerAnswersAfter: 2 });
    const r = await s.signing.recordAsTaker(FIELDS, 'maker-peer');
    expect(s.asked).toEqual(Array(3).fill(`maker-peer ${TRADE_SIGN_PROTOCOL}`));
    expect(s.waited).toEqual([500, 1000]);
    expect(r.makerSig).toBe(signTradeRecord(FIELDS, MAKER.signer));
    expect(s.stored).toEqual([r]);
    expect(s.published).toEqual([TRADE_TOPIC]);
  });

  it('gives up after 30 asks, saying why', async () => {
    const s = setup({ signer: TAKER.signer, makerAnswersAfter: 100 });
    expect(await refusal(s.signing.recordAsTaker(FIELDS, 'maker-peer'))).toEqual({
      code: 'PEER_REFUSED',
      message: "The maker did not sign the trade record: the maker's swap has not completed yet",
    });
    expect(s.asked).toHaveLength(30);
    expect(s.waited.at(-1)).toBe(5000);
    expect(s.stored).toEqual([]);
  });

  it('signs nothing while the vault is locked', async () => {
    const s = setup({ signer: null });
    expect((await refusal(s.signing.recordAsTaker(FIELDS, 'maker-peer'))).code).toBe('VAULT_LOCKED');
    expect(s.asked).toEqual([]);
  });
});
