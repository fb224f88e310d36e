// did:is identities, pure: formats, verification, the registry's rules, resolution, replication,
// private metadata, links, domain linkage and order-key attestations. docs/identity.md is the spec.
export * from './compact.ts';
export * from './errors.ts';
export * from './jws.ts';
export * from './verify.ts';
export * from './profile.ts';
export * from './links.ts';
export * from './metadata.ts';
export * from './backup.ts';
export * from './records.ts';
export * from './registry.ts';
export * from './resolve.ts';
export * from './v2.ts';
export * from './reconcile-set.ts';
export * from './reconcile.ts';
export * from './replication.ts';
export * from './domain.ts';
export * from './attestation.ts';
export {
  methods as identityMethods,
  events as identityEvents,
  IdentityView,
  LinkCheck,
  LinkView,
  ProfileView,
  TradingRecordView,
} from './contract.ts';
