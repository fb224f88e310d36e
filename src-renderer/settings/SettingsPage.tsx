// Settings, persisted in the node (settings.get / settings.set; settings.changed keeps every
// window in step): theme, number format, notifications, confirmations per coin (the risk
// setting), fee preference; plus facts about the node, the vault, and credits.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import type { Theme } from '../app/theme.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDuration } from '../format/text.ts';
import { nodeQueries } from '../node/index.ts';
import {
  notificationPermission,
  requestNotificationPermission,
  showDesktopNotification,
  type NotificationPermissionState,
} from '../notifications/index.ts';
import { walletQueries } from '../wallets/index.ts';
import {
  checkNumberFormat,
  confirmationsMeaning,
  DECIMAL_SEPARATORS,
  GROUP_SEPARATORS,
  numberExample,
  parseConfirmations,
  type DecimalSeparator,
  type GroupSeparator,
  type NumberFormat,
} from './settings-form.ts';
import { useSaveSettings, useSettings, useThemeSetting, type Settings } from './use-settings.ts';
import '../styles/trade.css';

type Save = ReturnType<typeof useSaveSettings>['save'];

function Appearance() {
  const { theme, setTheme } = useThemeSetting();
  return (
    <fieldset className="field">
      <legend>Theme</legend>
      <div className="segmented" data-testid="settings-theme">
        {(['dark', 'light'] as Theme[]).map((t) => (
          <label key={t} className="segmented-option">
            <input
              type="radio"
              name="theme"
              value={t}
              checked={theme === t}
              onChange={() => setTheme(t)}
              data-testid={`theme-${t}`}
            />
            <span>{t === 'dark' ? 'Dark' : 'Light'}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Numbers(props: { value: NumberFormat; save: Save }) {
  const [draft, setDraft] = useState<NumberFormat>(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const problem = checkNumberFormat(draft);
  const change = (next: NumberFormat) => {
    setDraft(next);
    // Saved as soon as the pair is unambiguous; until then only the draft changes.
    if (!checkNumberFormat(next)) props.save({ numberFormat: next });
  };
  return (
    <div className="stack">
      <div className="form-row">
        <div className="field">
          <label htmlFor="settings-group">Thousands separator</label>
          <select
            id="settings-group"
            className="input"
            data-testid="settings-group-separator"
            value={draft.groupSeparator}
            onChange={(e) => change({ ...draft, groupSeparator: e.target.value as GroupSeparator })}
            aria-invalid={problem ? true : undefined}
          >
            {GROUP_SEPARATORS.map((g) => (
              <option key={g.label} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="settings-decimal">Decimal separator</label>
          <select
            id="settings-decimal"
            className="input"
            data-testid="settings-decimal-separator"
            value={draft.decimalSeparator}
            onChange={(e) => change({ ...draft, decimalSeparator: e.target.value as DecimalSeparator })}
            aria-invalid={problem ? true : undefined}
          >
            {DECIMAL_SEPARATORS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {problem ? (
        <p className="field-error" role="alert" data-testid="settings-number-format-error">
          {problem}
        </p>
      ) : (
        <p className="muted">
          Numbers look like{' '}
          <span className="num strong" data-testid="settings-number-example">
            {numberExample(draft)}
          </span>
          . Amounts you type use the same decimal separator; type them without thousands separators.
        </p>
      )}
    </div>
  );
}

function Notifications(props: { muted: boolean; save: Save }) {
  const [permission, setPermission] = useState<NotificationPermissionState>(() => notificationPermission());
  const ask = async () => setPermission(await requestNotificationPermission());
  const words: Record<NotificationPermissionState, string> = {
    granted: 'Desktop notifications are allowed.',
    default: 'Desktop notifications are not allowed yet.',
    denied:
      'Desktop notifications are blocked for this app. Allow them in the browser\u2019s site settings (or the system\u2019s notification settings) and reload.',
    unsupported: 'This browser cannot show desktop notifications; the app shows them in its own window.',
  };
  return (
    <div className="stack">
      <label className="check">
        <input
          type="checkbox"
          checked={props.muted}
          data-testid="settings-notifications-muted"
          onChange={(e) => props.save({ notifications: { muted: e.target.checked } })}
        />
        <span>
          Mute notifications
          <span className="field-hint block">
            No desktop or in-app notices about fills, completed swaps, refunds and failures. The Trade and Swaps pages
            still show everything.
          </span>
        </span>
      </label>
      <div className="with-copy">
        <span data-testid="settings-notifications-permission" data-permission={permission}>
          {words[permission]}
        </span>
        {permission === 'default' ? (
          <button
            type="button"
            className="btn btn-small"
            data-testid="settings-notifications-allow"
            onClick={() => void ask()}
          >
            Allow desktop notifications
          </button>
        ) : null}
        {permission === 'granted' ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="settings-notifications-test"
            onClick={() =>
              showDesktopNotification({
                title: 'Hashlock',
                body: 'Notifications work. You will see fills, completed swaps, refunds and failures here.',
                tag: 'test',
                link: null,
              })
            }
          >
            Send a test
          </button>
        ) : null}
      </div>
    </div>
  );
}

function ConfirmationRow(props: {
  ticker: string;
  name: string;
  value: number;
  defaultValue: number;
  blockTimeSec: number;
  save: Save;
}) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const parsed = parseConfirmations(text);
  const commit = () => {
    if (parsed.ok && parsed.value !== props.value) props.save({ confirmations: { [props.ticker]: parsed.value } });
  };
  const id = `settings-confirmations-${props.ticker}`;
  const shown = parsed.ok ? parsed.value : props.value;
  return (
    <tr>
      <td>
        <span className="strong">{props.ticker}</span> <span className="muted small">{props.name}</span>
      </td>
      <td>
        <label htmlFor={id} className="sr-only">
          Confirmations for {props.ticker}
        </label>
        <input
          id={id}
          className="input input-compact narrow num"
          inputMode="numeric"
          data-testid={id}
          value={text}
          aria-invalid={parsed.ok ? undefined : true}
          aria-describedby={`${id}-meaning`}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
      </td>
      <td id={`${id}-meaning`} className={parsed.ok && shown === 0 ? 'small warn-text' : 'small muted'}>
        {parsed.ok ? (
          confirmationsMeaning(shown, props.blockTimeSec)
        ) : (
          <span className="error-text" data-testid={`${id}-error`}>
            {parsed.message}
          </span>
        )}
      </td>
      <td className="small muted num">default {props.defaultValue}</td>
    </tr>
  );
}

function Risk(props: { settings: Settings; save: Save }) {
  const api = useApi();
  const coins = useQuery(walletQueries(api).coins());
  return (
    <div className="stack">
      <p className="muted">
        Before your node locks its coins (or claims), it waits until the other side&rsquo;s lock has this many
        confirmations. More is safer against a chain reorganisation or a double-spend; fewer is faster. It applies to
        swaps that start after the change.
      </p>
      {coins.isError ? <ErrorNote error={coins.error} /> : null}
      <table className="table compact" data-testid="settings-confirmations">
        <thead>
          <tr>
            <th>Coin</th>
            <th>Confirmations</th>
            <th>Means</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {coins.data?.map((c) => (
            <ConfirmationRow
              key={c.ticker}
              ticker={c.ticker}
              name={c.name}
              value={props.settings.confirmations[c.ticker] ?? c.defaultConfirmations}
              defaultValue={c.defaultConfirmations}
              blockTimeSec={c.blockTimeSec}
              save={props.save}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const FEES: ReadonlyArray<{ value: Settings['feePreference']; label: string; text: string }> = [
  {
    value: 'economy',
    label: 'Economy',
    text: 'Lowest fee rate the node considers safe; locks, claims and refunds may take longer to confirm.',
  },
  { value: 'normal', label: 'Normal', text: 'The wallet\u2019s estimate for confirming within a few blocks.' },
  {
    value: 'priority',
    label: 'Priority',
    text: 'Higher fee rate for the next block; claims race least against lock times.',
  },
];

function Fees(props: { value: Settings['feePreference']; save: Save }) {
  return (
    <fieldset className="field">
      <legend>Network fee preference</legend>
      <div className="options">
        {FEES.map((f) => (
          <label key={f.value} className={props.value === f.value ? 'option checked' : 'option'}>
            <input
              type="radio"
              name="fee-preference"
              value={f.value}
              checked={props.value === f.value}
              data-testid={`settings-fee-${f.value}`}
              onChange={() => props.save({ feePreference: f.value })}
            />
            <span className="option-body">
              <span className="option-title">{f.label}</span>
              <span className="option-text muted">{f.text}</span>
            </span>
          </label>
        ))}
      </div>
      <p className="field-hint">
        Fees always stay within each coin&rsquo;s floor and cap. The order preview shows the fees before you confirm.
      </p>
    </fieldset>
  );
}

function NodeFacts() {
  const api = useApi();
  const node = useQuery(nodeQueries(api).info());
  return (
    <>
      {node.isError ? <ErrorNote error={node.error} /> : null}
      <dl className="facts" data-testid="node-facts">
        <dt>Version</dt>
        <dd>{node.data?.version ?? '\u2026'}</dd>
        <dt>Network</dt>
        <dd>{node.data?.network ?? '\u2026'}</dd>
        <dt>Role</dt>
        <dd>{node.data ? (node.data.role === 'servicenode' ? 'Service node' : 'Trader') : '\u2026'}</dd>
        <dt>Running for</dt>
        <dd>{node.data ? formatDuration(node.data.uptimeSec) : '\u2026'}</dd>
        <dt>Peer ID</dt>
        <dd className="with-copy">
          <span className="mono break">{node.data?.peerId ?? '\u2026'}</span>
          {node.data ? <CopyButton text={node.data.peerId} what="peer ID" /> : null}
        </dd>
      </dl>
    </>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  const { save, error, isPending, isSuccess } = useSaveSettings();
  const s = settings.data;
  return (
    <section className="page-narrow settings" data-testid="settings">
      <PageHeader
        title="Settings"
        description="Kept by your node, so the desktop window and every browser tab use the same settings."
        actions={
          <span
            className="small muted save-state"
            role="status"
            data-testid="settings-save-state"
            data-state={isPending ? 'saving' : error ? 'error' : isSuccess ? 'saved' : 'idle'}
          >
            {isPending ? 'Saving\u2026' : isSuccess ? 'Saved' : ''}
          </span>
        }
      />
      {error ? <ErrorNote error={error} testId="settings-error" title="The node did not save that change" /> : null}
      {settings.isError ? (
        <ErrorNote error={settings.error} testId="settings-load-error" title="Settings could not be loaded" />
      ) : null}
      <div className="panel stack">
        <h2>Appearance</h2>
        <Appearance />
      </div>
      {s ? (
        <>
          <div className="panel stack">
            <h2>Numbers</h2>
            <Numbers value={s.numberFormat} save={save} />
          </div>
          <div className="panel stack">
            <h2>Notifications</h2>
            <Notifications muted={s.notifications.muted} save={save} />
          </div>
          <div className="panel stack">
            <h2>Confirmations (risk)</h2>
            <Risk settings={s} save={save} />
          </div>
          <div className="panel stack">
            <h2>Fees</h2>
            <Fees value={s.feePreference} save={save} />
          </div>
        </>
      ) : settings.isPending ? (
        <div className="panel muted">Loading settings{'\u2026'}</div>
      ) : null}
      <div className="panel stack">
        <h2>Node</h2>
        <NodeFacts />
      </div>
      <div className="panel stack">
        <h2>Vault</h2>
        <p className="muted">
          The vault holds the keys for swap claims, refunds and identity, encrypted with your password. Lock it with the
          Lock button at the top; it then needs the password again. Your coins stay in your own wallets either way.
        </p>
      </div>
      <div className="panel stack">
        <h2>About</h2>
        <p className="muted small" data-testid="credits">
          Price charts are drawn with TradingView Lightweight Charts{'\u2122'} (Apache License 2.0), copyright
          TradingView, Inc.
        </p>
      </div>
    </section>
  );
}
