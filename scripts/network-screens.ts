// Screenshots of the Network page in each reachability situation (docs/p2p.md "Reachability shown
// to users"): the built renderer in Chromium against the fake node of bench/ui-render.bench.ts,
// answering p2p.reachability with what src-shared/p2p/reachability.ts derives for that situation
// and p2p.peers with matching peer paths. Writes test-results/network/<state>.png.
//   node scripts/network-screens.ts        (after `npx vite build`)
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { PeerInfo } from '../src-shared/api/schemas.ts';
import { deriveReachability, type OwnAddr, type PeerPath } from '../src-shared/p2p/reachability.ts';
import { FakeMarket, marketHandlers, startFakeNode } from '../bench/ui-render.bench.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'test-results', 'network');
const ME = '12D3KooWMineMineMineMineMineMineMineMineMine';
const SN = '12D3KooWServiceNodeRelayA1b2C3d4E5f6G7h8J9k';
const R2 = '12D3KooWSecondRelayQ1w2E3r4T5y6U7i8O9p1A2s3';
const PEER = '12D3KooWOtherHomeZ9x8C7v6B5n4M3a2S1d2F3g4H5';
const LOCAL: OwnAddr = { addr: `/ip4/192.168.1.20/tcp/4001/p2p/${ME}`, kind: 'private' };
const circuit = (relay: string, ip: string): OwnAddr => ({
  addr: `/ip4/${ip}/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${ME}`,
  kind: 'relayed',
});

interface Situation {
  addrs: OwnAddr[];
  peers: PeerInfo[];
  sinceStartMs: number;
  portMapping: boolean;
}

const snPeer: PeerInfo = { peerId: SN, addrs: [`/ip4/7.0.0.10/tcp/4001/p2p/${SN}`], path: 'direct', latencyMs: 31 };
const r2Peer: PeerInfo = { peerId: R2, addrs: [`/ip4/8.0.0.11/tcp/4001/p2p/${R2}`], path: 'direct', latencyMs: 44 };
const viaRelay: PeerInfo = {
  peerId: PEER,
  addrs: [`/ip4/7.0.0.10/tcp/4001/p2p/${SN}/p2p-circuit/p2p/${PEER}`],
  path: 'relayed',
  relay: SN,
  latencyMs: 118,
};

const SITUATIONS: Record<string, Situation> = {
  offline: { addrs: [LOCAL], peers: [], sinceStartMs: 5_000, portMapping: true },
  checking: { addrs: [LOCAL], peers: [snPeer], sinceStartMs: 5_000, portMapping: true },
  relayed: {
    addrs: [LOCAL, circuit(SN, '7.0.0.10'), circuit(R2, '8.0.0.11')],
    peers: [snPeer, r2Peer, viaRelay],
    sinceStartMs: 60_000,
    portMapping: true,
  },
  public: {
    addrs: [LOCAL, { addr: `/ip4/5.0.0.101/tcp/4001/p2p/${ME}`, kind: 'public' }, circuit(SN, '7.0.0.10')],
    peers: [
      snPeer,
      r2Peer,
      { ...viaRelay, path: 'upgraded', relay: undefined, addrs: [`/ip4/5.0.0.100/tcp/4001/p2p/${PEER}`] },
    ],
    sinceStartMs: 60_000,
    portMapping: true,
  },
  unreachable: { addrs: [LOCAL], peers: [snPeer], sinceStartMs: 60_000, portMapping: false },
};

export async function shoot(): Promise<string[]> {
  if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')))
    throw new Error('build the renderer first: npx vite build');
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const written: string[] = [];
  try {
    for (const [name, s] of Object.entries(SITUATIONS)) {
      const reach = deriveReachability({
        addrs: s.addrs,
        peerPaths: s.peers.map((p) => p.path as PeerPath),
        sinceStartMs: s.sinceStartMs,
        checkingMs: 20_000,
        portMapping: s.portMapping,
        servesRelay: false,
      });
      if (reach.state !== name) throw new Error(`${name}: the situation derives ${reach.state}`);
      const node = await startFakeNode({
        ...marketHandlers(new FakeMarket({ orders: 20, candles: 100 })),
        'p2p.peers': () => s.peers.map((p) => JSON.parse(JSON.stringify(p)) as PeerInfo),
        'p2p.info': () => ({ peerId: ME, listenAddrs: s.addrs.map((a) => a.addr) }),
        'p2p.reachability': () => reach,
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
        await page.goto(node.url);
        await page.waitForSelector('[data-testid="page-wallets"]');
        await page.evaluate(() => {
          window.location.hash = '#/network';
        });
        await page.waitForSelector(`[data-testid="reachability"][data-state="${name}"]`);
        await page.waitForTimeout(300);
        const file = path.join(OUT, `${name}.png`);
        // The page scrolls inside the app's own frame: a tall viewport shows all of it.
        await page.screenshot({ path: file });
        written.push(file);
        await page.close();
      } finally {
        await node.close();
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await shoot()) console.log(f);
}
