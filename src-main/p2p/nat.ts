// The libp2p parts that make a node reachable behind NAT (docs/p2p.md "Reachability"): AutoNAT
// (asks peers to dial back and answers their asks), the circuit relay transport (reservations on
// `relayReservations` relays, whose relayed addresses it advertises), a relay server with limits on
// nodes that serve, DCUtR (a relayed connection upgraded to a direct one) and UPnP/NAT-PMP mapping.
import { autoNAT } from '@libp2p/autonat';
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { dcutr } from '@libp2p/dcutr';
import { uPnPNAT } from '@libp2p/upnp-nat';
import type { NatOptions } from './config.ts';

/** A relayed connection may open this many streams at once each way (small request protocols). */
const RELAY_STOP_STREAMS = 32;
/** How long a reservation or a relayed dial may take before the relay counts as not answering. */
const RESERVATION_TIMEOUT_MS = 10_000;
/**
 * Short enough that a node finds out where it stands within a minute of start, long enough not to
 * ask peers that are still identifying.
 */
const AUTONAT_STARTUP_DELAY_MS = 2_000;
const AUTONAT_REFRESH_MS = 60_000;

/** The listen address that asks the relay transport for one reservation on a relay it finds. */
export const CIRCUIT_SEARCH = '/p2p-circuit';

export interface NatParts {
  /** Appended to the TCP listen addresses: one `/p2p-circuit` per reservation wanted. */
  listen: string[];
  appendAnnounce: string[];
  transports: ReturnType<typeof circuitRelayTransport>[];
  services: Record<string, (components: never) => unknown>;
}

export function natParts(o: NatOptions): NatParts {
  const services: Record<string, (components: never) => unknown> = {
    autoNAT: autoNAT({ startupDelay: AUTONAT_STARTUP_DELAY_MS, refreshInterval: AUTONAT_REFRESH_MS }),
    dcutr: dcutr(),
  };
  const relay = o.relayServer;
  if (relay !== undefined) {
    services.relay = circuitRelayServer({
      reservations: {
        maxReservations: relay.maxReservations,
        reservationTtl: relay.reservationTtlMs,
        applyDefaultLimit: true,
        defaultDurationLimit: relay.circuitDurationMs,
        defaultDataLimit: BigInt(relay.circuitBytes),
      },
    });
  }
  if (o.portMapping) {
    // The mapped address is not taken on the router's word: AutoNAT verifies it like any other.
    services.upnp = uPnPNAT({ autoConfirmAddress: false, portMappingDescription: 'Hashlock' });
  }
  return {
    listen: Array.from({ length: o.relayReservations }, () => CIRCUIT_SEARCH),
    appendAnnounce: o.announce,
    transports: [
      circuitRelayTransport({
        maxInboundStopStreams: RELAY_STOP_STREAMS,
        maxOutboundStopStreams: RELAY_STOP_STREAMS,
        reservationCompletionTimeout: RESERVATION_TIMEOUT_MS,
      }),
    ],
    services,
  };
}
