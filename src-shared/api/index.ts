export * from './contract.ts';
export * from './errors.ts';
export * from './schemas.ts';
export * from './client.ts';
export * from './wire.ts';
export * from './order-schemas.ts';
export * from './settings-schemas.ts';
