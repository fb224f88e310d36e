// The p2p section of config.json: where this node listens and whom it dials first.
import { z } from 'zod';
import { ConfigMultiaddr } from '../kernel/config-types.ts';

export const P2pConfig = z
  .object({
    listen: z.array(ConfigMultiaddr).max(16).default(['/ip4/127.0.0.1/tcp/0']),
    bootstrap: z.array(ConfigMultiaddr).max(64).default([]),
  })
  .strict()
  .default({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [] });
export type P2pConfig = z.output<typeof P2pConfig>;
