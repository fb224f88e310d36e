// The p2p domain's public surface: what other domains may use. Everything else in this
// folder is its own business (lint refuses a deep import from another domain).
export { type P2pHost } from './host.ts';
export { peerFailure, peerRequestError } from './reqres.ts';
export { type GossipCheck, type GossipMessage, type GossipVerdict, type RequestHandler } from './host.ts';
export { DEFAULT_LIMITS, PeerPenalties, type FrameCaps, type Offence } from './limits.ts';
