// The maker vanishes at each step (vanish.ts runs the matrix).
import { vanishMatrix } from './vanish.ts';

vanishMatrix('maker', [
  {
    at: 'enter:funding',
    when: 'after the taker accepted, before locking',
    survivor: 'failedBeforeFunding',
    returned: 'failedBeforeFunding',
  },
  { at: 'enter:funded', when: 'right after locking its coins', survivor: 'refunded', returned: 'refunded' },
  { at: 'enter:claiming', when: 'when about to claim', survivor: 'refunded', returned: 'refunded' },
  { at: 'after-claim-send', when: 'right after broadcasting its claim', survivor: 'completed', returned: 'completed' },
]);
