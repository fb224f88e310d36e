// Tiny network probes run inside test namespaces (test/support/netns.ts): servers that answer with
// the address they saw, and clients that print what the servers saw. They show what a NAT router
// does to a connection without any libp2p in the way.
//   udp-echo <port> | tcp-echo <port>           answer every datagram / connection with "ip:port" seen
//   udp-ask <localPort> <host:port>...           one socket asks each server; prints the answers as JSON
//   tcp-ask <host> <port> <timeoutMs>            prints the answer, or "error:<code>"
import { createSocket } from 'node:dgram';
import { createConnection, createServer } from 'node:net';

const [mode, ...args] = process.argv.slice(2);

function udpEcho(port: number): void {
  const sock = createSocket('udp4');
  sock.on('message', (_msg, r) => sock.send(`${r.address}:${r.port}`, r.port, r.address));
  sock.bind(port, () => console.log('ready'));
}

function tcpEcho(port: number): void {
  createServer((c) => c.end(`${c.remoteAddress}:${c.remotePort}`)).listen(port, '0.0.0.0', () => console.log('ready'));
}

async function udpAsk(localPort: number, targets: string[]): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((res) => sock.bind(localPort, res));
  const answers: string[] = [];
  for (const t of targets) {
    const [host, port] = t.split(':');
    const answer = await new Promise<string>((res) => {
      const timer = setTimeout(() => res('timeout'), 3000);
      sock.once('message', (m) => {
        clearTimeout(timer);
        res(m.toString());
      });
      sock.send('?', Number(port), host);
    });
    answers.push(answer);
  }
  console.log(JSON.stringify(answers));
  sock.close();
}

function tcpAsk(host: string, port: number, timeoutMs: number): void {
  const c = createConnection({ host, port, timeout: timeoutMs });
  let got = '';
  c.on('data', (d) => (got += d.toString()));
  c.on('end', () => console.log(got));
  c.on('timeout', () => {
    console.log('error:ETIMEDOUT');
    c.destroy();
  });
  c.on('error', (err: NodeJS.ErrnoException) => console.log(`error:${err.code ?? err.message}`));
}

if (mode === 'udp-echo') udpEcho(Number(args[0]));
else if (mode === 'tcp-echo') tcpEcho(Number(args[0]));
else if (mode === 'udp-ask') void udpAsk(Number(args[0]), args.slice(1));
else if (mode === 'tcp-ask') tcpAsk(args[0]!, Number(args[1]), Number(args[2]));
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
