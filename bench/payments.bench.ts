// What reading and showing a payment request costs, and how big a payment book its backup holds:
// parse rates (plain BIP21, signed with an identity, and parse + binding check with key
// recovery), the merchant card against 0 … 10,000 contacts (the lookalike search), a signed
// request's QR code drawn and read back, and the backup's pages (entries per page, the largest
// book it holds, sealing time). Writes bench/results/payments.json.
//   node bench/payments.bench.ts      or      npm run bench -- payments
import os from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressOfKey, signCompact } from '../src-shared/identity/compact.ts';
import {
  backupKey,
  backupKeyDigest,
  layoutBook,
  MAX_PAGES,
  paginate,
  sealPage,
  type BackupPayment,
  type BackupRequest,
} from '../src-shared/payments/backup.ts';
import { decideMerchantCard } from '../src-shared/payments/card.ts';
import { parsePaymentUri } from '../src-shared/payments/uri.ts';
import { checkBinding } from '../src-shared/payments/verify.ts';
import { decodeQr, encodeQr, qrPixels } from '../src-renderer/payments/qr.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLAIN = 'bitcoin:bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8?amount=0.001&label=Acme%20Coffee&message=Order%2042';

interface Vector {
  readonly ticker: string;
  readonly uri: string;
}

/** Best of three passes by wall time and by this process's CPU time (the machine is shared). */
function perSecond(count: number, fn: (i: number) => void): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    const used = process.cpuUsage();
    for (let i = 0; i < count; i++) fn(i);
    const spent = process.cpuUsage(used);
    wall = Math.max(wall, count / ((performance.now() - started) / 1000));
    cpu = Math.max(cpu, count / ((spent.user + spent.system) / 1e6));
  }
  return { wall: Math.round(wall), cpu: Math.round(cpu) };
}

function parseRates(signed: Vector) {
  const opts = { ticker: signed.ticker };
  let bad = 0;
  const verify = perSecond(300, () => {
    if (checkBinding(parsePaymentUri(signed.uri, opts)).status !== 'valid') bad++;
  });
  if (bad > 0) throw new Error('the signed vector does not verify');
  return {
    plainPerSec: perSecond(20_000, () => parsePaymentUri(PLAIN)),
    signedParsePerSec: perSecond(5_000, () => parsePaymentUri(signed.uri, opts)),
    signedParseAndVerifyPerSec: verify,
  };
}

/** One card decision per contact-list size: the lookalike search compares the name with each. */
function cardTimes(signed: Vector) {
  const request = parsePaymentUri(signed.uri, { ticker: signed.ticker });
  const binding = checkBinding(request);
  if (binding.status !== 'valid') throw new Error('the signed vector does not verify');
  const out: Array<{ contacts: number; microsPerCard: number; state: string }> = [];
  for (const n of [0, 100, 1_000, 10_000]) {
    const contacts = Array.from({ length: n }, (_, i) => ({ did: `did:is:contact${i}`, name: `Trader number ${i}` }));
    const input = {
      binding,
      payTo: { address: request.address!, amount: request.amount, ticker: signed.ticker, decimals: 8 },
      label: request.label,
      profile: { state: 'active' as const, name: 'Acme Coffee' },
      now: 1_700_000_000_000,
      history: { count: 0 },
      contacts,
    };
    const rounds = n >= 10_000 ? 5 : n >= 1_000 ? 50 : 500;
    const rate = perSecond(rounds, () => decideMerchantCard(input));
    out.push({ contacts: n, microsPerCard: Math.round(1e6 / rate.cpu), state: decideMerchantCard(input).state });
  }
  return out;
}

async function qrRoundTrip(signed: Vector) {
  const encodeRate = perSecond(50, () => encodeQr(signed.uri));
  const matrix = encodeQr(signed.uri);
  const image = qrPixels(matrix, 4, 4);
  await decodeQr(image); // loads the library once
  const started = performance.now();
  const rounds = 10;
  for (let i = 0; i < rounds; i++) {
    if ((await decodeQr(image)) !== signed.uri) throw new Error('the QR code did not read back as the URI');
  }
  return {
    uriChars: signed.uri.length,
    modules: matrix.size,
    imagePx: image.width,
    msPerEncode: +(1000 / encodeRate.cpu).toFixed(3),
    msPerDecode: +((performance.now() - started) / rounds).toFixed(1),
  };
}

/** A realistic entry: a signed request URI as Hashlock builds it, a txid, a fee. */
function bookEntries(did: string, signedUri: string) {
  const hex = (n: number) => n.toString(16).padStart(64, '0');
  const payment = (n: number): BackupPayment => ({
    key: hex(n),
    ticker: 'DEVA',
    address: 'rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn',
    amount: '1.5',
    uri: signedUri,
    txid: hex(n + 1_000_000),
    fee: '0.0000141',
    phase: 'confirmed',
    cardState: 'known',
    feeRate: '10',
    did,
    name: `Shop ${n}`,
    createdAt: 1_800_000_000_000 + n,
  });
  const request = (n: number): BackupRequest => ({
    id: hex(n).slice(0, 32),
    ticker: 'DEVA',
    address: 'rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn',
    uri: signedUri,
    createdAt: 1_800_000_000_000 + n,
    expiresAt: 1_800_086_400_000 + n,
    canceled: false,
  });
  return { payment, request };
}

/** The largest count of `make` entries the backup's pages hold (binary search over paginate). */
function capacity(fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = 1;
  while (fits(hi)) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

async function backupSizes(signed: Vector) {
  const secret = new Uint8Array(32).fill(3);
  const did = `did:is:${addressOfKey(secp256k1.getPublicKey(secret, true))}`;
  const key = backupKey(signCompact(backupKeyDigest(did), secret), did);
  const { payment, request } = bookEntries(did, signed.uri);
  const fits = (book: () => Parameters<typeof paginate>[0]) => {
    try {
      paginate(book());
      return true;
    } catch {
      return false;
    }
  };
  const payments = (n: number) => ({
    payments: Array.from({ length: n }, (_, i) => payment(i)),
    requests: [],
    contacts: [],
  });
  const requests = (n: number) => ({
    payments: [],
    requests: Array.from({ length: n }, (_, i) => request(i)),
    contacts: [],
  });
  const maxPayments = capacity((n) => fits(() => payments(n)));
  const maxRequests = capacity((n) => fits(() => requests(n)));
  const full = paginate(payments(maxPayments));
  const started = performance.now();
  let sealedChars = 0;
  for (const page of full) sealedChars += (await sealPage(page, key, did)).length;
  // A book past the cap: the node lays it out (cut and pages) on every publish.
  const over = { payments: Array.from({ length: 2 * maxPayments }, (_, i) => payment(i)), requests: [], contacts: [] };
  const laidAt = performance.now();
  const layout = layoutBook(over);
  const msToLayOutOverfullBook = Math.round(performance.now() - laidAt);
  return {
    maxPages: MAX_PAGES,
    paymentsPerPage: full[1]?.payments.length ?? full[0]!.payments.length,
    maxPayments,
    maxRequests,
    fullBookPages: full.length,
    fullBookSealedKiB: Math.round(sealedChars / 1024),
    msToSealFullBook: Math.round(performance.now() - started),
    overfullBook: {
      entries: 2 * maxPayments,
      keptPages: layout.pages.length,
      omitted: layout.omitted,
      ms: msToLayOutOverfullBook,
    },
  };
}

export async function run() {
  const fixtures = JSON.parse(
    await readFile(path.join(ROOT, 'src-shared/payments/fixtures/bindings.json'), 'utf8'),
  ) as { vectors: Vector[] };
  const signed = fixtures.vectors.find((v) => v.ticker === 'BTC' && v.uri.includes('amount='));
  if (!signed) throw new Error('no signed BTC vector with an amount in fixtures/bindings.json');
  const result = {
    bench: 'payments',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) },
    parse: parseRates(signed),
    card: cardTimes(signed),
    qr: await qrRoundTrip(signed),
    backup: await backupSizes(signed),
  };
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench/results/payments.json'), `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      verifyPerSec: result.parse.signedParseAndVerifyPerSec.cpu,
      cardMicrosAt10kContacts: result.card.at(-1)!.microsPerCard,
      qrDecodeMs: result.qr.msPerDecode,
      backupMaxPayments: result.backup.maxPayments,
      backupMaxRequests: result.backup.maxRequests,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await run();
  console.log(JSON.stringify(r.summary));
}
