// The libp2p request/response protocol swap messages travel on (docs/swap.md §3 and "Engine").
export const SWAP_PROTOCOL = '/hashlock/swap/1.0.0';
