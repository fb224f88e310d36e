// The identity domain's public surface: what other domains may use. Everything else in this
// folder is its own business (lint refuses a deep import from another domain).
export {
  type Identities,
  type KeyScheme,
  type MyIdentity,
  type ResolvedIdentity,
  type SeenInfo,
  type SeenVia,
} from './component.ts';
export { TEST_NETWORKS } from './config.ts';
export { createFakeNet } from './fake-net.ts';
export { isPrivateAddress } from './links-check.ts';
export { createNativeVerifier } from './native-verify.ts';
export { createSecpVerifier } from './secp-verify.ts';
export { isHighS } from '../../src-shared/identity/compact.ts';
