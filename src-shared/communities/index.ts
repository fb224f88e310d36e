// The communities domain's public surface (docs/communities.md): what src-main and src-renderer
// may import. MLS groups over ts-mls with identity-bound credentials, owner-signed descriptors,
// commit authorisation, sequencing, invitations, envelopes, the timeline and storage-node checks.
export * from './ids.ts';
export * from './binding.ts';
export * from './descriptor.ts';
export * from './roster.ts';
export * from './roles.ts';
export * from './authorize.ts';
export * from './sequencing.ts';
export * from './invite.ts';
export * from './envelope.ts';
export * from './timeline.ts';
export * from './rate.ts';
export * from './storage.ts';
export * from './mls.ts';
export * from './sync.ts';
export { communitiesContract, methods as communityMethods, events as communityEvents } from './contract.ts';
export * from './views.ts';
