// Whole nodes for the NAT trade test and bench: a service node (a relay by role), a second relay
// (a bare p2p host) and two traders, either in a namespace network (the service node and relay on
// the public segment, the maker behind a symmetric NAT, the taker behind an endpoint-independent
// one, neither mapping a port) or all on loopback, on one DevNet's chains. In the namespaces the
// nodes reach the daemons, and the caller their APIs, over Unix sockets only (ns-bridge.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RELAY_LIMIT_DEFAULTS } from '../../src-main/p2p/config.ts';
import type { DevNet, DevNode } from './dev-node.ts';
import { createNatNet, type NatNet, type NetHost } from './netns.ts';
import { serveOutside, startInside } from './ns-bridge.ts';
import { COIN, createServiceNode, prepareTrader } from './order-node.ts';
import { nodeBinary, P2pProcs, type P2pProc } from './p2p-proc.ts';

const P2P_PORT = 4001;

export interface TradeNodes {
  /** Undefined on loopback. */
  net: NatNet | undefined;
  sn: DevNode;
  relay2: P2pProc;
  maker: DevNode;
  taker: DevNode;
  close(): Promise<void>;
}

export async function startTradeNodes(dev: DevNet, where: 'homes' | 'loopback', tag = ''): Promise<TradeNodes> {
  const procs = new P2pProcs();
  const closers: Array<() => void> = [];
  let net: NatNet | undefined;
  let bridgeDir: string | undefined;
  const close = async (): Promise<void> => {
    await procs.cleanup().catch(() => undefined);
    for (const c of closers) c();
    await net?.teardown();
    if (bridgeDir !== undefined) await rm(bridgeDir, { recursive: true, force: true });
  };
  try {
    if (where === 'homes') {
      net = await createNatNet({
        publicHosts: ['sn', 'relay2'],
        homes: [
          { name: 'maker', nat: 'symmetric' },
          { name: 'taker', nat: 'eim' },
        ],
      });
      bridgeDir = await mkdtemp(path.join(tmpdir(), 'hashlock-bridge-'));
      closers.push(await serveOutside(bridgeDir, [dev.dev.DEVA.rpcPort, dev.dev.DEVB.rpcPort], []));
    }
    /** The node runs in the host's namespace: the daemons' RPC bridged in, its API bridged out. */
    const placeIn = async (node: DevNode, host: NetHost | undefined): Promise<void> => {
      if (host === undefined || bridgeDir === undefined) return;
      node.place = { netns: host.ns, ip: host.ip };
      await startInside(host.ns, nodeBinary(), bridgeDir, [dev.dev.DEVA.rpcPort, dev.dev.DEVB.rpcPort], [node.apiPort]);
      closers.push(await serveOutside(bridgeDir, [], [node.apiPort]));
    };
    const pub = net?.publicHosts;
    const relayIp = pub?.relay2?.ip ?? '127.0.0.1';
    const relay2 = await procs.start(`relay2${tag}`, {
      ...(pub === undefined ? {} : { netns: pub.relay2!.ns }),
      listen: [`/ip4/${relayIp}/tcp/${pub === undefined ? 0 : P2P_PORT}`],
      nat: { announce: [], portMapping: false, relayReservations: 0, relayServer: RELAY_LIMIT_DEFAULTS },
    });
    const listened = relay2.addrs.find((a) => a.startsWith(`/ip4/${relayIp}/`))!;
    const relay2Addr = listened.includes('/p2p/') ? listened : `${listened}/p2p/${relay2.peerId}`;
    const [sn, maker, taker] = await Promise.all([
      createServiceNode(dev, `sn${tag}`, { beforeLaunch: (n) => placeIn(n, pub?.sn) }),
      prepareTrader(dev, `maker${tag}`, { funds: { DEVA: 5n * COIN, DEVB: 1n * COIN }, splitInto: 4 }),
      prepareTrader(dev, `taker${tag}`, { funds: { DEVB: 5n * COIN, DEVA: 1n * COIN }, splitInto: 4 }),
    ]);
    await sn.call('p2p.dial', { addr: relay2Addr });
    for (const [node, home] of [
      [maker, net?.homes.maker],
      [taker, net?.homes.taker],
    ] as const) {
      await placeIn(node, home);
      await node.launch([sn]);
      await node.call('p2p.dial', { addr: relay2Addr });
    }
    return { net, sn, relay2, maker, taker, close };
  } catch (err) {
    await close();
    throw err;
  }
}
