// Shared field schemas for config.json sections (each domain owns its section: src-main/<domain>/config.ts).
import { z } from 'zod';

export const ConfigDecimal = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})(\.[0-9]{1,8})?$/, 'not a decimal amount like "0.001"');
export const ConfigTicker = z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,9}$/, 'not a ticker');
export const ConfigTxid = z.string().regex(/^[0-9a-f]{64}$/, 'not a transaction id (64 lowercase hex characters)');
export const ConfigMultiaddr = z
  .string()
  .regex(/^\/(ip4|ip6|dns4|dns6|dns)\/[^\s]+$/, 'not a multiaddr like /ip4/127.0.0.1/tcp/4001');
