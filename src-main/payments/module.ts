// The payments module: paying BIP321 requests at most once, the payment book, the merchant's
// requests and the watch over them, contacts and settings (docs/payments.md §9). It reserves the
// coins of payments on their way and tells clients and other domains of every change.
import type { RequestStatus } from '../../src-shared/payments/status.ts';
import type { RequestView } from '../../src-shared/payments/views.ts';
import { defineModule, type Components, type Handlers, type NodeBase } from '../kernel/module.ts';
import { PaymentsConfig } from './config.ts';
import { createBookBackup, type BookBackup } from './backup.ts';
import './facts.ts';
import { createMerchants } from './merchant.ts';
import { m0001Payments } from './migrations/0001_payments.ts';
import { createPayRunner } from './pay-runner.ts';
import { createContactRepo, createPaymentRepo, createRequestRepo, type StoredPayment } from './repo.ts';
import { createRequests } from './requests.ts';
import { createPaymentsService, createPaymentsSettings, paymentView } from './service.ts';
import { createPayWallet } from './wallet-ops.ts';

export const paymentsModule = defineModule({
  name: 'payments',
  config: { payments: PaymentsConfig },
  schema: { domain: 'payments', migrations: [m0001Payments] },
  needs: ['wallets', 'reservations', 'settings', 'settingsRepo', 'identities'],
  create(c, config) {
    const parts = buildParts(c, config.payments);
    const { runner, requests, book } = parts;
    const mineDid = (did: string) => c.identities.mine().some((m) => m.did === did);
    const offs: Array<() => void> = [];
    return {
      async start() {
        offs.push(c.reservations.addSource('payments', (t) => runner.inFlight(t)));
        await runner.resume();
        requests.start();
        // After a seed restore the backup arrives with the registry's catch-up: merge it then.
        offs.push(
          c.identities.onChanged((ch) => {
            if (!mineDid(ch.did)) return;
            if (ch.kind === 'backup') void book.restore();
            else if (ch.kind === 'profile') book.schedule();
          }),
        );
        void book.restore().then(() => book.schedule());
      },
      async stop() {
        for (const off of offs.splice(0)) off();
        await requests.stop();
        await runner.stop();
        await book.stop();
      },
      handlers: paymentHandlers(c, parts),
    };
  },
});

type Needs = 'wallets' | 'reservations' | 'settings' | 'settingsRepo' | 'identities';
type Context = NodeBase & Pick<Components, Needs>;
type Parts = ReturnType<typeof buildParts>;

/** The module's parts, each told of the others' changes (the backup is built last, reached late). */
function buildParts(c: Context, cfg: PaymentsConfig) {
  const now = c.now;
  const payments = createPaymentRepo(c.db);
  const contacts = createContactRepo(c.db);
  const wallet = createPayWallet(c.wallets);
  const pollMs = cfg.pollMs;
  // Built after the parts it reads; the runner and the requests tell it of changes through this.
  const late: { backup?: BookBackup } = {};
  const runner = createPayRunner({
    repo: payments,
    wallet,
    coin: (t) => c.coins.get(t),
    log: c.log,
    now,
    pollMs,
    settleMs: cfg.sendSettleMs,
    ...(c.host.crashAt ? { crashAt: c.host.crashAt } : {}),
    onChanged: paymentChanged(c, late),
  });
  const paymentsSettings = createPaymentsSettings(c.settingsRepo);
  const merchants = createMerchants({
    identities: c.identities,
    payments,
    contacts,
    askPeers: () => paymentsSettings.get().askPeers,
    now,
    log: c.log,
  });
  const service = createPaymentsService({
    coins: c.coins,
    payments,
    contacts,
    runner,
    merchants,
    wallet,
    settings: c.settings,
    paymentsSettings,
    now,
  });
  const requestRepo = createRequestRepo(c.db);
  const requests = createRequests({
    repo: requestRepo,
    wallets: c.wallets,
    wallet,
    identities: c.identities,
    coins: c.coins,
    confirmations: (t) => c.settings.confirmations(t),
    now,
    log: c.log,
    pollMs,
    onUpdated: requestUpdated(c, late),
  });
  const book = createBookBackup({
    identities: c.identities,
    payments,
    contacts,
    requests: requestRepo,
    store: c.settingsRepo,
    coins: c.coins,
    confirmations: (t) => c.settings.confirmations(t),
    now,
    log: c.log,
    debounceMs: cfg.backupDebounceMs,
    watch: (key) => runner.watch(key),
  });
  late.backup = book;
  return { runner, requests, service, book };
}

function paymentHandlers(c: Context, { service, requests, book }: Parts): Partial<Handlers> {
  return {
    'payments.parse': (p) => service.parse(p),
    'payments.quote': (p) => service.quote(p),
    'payments.pay': (p) => service.pay(p),
    'payments.payment': (p) => service.payment(p.key),
    'payments.paymentCancel': (p) => service.cancel(p.key),
    'payments.book': (p) => service.book(p),
    'payments.requestCreate': (p) => requests.create(p),
    'payments.requests': (p) => requests.list(p),
    'payments.request': (p) => requests.get(p.id),
    'payments.requestWait': (p) => requests.wait(p.id, p.until, (p.timeoutSec ?? 60) * 1000),
    'payments.requestCancel': (p) => requests.cancel(p.id),
    'payments.contacts': () => service.contacts(),
    'payments.contactSave': (p) => {
      const saved = service.contactSave(p);
      book.schedule();
      return saved;
    },
    'payments.contactRemove': (p) => {
      const done = service.contactRemove(p.did);
      book.schedule();
      return done;
    },
    'payments.backup': () => book.status(),
    'payments.signers': () =>
      c.identities.mine().map((m) => {
        const name = m.current && !m.current.deleted ? (m.current.profile.name ?? undefined) : undefined;
        return { did: m.did, ...(name ? { name } : {}) };
      }),
    'payments.settings': () => service.settings(),
    'payments.settingsSet': (p) => service.settingsSet(p),
  };
}

/** A payment changed: clients, the bus, the reservations, and the backup once money left. */
function paymentChanged(c: Context, late: { backup?: BookBackup }) {
  return (p: StoredPayment): void => {
    c.events.emit('payments.paymentUpdated', paymentView(c.coins, p));
    c.bus.emit('payment.updated', {
      key: p.state.key,
      ticker: p.state.ticker,
      phase: p.state.phase,
      ...(p.state.txid ? { txid: p.state.txid } : {}),
    });
    c.reservations.changed('payments');
    if (p.state.phase === 'sent' || p.state.phase === 'confirmed') late.backup?.schedule();
  };
}

/** A request changed: clients, the backup when made or canceled, the bus when money arrives or settles. */
function requestUpdated(c: Context, late: { backup?: BookBackup }) {
  return (view: RequestView, before: RequestStatus | undefined, after: RequestStatus): void => {
    c.events.emit('payments.requestUpdated', view);
    if (before === undefined || view.canceled) late.backup?.schedule();
    if (arrived(before, after) || (after.settled && !before?.settled)) {
      c.bus.emit('payment.received', {
        requestId: view.id,
        ticker: view.ticker,
        status: after.status,
        received: view.status.received,
        settled: after.settled,
      });
    }
  };
}

/** Money arrived where there was none. */
function arrived(before: RequestStatus | undefined, after: RequestStatus): boolean {
  return after.received > 0n && (before === undefined || before.received === 0n);
}
