// The taker dies at every step of a swap and comes back (crash.ts runs the matrix).
import { crashMatrix } from './crash.ts';

crashMatrix('taker', [
  { at: 'enter:accepted', when: 'after storing the accepted terms, before answering' },
  { at: 'enter:funding', when: "after the maker's HTLC confirmed, before paying its own" },
  { at: 'after-fund-send', when: 'after its wallet paid the HTLC, before recording it' },
  { at: 'enter:funded', when: 'after recording its funding, before telling the maker' },
  { at: 'enter:claiming', when: 'after reading the secret from the chain, before claiming' },
  { at: 'after-claim-send', when: 'after broadcasting its claim, before recording it' },
]);
