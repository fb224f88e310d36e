// A private internet inside Linux network namespaces, for tests of peers behind NAT (docs/p2p.md
// "Reachability"): a public segment (one bridge) with public hosts on it, and homes, each a host
// behind its own NAT router namespace (nftables masquerade; endpoint-independent mapping, or
// symmetric with `fully-random`). Nothing links these namespaces to the machine's own network: the
// "public" addresses exist only inside them. Namespaces carry this process's pid in their names;
// teardown, an exit hook, a watchdog (for a SIGKILLed test process) and a sweep of dead owners'
// namespaces at the next start remove them whatever happens. Needs root, iproute2 and nftables
// (scripts/bootstrap.sh installs nftables; miniupnpd-nftables for a router that maps ports):
// without them creating a network throws, so the tests fail instead of skipping.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type NatKind = 'eim' | 'symmetric';
/**
 * How a home's router lets connections in: `upnp` runs miniupnpd (UPnP IGD and NAT-PMP) on its LAN
 * side, mapping what the home asks for; `forward` is a static port forward to the home (a user
 * who opened a port by hand), of the port given.
 */
export type PortMap = { kind: 'upnp' } | { kind: 'forward'; port: number };

export interface NetHost {
  /** The namespace to run the host's processes in (`ip netns exec <ns> …`). */
  ns: string;
  /** The host's own address. */
  ip: string;
}

export interface Home extends NetHost {
  nat: NatKind;
  portMap?: PortMap;
  /** The router's namespace and its public (WAN) address: what the public segment sees. */
  router: string;
  wanIp: string;
}

export interface NatNetSpec {
  /** Names of the hosts on the public segment (bootstrap, service node, …). */
  publicHosts: readonly string[];
  homes: readonly { name: string; nat: NatKind; portMap?: PortMap }[];
}

export interface NatNet {
  readonly prefix: string;
  readonly publicHosts: Readonly<Record<string, NetHost>>;
  readonly homes: Readonly<Record<string, Home>>;
  /** Runs a command in a namespace and returns its stdout. */
  exec(ns: string, cmd: string, args?: readonly string[], opts?: { timeoutMs?: number }): Promise<string>;
  /** The command line that runs `cmd` inside `ns` (for spawn). */
  argv(ns: string, cmd: string, args?: readonly string[]): [string, string[]];
  /** Takes a host's link to the network down or up again (a relay going away without a goodbye). */
  setLink(host: NetHost, up: boolean): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * Public addresses, each host in its own /8: libp2p counts documentation and private ranges as
 * private, and AutoNAT believes an address only after dial-backs from 4 different first octets.
 * All share one bridge and reach each other on-link.
 */
const PUBLIC_SEGMENTS = [7, 8, 9, 11, 12, 13, 14, 15];
const WAN_SEGMENT = 5;
const OWNED = /^hl(\d+)-/;

const ip = (args: string[]) => run('ip', args, { timeout: 10_000 });

/** Fails with a message that says what is missing, so a machine without netns fails the tests instead of skipping them. */
export function requireNetns(): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces need it)');
  for (const [bin, pkg] of [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
    ['miniupnpd', 'miniupnpd-nftables'],
  ] as const) {
    try {
      execFileSync('sh', ['-c', `PATH=$PATH:/usr/sbin command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      missing.push(`${bin} (Debian package ${pkg}; scripts/bootstrap.sh installs it)`);
    }
  }
  if (missing.length > 0) throw new Error(`The NAT tests cannot build their network: missing ${missing.join(', ')}.`);
}

function nsPids(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function listNamespaces(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Kills every process in the namespaces, then deletes them. Synchronous, so an exit hook can run it. */
export function removeNamespaces(names: readonly string[]): void {
  for (const ns of names) for (const pid of nsPids(ns)) killQuietly(pid);
  for (const ns of names) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited meanwhile
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Namespaces left by test processes that no longer run (a crashed run whose watchdog was killed too). */
export function sweepStale(): void {
  const stale = listNamespaces().filter((ns) => {
    const owner = OWNED.exec(ns)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !alive(Number(owner));
  });
  removeNamespaces(stale);
}

function startWatchdog(prefix: string): void {
  // Outlives a SIGKILLed test process: when it is gone, every process in our namespaces dies and the namespaces go.
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `for ns in $(ip netns list | cut -d' ' -f1 | grep '^${prefix}'); do ` +
    `for p in $(ip netns pids "$ns"); do kill -9 "$p" 2>/dev/null; done; ip netns del "$ns"; done`;
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  dog.on('error', () => undefined);
  dog.unref();
}

let counter = 0;
const mine = new Set<string>();
process.once('exit', () => {
  removeNamespaces([...mine]);
});

export async function createNatNet(spec: NatNetSpec): Promise<NatNet> {
  requireNetns();
  sweepStale();
  counter += 1;
  const prefix = `hl${process.pid}-${counter}`;
  const made: string[] = [];
  const addNs = async (name: string): Promise<string> => {
    const ns = `${prefix}-${name}`;
    await ip(['netns', 'add', ns]);
    made.push(ns);
    mine.add(ns);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  };
  const teardown = async (): Promise<void> => {
    removeNamespaces(made);
    for (const ns of made) mine.delete(ns);
  };
  if (counter === 1) startWatchdog(`hl${process.pid}-`);
  try {
    const sw = await addNs('sw');
    await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
    let port = 0;
    /** A veth from `ns` (named `dev`) to the public bridge, with a public address. */
    const attach = async (ns: string, dev: string, addr: string): Promise<void> => {
      port += 1;
      const swDev = `p${port}`;
      await ip(['link', 'add', 'name', dev, 'netns', ns, 'type', 'veth', 'peer', 'name', swDev, 'netns', sw]);
      await ip(['-n', sw, 'link', 'set', swDev, 'master', 'br0', 'up']);
      await ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev]);
      await ip(['-n', ns, 'link', 'set', dev, 'up']);
      await ip(['-n', ns, 'route', 'add', 'default', 'dev', dev]);
    };
    const publicHosts: Record<string, NetHost> = {};
    for (const [i, name] of spec.publicHosts.entries()) {
      const ns = await addNs(name);
      const segment = PUBLIC_SEGMENTS[i];
      if (segment === undefined) throw new Error(`at most ${PUBLIC_SEGMENTS.length} public hosts`);
      const addr = `${segment}.0.0.${10 + i}`;
      await attach(ns, 'eth0', addr);
      publicHosts[name] = { ns, ip: addr };
    }
    const homes: Record<string, Home> = {};
    for (const [i, home] of spec.homes.entries()) {
      const router = await addNs(`${home.name}-r`);
      const ns = await addNs(home.name);
      const wanIp = `${WAN_SEGMENT}.0.0.${100 + i}`;
      const lan = `10.${i + 1}.0`;
      await attach(router, 'wan0', wanIp);
      await ip(['link', 'add', 'name', 'lan0', 'netns', router, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await ip(['-n', router, 'addr', 'add', `${lan}.1/24`, 'dev', 'lan0']);
      await ip(['-n', router, 'link', 'set', 'lan0', 'up']);
      await ip(['-n', ns, 'addr', 'add', `${lan}.2/24`, 'dev', 'eth0']);
      await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      await ip(['-n', ns, 'route', 'add', 'default', 'via', `${lan}.1`]);
      await run('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      await nftLoad(router, natRules(home.nat, home.portMap, `${lan}.2`));
      if (home.portMap?.kind === 'upnp') await startUpnp(router, wanIp, `${lan}.0/24`);
      homes[home.name] = {
        ns,
        ip: `${lan}.2`,
        nat: home.nat,
        router,
        wanIp,
        ...(home.portMap === undefined ? {} : { portMap: home.portMap }),
      };
    }
    const net: NatNet = {
      prefix,
      publicHosts,
      homes,
      async exec(ns, cmd, args = [], opts = {}) {
        const { stdout } = await run('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: opts.timeoutMs ?? 30_000 });
        return stdout;
      },
      argv: (ns, cmd, args = []) => ['ip', ['netns', 'exec', ns, cmd, ...args]],
      async setLink(host, up) {
        await ip(['-n', host.ns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
      },
      teardown,
    };
    return net;
  } catch (err) {
    await teardown();
    throw err;
  }
}

/**
 * Masquerade on the WAN side; only replies come back in (address-and-port-dependent filtering,
 * as home routers do). Linux keeps the source port when it is free, so one local socket keeps one
 * public port whatever it talks to (endpoint-independent mapping); `fully-random` gives every new
 * destination its own port (symmetric NAT). A port map lets in what it maps: miniupnpd's chains
 * (the names it uses by default, in `inet filter`), or one static forward.
 */
export function natRules(kind: NatKind, portMap?: PortMap, homeIp?: string): string {
  const upnp = portMap?.kind === 'upnp';
  const forward = portMap?.kind === 'forward' ? portMap.port : undefined;
  return `table ip nat {
  chain post { type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" masquerade${kind === 'symmetric' ? ' fully-random' : ''}
  }
  chain pre { type nat hook prerouting priority dstnat; policy accept;
    ${forward === undefined ? '' : `iifname "wan0" tcp dport ${forward} dnat to ${homeIp}:${forward}`}
  }
}
table inet filter {
  chain forward_home { type filter hook forward priority filter; policy drop;
    iifname "lan0" oifname "wan0" accept
    iifname "wan0" oifname "lan0" ct state established,related accept
    ${forward === undefined ? '' : `iifname "wan0" oifname "lan0" tcp dport ${forward} accept`}
    ${upnp ? 'jump miniupnpd' : ''}
  }
  ${
    upnp
      ? `chain miniupnpd {
  }
  chain prerouting { type nat hook prerouting priority dstnat; policy accept;
    jump prerouting_miniupnpd
  }
  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
    jump postrouting_miniupnpd
  }
  chain prerouting_miniupnpd {
  }
  chain postrouting_miniupnpd {
  }`
      : ''
  }
}
`;
}

/** miniupnpd on the router's LAN side, in the foreground; it dies with the namespace. */
async function startUpnp(router: string, wanIp: string, lan: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hashlock-upnp-'));
  const conf = path.join(dir, 'miniupnpd.conf');
  writeFileSync(
    conf,
    [
      'ext_ifname=wan0',
      `ext_ip=${wanIp}`,
      'listening_ip=lan0',
      'port=0',
      'enable_upnp=yes',
      'enable_natpmp=yes',
      'secure_mode=yes',
      'system_uptime=yes',
      'uuid=3c6b5a1e-0000-4000-8000-000000000001',
      `lease_file=${path.join(dir, 'leases')}`,
      'upnp_table_name=filter',
      'upnp_nat_table_name=filter',
      `allow 1024-65535 ${lan} 1024-65535`,
      'deny 0-65535 0.0.0.0/0 0-65535',
      '',
    ].join('\n'),
  );
  const child = spawn('ip', ['netns', 'exec', router, 'miniupnpd', '-d', '-f', conf, '-P', path.join(dir, 'pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // Up once it listens for SSDP; an early exit is a configuration it refused.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 1_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`miniupnpd in ${router} exited (${code}): ${err.trim().slice(-500)}`));
    });
    child.once('error', reject);
  });
  child.removeAllListeners('exit');
  child.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
}

function nftLoad(ns: string, rules: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`nft rules for ${ns} failed: ${err.trim()}`));
    });
    child.stdin.end(rules);
  });
}
