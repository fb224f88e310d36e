// p2p hosts (test/integration/p2p/test-node.ts) inside a NAT test network (netns.ts): two relays
// and two more public nodes, each in its own /8 so AutoNAT can believe a home's mapped address,
// and homes behind their routers that dial all four and keep reservations on both relays. Used by
// the NAT tests and the bench; `close` stops the hosts and removes the network whatever happened.
import type { Reachability } from '../../src-shared/p2p/reachability.ts';
import { RELAY_LIMIT_DEFAULTS, type RelayLimits } from '../../src-main/p2p/config.ts';
import { createNatNet, type NatKind, type NatNet, type PortMap } from './netns.ts';
import { P2pProcs, type P2pProc } from './p2p-proc.ts';

export const P2P_PORT = 4001;
export const RELAYS = ['r1', 'r2'] as const;
const PUBLIC = [...RELAYS, 'p3', 'p4'] as const;
/** Small request protocols run over relays; this one answers with what it got. */
export const ECHO = '/hashlock/test/echo/1';

export interface HomeSpec {
  name: string;
  nat: NatKind;
  portMap?: PortMap;
}

export interface NatHosts {
  net: NatNet;
  procs: P2pProcs;
  pub: Record<(typeof PUBLIC)[number], P2pProc>;
  homes: Record<string, P2pProc>;
  /** When each home's host had started (Date.now()). */
  startedAt: Record<string, number>;
  close(): Promise<void>;
}

export async function startNatHosts(homes: readonly HomeSpec[], relay: Partial<RelayLimits> = {}): Promise<NatHosts> {
  const net = await createNatNet({ publicHosts: PUBLIC, homes });
  const procs = new P2pProcs();
  const close = async (): Promise<void> => {
    await procs.cleanup().catch(() => undefined);
    await net.teardown();
  };
  try {
    const pub = {} as NatHosts['pub'];
    const startPublic = async (name: (typeof PUBLIC)[number]): Promise<void> => {
      const h = net.publicHosts[name]!;
      const serves = (RELAYS as readonly string[]).includes(name);
      pub[name] = await procs.start(name, {
        netns: h.ns,
        listen: [`/ip4/${h.ip}/tcp/${P2P_PORT}`],
        bootstrap: name === 'r1' ? [] : [`/ip4/${net.publicHosts.r1!.ip}/tcp/${P2P_PORT}/p2p/${pub.r1.peerId}`],
        limits: { inboundConnectionsPerHostPerSec: 100 },
        nat: {
          announce: [],
          portMapping: false,
          relayReservations: 0,
          ...(serves ? { relayServer: { ...RELAY_LIMIT_DEFAULTS, ...relay } } : {}),
        },
      });
      await pub[name].call('handle-echo', { protocol: ECHO, overRelay: true });
    };
    // r1 first: the others bootstrap from it. A process takes long to start on a loaded machine.
    await startPublic('r1');
    await Promise.all(PUBLIC.slice(1).map(startPublic));
    const bootstrap = PUBLIC.map((n) => `/ip4/${net.publicHosts[n]!.ip}/tcp/${P2P_PORT}/p2p/${pub[n].peerId}`);
    const started: Record<string, P2pProc> = {};
    const startedAt: Record<string, number> = {};
    await Promise.all(
      homes.map(async (spec) => {
        const h = net.homes[spec.name]!;
        const proc = await procs.start(spec.name, {
          netns: h.ns,
          listen: [`/ip4/${h.ip}/tcp/${P2P_PORT}`],
          bootstrap,
          // Only the four public nodes: homes meet each other when a test makes them, not by discovery.
          limits: { inboundConnectionsPerHostPerSec: 100, targetPeers: PUBLIC.length },
          nat: { announce: [], portMapping: spec.portMap?.kind === 'upnp', relayReservations: 2 },
        });
        // From a started host, not from spawning: loading modules is not what is measured.
        startedAt[spec.name] = Date.now();
        started[spec.name] = proc;
        await proc.call('handle-echo', { protocol: ECHO, overRelay: true });
      }),
    );
    return { net, procs, pub, homes: started, startedAt, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export function reachability(p: P2pProc): Promise<Reachability> {
  return p.call<Reachability>('reachability');
}

/** Polls `read` every 250 ms until `done` holds; fails naming `what` and the last value read. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > end)
      throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A home's addresses through each relay it holds a reservation on, ending in its own /p2p. */
export async function circuitAddrs(home: P2pProc): Promise<string[]> {
  const r = await reachability(home);
  const own = `/p2p/${home.peerId}`;
  return r.relays.map((x) => (x.addr.endsWith(own) ? x.addr : `${x.addr}${own}`));
}
