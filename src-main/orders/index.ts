// The orders domain's public surface: what other domains may use. Everything else in this
// folder is its own business (lint refuses a deep import from another domain).
export {
  checkFeeTx,
  checkFeeTxBytes,
  checkOwnershipProof,
  feeInputsConfirmed,
  lookupOutput,
  parseOutpoint,
} from './chain.ts';
export { SeqCounter, createPeerScorer, gossipType, publishMessage, vaultSigner, type PeerScorer } from './net.ts';
export { gossipVerdict } from './book-ingest.ts';
export { type NetworkBook } from './network-book.ts';
