// The p2p section of config.json: where this node listens, whom it dials first, and how it deals
// with NAT (docs/p2p.md "Reachability"). Fields left out take the role's default (resolveNat).
import { z } from 'zod';
import { ConfigMultiaddr } from '../kernel/config-types.ts';

const RelayServerConfig = z
  .object({
    serve: z.boolean().optional(),
    maxReservations: z.number().int().min(1).max(4096).optional(),
    reservationTtlMs: z.number().int().min(60_000).max(86_400_000).optional(),
    circuitDurationMs: z.number().int().min(1_000).max(86_400_000).optional(),
    circuitBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .optional(),
  })
  .strict();

export const P2pConfig = z
  .object({
    listen: z.array(ConfigMultiaddr).max(16).default(['/ip4/127.0.0.1/tcp/0']),
    bootstrap: z.array(ConfigMultiaddr).max(64).default([]),
    /** Addresses advertised as they are, besides the listen addresses (a server behind a port forward). */
    announce: z.array(ConfigMultiaddr).max(16).default([]),
    /** UPnP IGD / NAT-PMP port mapping; default on for traders, off for service nodes. */
    portMapping: z.boolean().optional(),
    /** Relays this node keeps a reservation on; default 2 for traders, 0 for service nodes. */
    relayReservations: z.number().int().min(0).max(8).optional(),
    relay: RelayServerConfig.default({}),
  })
  .strict()
  .default({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], announce: [], relay: {} });
export type P2pConfig = z.output<typeof P2pConfig>;

/** What a relay this node runs allows each client (docs/p2p.md "Relay limits and why"). */
export interface RelayLimits {
  maxReservations: number;
  reservationTtlMs: number;
  circuitDurationMs: number;
  circuitBytes: number;
}

export const RELAY_LIMIT_DEFAULTS: RelayLimits = {
  maxReservations: 64,
  reservationTtlMs: 3_600_000,
  circuitDurationMs: 600_000,
  circuitBytes: 1024 * 1024,
};

/** The NAT services a node runs, with the role's defaults filled in. */
export interface NatOptions {
  announce: string[];
  portMapping: boolean;
  relayReservations: number;
  /** Undefined: this node relays for nobody. */
  relayServer?: RelayLimits;
}

export function resolveNat(role: 'trader' | 'servicenode', c: P2pConfig): NatOptions {
  const service = role === 'servicenode';
  const { serve, ...limits } = c.relay;
  const defined = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const out: NatOptions = {
    announce: c.announce,
    portMapping: c.portMapping ?? !service,
    relayReservations: c.relayReservations ?? (service ? 0 : 2),
  };
  if (serve ?? service) out.relayServer = { ...RELAY_LIMIT_DEFAULTS, ...defined };
  return out;
}
