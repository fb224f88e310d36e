// The maker dies at every step of a swap and comes back (crash.ts runs the matrix).
import { crashMatrix } from './crash.ts';

crashMatrix('maker', [
  { at: 'enter:proposed', when: 'after storing its proposal, before sending it' },
  { at: 'enter:funding', when: 'after the taker accepted, before paying its HTLC' },
  { at: 'after-fund-send', when: 'after its wallet paid the HTLC, before recording it' },
  { at: 'enter:funded', when: 'after recording its funding, before telling the taker' },
  { at: 'enter:claiming', when: 'after deciding to claim, before broadcasting the claim' },
  { at: 'after-claim-send', when: 'after broadcasting its claim, before recording it' },
  { at: 'after-event:ClaimBroadcast', when: 'after recording its claim, before telling the taker' },
]);
