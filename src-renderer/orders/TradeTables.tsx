// The trades tables on the Trade screen: the user's own trades and one market's latest, newest
// first, each with whether its signed record was checked against the chain and its swap.
import { useQuery } from '@tanstack/react-query';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { EmptyRow, Side, When } from '../components/cells.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useFormatDecimal } from '../format/number-format.tsx';
import { shortenMiddle } from '../format/text.ts';
import { historyQueries } from '../history/index.ts';

type TradeView = Result<'history.fills'>[number];

function Verified(props: { v: TradeView['verified'] }) {
  const words = {
    yes: ['Verified', 'badge-ok', 'Checked against the chain'],
    'no-chain': ['Not checked', '', 'This node does not follow that chain'],
    failed: ['Failed', 'badge-error', 'Does not match the chain'],
    pending: ['Pending', 'badge-info', 'Waiting for confirmations'],
  } as const;
  const [label, cls, title] = words[props.v];
  return (
    <span className={`badge ${cls}`} title={title}>
      {label}
    </span>
  );
}

function TradeRows(props: { trades: readonly TradeView[] | undefined; mineTable: boolean }) {
  const fmt = useFormatDecimal();
  return (
    <>
      {props.trades?.map((t) => (
        <tr
          key={t.id}
          data-testid={props.mineTable ? `trade-row-${t.id}` : `market-trade-row-${t.id}`}
          data-price={t.price}
          data-mine={t.mine ? 'true' : 'false'}
        >
          <td>
            <When ms={t.time} />
          </td>
          {props.mineTable ? (
            <td>
              {t.base}/{t.quote}
            </td>
          ) : null}
          <td>
            <Side side={t.side} />
          </td>
          <td className="num">{fmt(t.price)}</td>
          <td className="num">{fmt(t.baseAmount)}</td>
          <td className="num">{fmt(t.quoteAmount)}</td>
          <td>
            <Verified v={t.verified} />
          </td>
          <td>
            {t.swapId ? (
              <a href={href('swaps', t.swapId)} className="mono small">
                {shortenMiddle(t.swapId, 6, 4)}
              </a>
            ) : t.mine ? null : (
              <span className="muted small">{'\u2014'}</span>
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

export function MyTrades() {
  const api = useApi();
  const q = useQuery(historyQueries(api).mine());
  return (
    <table className="table compact ttable" data-testid="my-trades">
      <thead>
        <tr>
          <th>Time</th>
          <th>Market</th>
          <th>Side</th>
          <th className="num">Price</th>
          <th className="num">Amount</th>
          <th className="num">Total</th>
          <th>Record</th>
          <th>Swap</th>
        </tr>
      </thead>
      <tbody>
        {q.isError ? (
          <tr>
            <td colSpan={8}>
              <ErrorNote error={q.error} />
            </td>
          </tr>
        ) : null}
        {q.data?.length === 0 ? (
          <EmptyRow cols={8} testId="my-trades-empty">
            No trades yet.
          </EmptyRow>
        ) : null}
        <TradeRows trades={q.data} mineTable />
      </tbody>
    </table>
  );
}

export function MarketTrades(props: { market: { base: string; quote: string } }) {
  const api = useApi();
  const q = useQuery(historyQueries(api).trades(props.market.base, props.market.quote));
  return (
    <table className="table compact ttable" data-testid="market-trades">
      <thead>
        <tr>
          <th>Time</th>
          <th>Side</th>
          <th className="num">Price</th>
          <th className="num">Amount</th>
          <th className="num">Total</th>
          <th>Record</th>
          <th>Swap</th>
        </tr>
      </thead>
      <tbody>
        {q.isError ? (
          <tr>
            <td colSpan={7}>
              <ErrorNote error={q.error} />
            </td>
          </tr>
        ) : null}
        {q.data?.length === 0 ? (
          <EmptyRow cols={7} testId="market-trades-empty">
            No trades in this market yet.
          </EmptyRow>
        ) : null}
        <TradeRows trades={q.data} mineTable={false} />
      </tbody>
    </table>
  );
}
