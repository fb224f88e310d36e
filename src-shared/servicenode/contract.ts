// Contract slice of the servicenode domain. Service nodes this node knows (src-main/servicenode).
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty, Ticker } from '../api/schemas.ts';
import { ServiceNodeView } from '../api/order-schemas.ts';

export const methods = {
  getNetworkTokens: method(Empty, z.array(Ticker), 'Coins that service nodes on the network support.'),
  getServiceNodes: method(
    Empty,
    z.array(ServiceNodeView),
    'Service nodes this node knows, with their collateral check.',
  ),
} as const;

export const events = {} as const;
