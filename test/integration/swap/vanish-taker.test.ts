// The taker vanishes at each step (vanish.ts runs the matrix). The first case waits out the
// maker's 30 s accept timeout (regtest policy).
import { vanishMatrix } from './vanish.ts';

vanishMatrix('taker', [
  {
    at: 'enter:accepted',
    when: 'before answering the proposal',
    survivor: 'failedBeforeFunding',
    returned: 'failedBeforeFunding',
  },
  {
    at: 'enter:funding',
    when: 'after the maker locked, before locking',
    survivor: 'refunded',
    returned: 'failedBeforeFunding',
  },
  { at: 'enter:funded', when: 'right after locking its coins', survivor: 'completed', returned: 'completed' },
  {
    at: 'enter:claiming',
    when: 'after reading the secret, before claiming',
    survivor: 'completed',
    returned: 'completed',
  },
]);
