// The content registry, pure: statements and their checks, field rules, trust queries and bucket
// rules. docs/registry.md is the spec.
export * from './errors.ts';
export * from './fields.ts';
export * from './statements.ts';
export * from './trust.ts';
export * from './rules.ts';
export { methods as registryMethods, events as registryEvents } from './contract.ts';
