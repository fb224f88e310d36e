// The order network's pure core: order model and rules, state machine, book, validators.
// Wire schemas live in src-shared/protocol/orders.ts; the spec is docs/protocol.md.
export * from './types.ts';
export * from './order.ts';
export * from './state.ts';
export * from './book.ts';
export * from './replay.ts';
export * from './validate.ts';
export * from './servicenode.ts';
export * from './address.ts';
export * from './signed-message.ts';
