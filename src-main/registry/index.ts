// The registry domain's public surface: the module (the composition root lists it). No other
// domain uses its parts.
export { registryModule } from './module.ts';
