// Lets a node inside a test namespace use what lives on the machine's loopback (the regtest
// daemons' RPC) and lets the test reach the node's API, with no network link between them that the
// node's p2p could use: Unix sockets in the file system cross network namespaces, TCP does not.
// Each side keeps the same port numbers, so the node's config and the API's Host check hold.
//   inside the namespace:  node ns-bridge.ts <dir> in:<port>... out:<port>...
//     in:<port>   listens on 127.0.0.1:<port> in the namespace, forwards to <dir>/<port>.sock
//     out:<port>  listens on <dir>/api-<port>.sock, forwards to 127.0.0.1:<port> in the namespace
// The machine's side is `serveOutside`, run by the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

function listen(server: Server, where: number | string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof where === 'number') server.listen(where, '127.0.0.1', resolve);
    else server.listen(where, resolve);
  });
}

const rpcSock = (dir: string, port: number) => path.join(dir, `${port}.sock`);
const apiSock = (dir: string, port: number) => path.join(dir, `api-${port}.sock`);

/** The machine's side: each daemon port served on its socket, each node API on its own port. */
export async function serveOutside(dir: string, rpcPorts: number[], apiPorts: number[]): Promise<() => void> {
  const servers: Server[] = [];
  for (const port of rpcPorts) {
    rmSync(rpcSock(dir, port), { force: true });
    const s = createServer((c) => pipe(c, createConnection(port, '127.0.0.1')));
    await listen(s, rpcSock(dir, port));
    servers.push(s);
  }
  for (const port of apiPorts) {
    const s = createServer((c) => pipe(c, createConnection(apiSock(dir, port))));
    await listen(s, port);
    servers.push(s);
  }
  return () => {
    for (const s of servers) s.close();
  };
}

/** Starts the namespace's side (`ip netns exec`); resolves once it listens. It dies with the namespace. */
export async function startInside(
  netns: string,
  nodeBin: string,
  dir: string,
  rpcPorts: number[],
  apiPorts: number[],
): Promise<ChildProcess> {
  const args = [...rpcPorts.map((p) => `in:${p}`), ...apiPorts.map((p) => `out:${p}`)];
  const child = spawn('ip', ['netns', 'exec', netns, nodeBin, import.meta.filename, dir, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bridge in ${netns} exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', () => resolve());
  });
  child.removeAllListeners('exit');
  return child;
}

async function inside(dir: string, specs: string[]): Promise<void> {
  for (const spec of specs) {
    const [kind, p] = spec.split(':');
    const port = Number(p);
    if (kind === 'in') {
      await listen(
        createServer((c) => pipe(c, createConnection(rpcSock(dir, port)))),
        port,
      );
    } else {
      rmSync(apiSock(dir, port), { force: true });
      await listen(
        createServer((c) => pipe(c, createConnection(port, '127.0.0.1'))),
        apiSock(dir, port),
      );
    }
  }
  console.log('ready');
}

if (process.argv[1] === import.meta.filename) {
  const [dir, ...specs] = process.argv.slice(2);
  await inside(dir!, specs);
}
