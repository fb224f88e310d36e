// The maker of an order being taken, as far as it chose to say (docs/identity.md §9): the
// verified identity its node shows on its orders, linked to the profile, or nothing.
import { href } from '../app/routes.ts';
import { shortenMiddle } from '../format/text.ts';
import type { BookOrder } from './OrderBook.tsx';

export function MakerLine(props: { order: BookOrder }) {
  const id = props.order.makerIdentity;
  if (!id) {
    return (
      <p className="small muted" data-testid="take-maker">
        The maker shows no identity.
      </p>
    );
  }
  return (
    <p className="small" data-testid="take-maker">
      Maker:{' '}
      <a href={href('identity', 'did', id.did)} data-testid="take-maker-identity">
        {id.name ?? shortenMiddle(id.did, 14, 6)}
      </a>{' '}
      <span className="badge badge-ok">verified identity</span>
    </p>
  );
}
