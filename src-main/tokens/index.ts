// The tokens domain's public surface: who holds a bearer token, for the API server.
export { fileTokenAuthority, tokenHint, type Principal, type TokenAuthority } from './service.ts';
