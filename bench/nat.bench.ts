// Peers behind NAT, measured in a namespace network (test/support/nat-hosts.ts: two relays, two
// more public nodes, homes behind a UPnP router, an endpoint-independent NAT and a symmetric NAT),
// against the same p2p hosts on loopback: time from a home's start to a relayed address another
// home can use, from a relayed connection to a direct one (DCUtR, UPnP home), a request's round
// trip over a relay, direct and on loopback, and a gossip message's propagation between two homes
// (orders are gossip) against loopback. Needs root, iproute2, nftables and miniupnpd, like the NAT
// tests. Writes bench/results/nat.json.
//   npm run bench -- nat
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECHO, circuitAddrs, reachability, startNatHosts, until } from '../test/support/nat-hosts.ts';
import { P2pProcs, type P2pProc } from '../test/support/p2p-proc.ts';
import type { PeerInfo } from '../src-shared/api/schemas.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 20;
const TOPIC = '/hashlock/bench/nat/1';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function rtts(from: P2pProc, to: P2pProc, rounds = ROUNDS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await from.call('request', { peerId: to.peerId, protocol: ECHO, body: { i }, overRelay: true });
    out.push(performance.now() - t0);
  }
  return out;
}

/** Milliseconds from publish to arrival, per message; one clock (one machine). */
async function propagation(from: P2pProc, to: P2pProc, rounds = ROUNDS): Promise<number[]> {
  await to.call('subscribe', { topic: TOPIC });
  await from.call('subscribe', { topic: TOPIC });
  // Gossipsub meshes form on heartbeats (1 s).
  await new Promise((r) => setTimeout(r, 3000));
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const text = `bench ${i} ${Date.now()}`;
    const t0 = Date.now();
    await from.call('publish', { topic: TOPIC, text });
    await to.waitForMessage((m) => m.text === text, 20_000);
    out.push(Date.now() - t0);
  }
  return out;
}

const peerOf = async (p: P2pProc, id: string): Promise<PeerInfo | undefined> =>
  (await p.call<PeerInfo[]>('peers')).find((x) => x.peerId === id);

async function natSide() {
  const w = await startNatHosts([
    { name: 'upnp', nat: 'eim', portMap: { kind: 'upnp' } },
    { name: 'eim', nat: 'eim' },
    { name: 'sym', nat: 'symmetric' },
  ]);
  try {
    const { upnp, eim, sym } = w.homes as Record<'upnp' | 'eim' | 'sym', P2pProc>;
    // Public nodes carry the topic between homes, as service nodes carry the order topics.
    for (const p of Object.values(w.pub)) await p.call('subscribe', { topic: TOPIC });
    const relayedAt = await until(
      () => reachability(sym),
      (r) => r.relays.length > 0,
      'sym relayed',
      180_000,
    ).then(() => Date.now());
    await until(
      async () => {
        try {
          await eim.call('dial', { addrs: await circuitAddrs(sym) });
          await eim.call('request', { peerId: sym.peerId, protocol: ECHO, body: 'first', overRelay: true });
          return true;
        } catch {
          return false;
        }
      },
      (ok) => ok,
      'a request through the relayed address',
      120_000,
    );
    const usableAt = Date.now();
    const overRelay = await rtts(eim, sym);
    await until(
      () => reachability(upnp),
      (r) => r.state === 'public',
      'upnp public',
      180_000,
    );
    const upgradeStart = Date.now();
    await upnp.call('dial', { addrs: await circuitAddrs(sym) });
    await until(
      () => peerOf(sym, upnp.peerId),
      (p) => p?.path === 'upgraded',
      'upgraded',
      60_000,
    );
    const upgradeMs = Date.now() - upgradeStart;
    const direct = await rtts(sym, upnp);
    const gossip = await propagation(eim, sym);
    return {
      relayedAddrMs: relayedAt - w.startedAt.sym!,
      usableRelayedAddrMs: usableAt - w.startedAt.sym!,
      relayedToDirectMs: upgradeMs,
      requestRttMs: { relayed: median(overRelay), direct: median(direct) },
      gossipMs: { median: median(gossip), max: Math.max(...gossip) },
    };
  } finally {
    await w.close();
  }
}

async function loopbackSide() {
  const procs = new P2pProcs();
  try {
    const a = await procs.start('a', { limits: { inboundConnectionsPerHostPerSec: 100 } });
    const b = await procs.start('b', { limits: { inboundConnectionsPerHostPerSec: 100 } });
    await b.call('handle-echo', { protocol: ECHO, overRelay: true });
    await a.call('dial', { addr: `${b.addrs[0]}` });
    const rtt = await rtts(a, b);
    const gossip = await propagation(a, b);
    return { requestRttMs: median(rtt), gossipMs: { median: median(gossip), max: Math.max(...gossip) } };
  } finally {
    await procs.cleanup();
  }
}

export async function run(out = path.join(ROOT, 'bench/results/nat.json')) {
  const nat = await natSide();
  const loopback = await loopbackSide();
  const result = {
    bench: 'nat',
    at: new Date().toISOString(),
    rounds: ROUNDS,
    homes: nat,
    loopback,
    note: 'Swap wall time between homes is measured by test/integration/nat/trade.test.ts (printed as nat-trade:), not here.',
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  return {
    ...result,
    summary: {
      usableRelayedAddrMs: nat.usableRelayedAddrMs,
      relayedToDirectMs: nat.relayedToDirectMs,
      rttMs: { relayed: nat.requestRttMs.relayed, direct: nat.requestRttMs.direct, loopback: loopback.requestRttMs },
      gossipMedianMs: { homes: nat.gossipMs.median, loopback: loopback.gossipMs.median },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  console.log(JSON.stringify(r.summary));
}
