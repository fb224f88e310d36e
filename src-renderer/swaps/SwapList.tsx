// The swaps table, newest first. Kept current by swap.updated events (events.ts); the
// next-deadline cell reads each unfinished swap's detail, which those events refresh too.
import { useQuery } from '@tanstack/react-query';
import type { SwapSummary } from '../../src-shared/api/schemas.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { Amount } from '../components/Amount.tsx';
import { nextDeadline } from './deadlines.ts';
import { DateStacked, PeerId, StateBadge, SwapErrorNote, type CoinFacts } from './parts.tsx';
import { swapQueries } from './queries.ts';
import { shortStatus } from './swap-words.ts';

function DeadlineCell(props: { swap: SwapSummary; coins: CoinFacts }) {
  const api = useApi();
  const { swap } = props;
  const detail = useQuery({ ...swapQueries(api).detail(swap.swapId), enabled: !swap.terminal });
  const testId = `swap-deadline-${swap.swapId}`;
  if (swap.terminal)
    return (
      <td className="muted" data-testid={testId}>
        {'\u2014'}
      </td>
    );
  if (!detail.data)
    return (
      <td className="muted" data-testid={testId}>
        {detail.isError ? 'Not available' : '\u2026'}
      </td>
    );
  const next = nextDeadline(detail.data, props.coins.blockTimeOf);
  if (!next)
    return (
      <td className="muted" data-testid={testId}>
        Nothing locked yet
      </td>
    );
  return (
    <td
      className="deadline-cell"
      data-testid={testId}
      data-kind={next.kind}
      data-blocks-left={next.countdown.blocksLeft ?? undefined}
      data-locktime={next.countdown.locktime}
    >
      <span className={next.kind === 'claim' || next.countdown.open ? 'strong' : undefined}>
        {/* Break between "in ~N blocks" and "(~M min)", never inside them. */}
        {next.label}{' '}
        {next.countdown.open
          ? next.when
          : next.when.split(/ (?=\()/).map((part, i) => (
              <span key={i} className="nowrap">
                {i > 0 ? ' ' : ''}
                {part}
              </span>
            ))}
      </span>
      <span className="sub muted nowrap">
        {next.countdown.ticker} block {next.countdown.locktime}
      </span>
    </td>
  );
}

function SwapRow(props: { swap: SwapSummary; coins: CoinFacts }) {
  const s = props.swap;
  const id = s.swapId;
  const detailHref = href('swaps', id);
  return (
    <tr data-testid={`swap-row-${id}`} data-state={s.state} data-role={s.role}>
      <th scope="row" className="pair-cell">
        <a href={detailHref} className="pair-link" data-testid={`swap-link-${id}`}>
          {s.sell.ticker} <span aria-label="for">{'\u2192'}</span> {s.buy.ticker}
        </a>
        <span
          className="sub muted"
          data-testid={`swap-role-${id}`}
          title={
            s.role === 'maker'
              ? 'Maker: you lock first and claim first'
              : 'Taker: the peer locks first; you lock second'
          }
        >
          {s.role === 'maker' ? 'Maker' : 'Taker'}
        </span>
      </th>
      <td className="num">
        <Amount
          value={s.sell.amount}
          decimals={props.coins.decimalsOf(s.sell.ticker)}
          unit={s.sell.ticker}
          testId={`swap-sent-${id}`}
        />
      </td>
      <td className="num">
        <Amount
          value={s.buy.amount}
          decimals={props.coins.decimalsOf(s.buy.ticker)}
          unit={s.buy.ticker}
          testId={`swap-received-${id}`}
        />
      </td>
      <td className="state-cell">
        <StateBadge state={s.state} testId={`swap-state-${id}`} />
        <span className="sub muted">{shortStatus(s)}</span>
      </td>
      <td>
        <PeerId peerId={s.counterparty} testId={`swap-peer-${id}`} compact />
      </td>
      <td>
        <DateStacked ms={s.createdAt} />
      </td>
      <DeadlineCell swap={s} coins={props.coins} />
    </tr>
  );
}

export function SwapList(props: { coins: CoinFacts }) {
  const api = useApi();
  const swaps = useQuery(swapQueries(api).list());
  if (swaps.isError)
    return <SwapErrorNote error={swaps.error} title="The swaps could not be loaded." testId="swaps-error" />;
  if (swaps.data?.length === 0) {
    return (
      <div className="panel swaps-empty" data-testid="swaps-empty">
        <h2>No swaps yet</h2>
        <p className="prose">
          A swap trades coins on one chain for coins on another, directly with another person&rsquo;s node. Both sides
          lock their coins in a contract on their own chain; either both payments go through, or both sides get their
          coins back automatically. Nobody else ever holds your funds.
        </p>
        <p className="muted">
          Swaps will start by themselves when an order on the <a href={href('trade')}>Trade</a> page is matched on the
          order network. Until then, if you and another person have agreed on a trade, you can start a swap directly
          with their node below.
        </p>
      </div>
    );
  }
  return (
    <div className="panel flush">
      <table className="table swaps-table" data-testid="swaps-table">
        <caption className="sr-only">Your swaps, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              Pair <span className="sr-only">and role</span>
            </th>
            <th scope="col" className="num">
              You send
            </th>
            <th scope="col" className="num">
              You receive
            </th>
            <th scope="col">State</th>
            <th scope="col">Peer</th>
            <th scope="col">Started</th>
            <th scope="col">Next deadline</th>
          </tr>
        </thead>
        <tbody>
          {swaps.data?.map((s) => (
            <SwapRow key={s.swapId} swap={s} coins={props.coins} />
          ))}
          {swaps.isPending ? (
            <tr>
              <td colSpan={7} className="muted empty">
                Loading swaps&hellip;
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
