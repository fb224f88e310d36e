// The libp2p parts that make a node reachable behind NAT (docs/p2p.md "Reachability"): the
// circuit relay transport (reservations on
// `relayReservations` relays, whose relayed addresses it advertises), a relay server with limits on
// nodes that serve, DCUtR (a relayed connection upgraded to a direct one) and UPnP/NAT-PMP mapping.
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { dcutr } from '@libp2p/dcutr';
import { uPnPNAT } from '@libp2p/upnp-nat';
import { isPrivate } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import type { NatOptions } from './config.ts';

/** A relayed connection may open this many streams at once each way (small request protocols). */
const RELAY_STOP_STREAMS = 32;
/** How long a reservation or a relayed dial may take before the relay counts as not answering. */
const RESERVATION_TIMEOUT_MS = 10_000;

/** The listen address that asks the relay transport for one reservation on a relay it finds. */
export const CIRCUIT_SEARCH = '/p2p-circuit';

export interface NatParts {
  /** Appended to the TCP listen addresses: one `/p2p-circuit` per reservation wanted. */
  listen: string[];
  appendAnnounce: string[];
  transports: ReturnType<typeof circuitRelayTransport>[];
  services: Record<string, (components: never) => unknown>;
}

/**
 * A node that relays for others says where it listens when that is a public address it is bound
 * to: libp2p hides public listen addresses until AutoNAT confirms them, and we run no AutoNAT.
 * A wildcard (0.0.0.0) listener needs `announce` instead.
 */
function boundPublic(listen: readonly string[]): string[] {
  return listen.filter((a) => {
    const ma = multiaddr(a);
    const host = ma.getComponents()[0]?.value;
    return host !== undefined && host !== '0.0.0.0' && host !== '::' && !isPrivate(ma);
  });
}

export function natParts(o: NatOptions, listen: readonly string[]): NatParts {
  // No AutoNAT: @libp2p/autonat 3.0.28 answers a dial-back request by dialling without `force`,
  // which hands back the very connection the request came on, and then closes it; every check
  // cut a live connection and none could succeed (docs/p2p.md "AutoNAT").
  const services: Record<string, (components: never) => unknown> = { dcutr: dcutr() };
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
    // Taken on the router's word (there is no working AutoNAT to ask): a wrong mapping costs a
    // failed direct dial, after which peers use the relayed addresses advertised beside it.
    services.upnp = uPnPNAT({ autoConfirmAddress: true, portMappingDescription: 'Hashlock' });
  }
  return {
    listen: Array.from({ length: o.relayReservations }, () => CIRCUIT_SEARCH),
    appendAnnounce: [...new Set([...o.announce, ...(relay === undefined ? [] : boundPublic(listen))])],
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
