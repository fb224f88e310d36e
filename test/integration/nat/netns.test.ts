// The NAT test network itself (test/support/netns.ts): homes reach the public segment through
// their routers, nobody on it can open a connection into a home, an endpoint-independent NAT keeps
// one public port per local socket while a symmetric one changes it per destination, and nothing
// is left behind, even when the test process is killed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../src-main/kernel/time.ts';
import { nodeBinary } from '../../support/p2p-proc.ts';
import { createNatNet, type NatNet, type NetHost } from '../../support/netns.ts';

const PROBE = path.resolve(import.meta.dirname, '../../support/netns-probe.ts');
const REPO = path.resolve(import.meta.dirname, '../../..');
let net: NatNet;
const servers: ChildProcess[] = [];

async function probe(host: NetHost, ...args: string[]): Promise<string> {
  return (await net.exec(host.ns, nodeBinary(), [PROBE, ...args])).trim();
}

async function server(host: NetHost, mode: 'udp-echo' | 'tcp-echo', port: number): Promise<void> {
  const [cmd, args] = net.argv(host.ns, nodeBinary(), [PROBE, mode, String(port)]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} in ${host.ns} exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', () => resolve());
  });
}

beforeAll(async () => {
  net = await createNatNet({
    publicHosts: ['a', 'b', 'c'],
    homes: [
      { name: 'eim', nat: 'eim' },
      { name: 'sym', nat: 'symmetric' },
    ],
  });
  for (const h of Object.values(net.publicHosts)) {
    await server(h, 'udp-echo', 9000);
    await server(h, 'tcp-echo', 9001);
  }
  await server(net.homes.eim!, 'tcp-echo', 9001);
});

afterAll(async () => {
  for (const s of servers) s.kill('SIGKILL');
  await net?.teardown();
});

describe('the NAT test network', () => {
  it('a home reaches the public segment, seen there as its router’s public address', async () => {
    const { a } = net.publicHosts;
    const seen = await probe(net.homes.eim!, 'tcp-ask', a!.ip, '9001', '3000');
    expect(seen.split(':')[0]).toBe(net.homes.eim!.wanIp);
  });

  it('nobody on the public segment can open a connection into a home, by its own or its router’s address', async () => {
    const { a } = net.publicHosts;
    const home = net.homes.eim!;
    expect(await probe(a!, 'tcp-ask', home.ip, '9001', '1500')).toMatch(/^error:/);
    expect(await probe(a!, 'tcp-ask', home.wanIp, '9001', '1500')).toMatch(/^error:/);
  });

  it('an endpoint-independent NAT keeps one public port for one local socket, whatever it talks to', async () => {
    const { a, b, c } = net.publicHosts;
    const seen = JSON.parse(
      await probe(net.homes.eim!, 'udp-ask', '40000', `${a!.ip}:9000`, `${b!.ip}:9000`, `${c!.ip}:9000`),
    ) as string[];
    expect(seen).toEqual([
      `${net.homes.eim!.wanIp}:40000`,
      `${net.homes.eim!.wanIp}:40000`,
      `${net.homes.eim!.wanIp}:40000`,
    ]);
  });

  it('a symmetric NAT gives the same local socket a different public port for each destination', async () => {
    const { a, b, c } = net.publicHosts;
    const seen = JSON.parse(
      await probe(net.homes.sym!, 'udp-ask', '40000', `${a!.ip}:9000`, `${b!.ip}:9000`, `${c!.ip}:9000`),
    ) as string[];
    expect(seen.every((s) => s.startsWith(`${net.homes.sym!.wanIp}:`))).toBe(true);
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  it('a killed test process leaves no namespace and no process of its network behind', async () => {
    const child = spawn(nodeBinary(), [path.join(import.meta.dirname, 'crash-child.ts')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const prefix = await new Promise<string>((resolve) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const ours = () =>
      execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.startsWith(`${prefix}-`));
    expect(ours().length).toBe(4);
    const sleeper = execFileSync('ip', ['netns', 'pids', `${prefix}-home`], { encoding: 'utf8' }).trim();
    expect(sleeper).toMatch(/^\d+$/);
    child.kill('SIGKILL');
    await waitFor(() => (ours().length === 0 ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 200,
      what: 'the watchdog to remove the namespaces',
    });
    // Gone, or a zombie its new parent has not reaped yet: either way it no longer runs.
    const state = (() => {
      try {
        return readFileSync(`/proc/${sleeper}/stat`, 'utf8').split(') ')[1]?.[0];
      } catch {
        return 'gone';
      }
    })();
    expect(['gone', 'Z']).toContain(state);
  });
});
