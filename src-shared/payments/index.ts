// The payments domain's public surface: BIP321 requests with the did:is identity extension,
// the merchant card, request status, the pay-once machine and the API slice (docs/payments.md).
export * from './errors.ts';
export * from './schemes.ts';
export * from './address.ts';
export * from './amount.ts';
export * from './query.ts';
export * from './binding.ts';
export * from './uri.ts';
export * from './build.ts';
export * from './verify.ts';
export * from './lookalike.ts';
export * from './card.ts';
export * from './status.ts';
export * from './pay-machine.ts';
export * from './views.ts';
export { paymentsContract } from './contract.ts';
export * from './present.ts';
