// Peers behind NAT at the p2p level (docs/p2p.md "Reachability"): in a namespace network with two
// relays, two more public nodes and three homes (one whose router maps ports by UPnP, one behind an
// endpoint-independent NAT, one behind a symmetric NAT), each home holds reservations on both
// relays, two homes talk through a relay and stay relayed (no TCP hole punching from Node), the
// UPnP home is verified public and a relayed connection to it is upgraded by DCUtR, a relay cuts
// a circuit that carries more than its data limit, and a relay that goes away is replaced by the
// other one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerInfo } from '../../../src-shared/api/schemas.ts';
import { ECHO, circuitAddrs, reachability, startNatHosts, until, type NatHosts } from '../../support/nat-hosts.ts';
import type { P2pProc } from '../../support/p2p-proc.ts';

/** Small, so the bulk test is quick: a few 48 KiB echoes exceed it. */
const CIRCUIT_BYTES = 160 * 1024;
let w: NatHosts;

const peerOf = async (p: P2pProc, id: string): Promise<PeerInfo | undefined> =>
  (await p.call<PeerInfo[]>('peers')).find((x) => x.peerId === id);

beforeAll(async () => {
  w = await startNatHosts(
    [
      { name: 'upnp', nat: 'eim', portMap: { kind: 'upnp' } },
      { name: 'eim', nat: 'eim' },
      { name: 'sym', nat: 'symmetric' },
    ],
    { circuitBytes: CIRCUIT_BYTES },
  );
}, 180_000);

afterAll(async () => {
  await w?.close();
}, 60_000);

describe('peers behind NAT', () => {
  it('a home behind a symmetric NAT holds reservations on both relays and says it is reached through them', async () => {
    const sym = w.homes.sym!;
    const r = await until(
      () => reachability(sym),
      (x) => x.relays.length === 2,
      'two reservations',
      120_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${sym.stderrTail(80)}`);
    });
    expect(r.state).toBe('relayed');
    expect(r.relays.map((x) => x.peerId).sort()).toEqual([w.pub.r1.peerId, w.pub.r2.peerId].sort());
    expect(r.publicAddrs).toEqual([]);
    expect(r.summary).toMatch(/through a relay/);
  }, 150_000);

  it('two homes without port mapping talk through a relay and stay relayed: Node cannot punch a TCP hole', async () => {
    const { eim, sym } = w.homes;
    await until(
      () => circuitAddrs(sym!),
      (a) => a.length > 0,
      'sym relayed',
    );
    // A circuit dial was once closed during opening (a clean-clone run: "Remote closed connection
    // during opening"; the same test passed alone right after); a node dials again, so does this test.
    const dialed = await until(
      async () =>
        eim!
          .call<{ peerId: string }>('dial', { addrs: await circuitAddrs(sym!) })
          .catch((err: Error) => ({ peerId: '', error: err.message })),
      (r) => r.peerId !== '',
      'a relayed connection from eim to sym',
      30_000,
    );
    expect(dialed.peerId).toBe(sym!.peerId);
    const answer = await eim!.call<{ echo: unknown; from: string }>('request', {
      peerId: sym!.peerId,
      protocol: ECHO,
      body: { hello: 'through a relay' },
      overRelay: true,
    });
    expect(answer).toEqual({ echo: { hello: 'through a relay' }, from: eim!.peerId });
    // DCUtR gets its chance (it runs on the relayed connection at once) and finds no address to dial.
    await new Promise((r) => setTimeout(r, 8_000));
    const seen = await peerOf(eim!, sym!.peerId);
    expect(seen?.path).toBe('relayed');
    expect([w.pub.r1.peerId, w.pub.r2.peerId]).toContain(seen?.relay);
  }, 180_000);

  it('a protocol not registered for relays is not run over one', async () => {
    const { eim, sym } = w.homes;
    await sym!.call('handle-echo', { protocol: '/hashlock/test/bulk/1', overRelay: false });
    await eim!.call('dial', { addrs: await circuitAddrs(sym!) });
    expect((await peerOf(eim!, sym!.peerId))?.path).toBe('relayed');
    const err = await eim!.callExpectingError('request', {
      peerId: sym!.peerId,
      protocol: '/hashlock/test/bulk/1',
      body: 'x',
      timeoutMs: 5_000,
    });
    expect(err.code).toMatch(/PEER_UNREACHABLE|PEER_REFUSED/);
  });

  it('a home whose router maps a port by UPnP says it is reachable at its router’s address', async () => {
    const upnp = w.homes.upnp!;
    const r = await until(
      () => reachability(upnp),
      (x) => x.state === 'public',
      'the UPnP home public',
      120_000,
    );
    expect(r.publicAddrs.some((a) => a.startsWith(`/ip4/${w.net.homes.upnp!.wanIp}/tcp/`))).toBe(true);
    expect(r.portMapping).toBe(true);
  }, 150_000);

  it('a relayed connection to the UPnP home is upgraded by DCUtR, and other homes dial it directly', async () => {
    const { upnp } = w.homes;
    const mapped = (
      await until(
        () => reachability(upnp!),
        (x) => x.state === 'public',
        'the UPnP home public',
        120_000,
      )
    ).publicAddrs;
    // A home the UPnP one is not connected to yet (the DHT's own queries may have linked the others).
    const free: string[] = [];
    for (const name of ['sym', 'eim']) if ((await peerOf(w.homes[name]!, upnp!.peerId)) === undefined) free.push(name);
    expect(free.length, 'a home not yet connected to the UPnP home').toBeGreaterThan(0);
    const far = w.homes[free[0]!]!;
    const other = w.homes[free[0] === 'sym' ? 'eim' : 'sym']!;
    // The UPnP home dials that one through a relay; that one then dials it directly.
    await upnp!.call('dial', { addrs: await circuitAddrs(far) });
    const seen = await until(
      () => peerOf(far, upnp!.peerId),
      (p) => p?.path === 'upgraded',
      'the connection upgraded',
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${far.name}:\n${far.stderrTail(60)}\nupnp:\n${upnp!.stderrTail(30)}`);
    });
    expect(seen!.addrs.some((a) => a.includes('/p2p-circuit'))).toBe(false);
    expect(seen!.addrs.some((a) => a.startsWith(`/ip4/${w.net.homes.upnp!.wanIp}/tcp/`))).toBe(true);
    // A home that knows only the advertised address reaches it without a relay.
    await other.call('dial', { addrs: mapped });
    expect((await peerOf(other, upnp!.peerId))?.path).toMatch(/direct|upgraded/);
  }, 150_000);

  it('a relay cuts a circuit that carries more than its data limit; the reservation stays and a new circuit works', async () => {
    const { eim, sym } = w.homes;
    await eim!.call('dial', { addrs: await circuitAddrs(sym!) });
    let carried = 0;
    let failure: { code?: string } | undefined;
    for (let i = 0; i < 20 && failure === undefined; i++) {
      try {
        await eim!.call('request', { peerId: sym!.peerId, protocol: ECHO, padBytes: 48 * 1024, overRelay: true });
        carried += 48 * 1024;
      } catch (err) {
        failure = (err as { data?: { code?: string } }).data ?? { code: String(err) };
      }
    }
    expect(failure?.code).toMatch(/PEER_UNREACHABLE/);
    expect(carried).toBeLessThanOrEqual(CIRCUIT_BYTES);
    expect((await reachability(sym!)).relays.length).toBe(2);
    await until(
      () =>
        eim!
          .call('request', { peerId: sym!.peerId, protocol: ECHO, body: 'small', overRelay: true, timeoutMs: 5_000 })
          .then(() => true)
          .catch(() => false),
      (ok) => ok,
      'a small request on a new circuit',
      30_000,
    );
  }, 120_000);

  it('a relay that goes away is replaced by the other one: requests go through on the second relay', async () => {
    const { eim, sym } = w.homes;
    await eim!.call('dial', { addrs: await circuitAddrs(sym!) });
    const used = (await peerOf(eim!, sym!.peerId))?.relay;
    const [gone, other] = used === w.pub.r1.peerId ? (['r1', 'r2'] as const) : (['r2', 'r1'] as const);
    expect(used).toBe(w.pub[gone].peerId);
    // Its link cut without a goodbye: the connections through it look open until pings fail.
    await w.net.setLink(w.net.publicHosts[gone]!, false);
    const t0 = Date.now();
    await until(
      () =>
        eim!
          .call('request', { peerId: sym!.peerId, protocol: ECHO, body: 'again', overRelay: true, timeoutMs: 5_000 })
          .then(() => true)
          .catch(() => false),
      (ok) => ok,
      'a request through the other relay',
      90_000,
    );
    console.log(`nat: resumed on the other relay after ${Date.now() - t0} ms`);
    // Once pings find the cut circuit dead, what is left goes through the other relay.
    await until(
      () => peerOf(eim!, sym!.peerId),
      (p) => p?.relay === w.pub[other].peerId,
      'only the other relay left',
      60_000,
    );
  }, 120_000);
});
