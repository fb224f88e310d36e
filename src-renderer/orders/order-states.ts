// An order's state in the words of the Trade screen's tables. The states are the shared
// ORDER_STATES; a stop order is `new` while its node holds it for the trigger.
import type { OrderView } from '../../src-shared/api/order-schemas.ts';

const STATE_WORDS: Record<OrderView['state'], string> = {
  new: 'Waiting for a service node',
  open: 'Open',
  accepting: 'Taker found',
  hold: 'Matched',
  initialized: 'Swap starting',
  created: 'Swap running',
  committed: 'Settling',
  finished: 'Filled',
  canceled: 'Canceled',
  expired: 'Expired',
  offline: 'Offline',
  invalid: 'Invalid',
  rolledback: 'Rolled back',
  rollbackFailed: 'Rollback failed: coins lost',
};

export function stateWords(o: Pick<OrderView, 'kind' | 'state'>): string {
  return o.kind === 'stop' && o.state === 'new' ? 'Waiting for its trigger' : STATE_WORDS[o.state];
}
