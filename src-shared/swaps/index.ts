// The swap module's public surface: pure state machines, timelock policy, HTLC checks, wire messages.
export * from './types.ts';
export * from './script.ts';
export * from './timelock.ts';
export * from './verify.ts';
export * from './machine.ts';
export * from './messages.ts';
export * from './rules.ts';
