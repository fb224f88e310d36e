// Contract slice of the node domain. The node itself: version, network, role.
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty } from '../api/schemas.ts';

export const methods = {
  'node.info': method(
    Empty,
    z.object({
      version: z.string(),
      network: z.string(),
      role: z.enum(['trader', 'servicenode']),
      peerId: z.string(),
      uptimeSec: z.number(),
    }),
    'Node version, network and role.',
  ),
} as const;

export const events = {} as const;
