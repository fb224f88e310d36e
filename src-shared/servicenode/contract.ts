// Contract slice of the servicenode domain. Service nodes this node knows (src-main/servicenode).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty, Ticker } from '../api/schemas.ts';
import { ServiceNodeView } from '../api/order-schemas.ts';

export const methods = {
  'servicenode.tokens': method(Empty, z.array(Ticker), 'Coins that service nodes on the network support.'),
  'servicenode.list': method(
    Empty,
    z.array(ServiceNodeView),
    'Service nodes this node knows, with their collateral check.',
  ),
} as const;

export const events = {} as const;

/** The dx-style names (Blocknet XBridge's) this slice keeps as documented aliases of its methods. */
export const aliases = {
  getNetworkTokens: 'servicenode.tokens',
  getServiceNodes: 'servicenode.list',
} as const satisfies Record<string, keyof typeof methods>;
