// `hashlock devnet up|down|status|demo`: `demo` runs the devnet in the foreground until Ctrl-C;
// `up` starts the same supervisor in the background and returns once it is ready.
import { Command } from 'commander';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../kernel/log.ts';
import { devnetLayout, type DevnetState } from './layout.ts';
import { isAlive, readState, reapStale, runDevnet } from './supervisor.ts';

interface DevnetFlags {
  dir: string;
  basePort: string;
  fresh?: boolean;
  blockInterval: string;
}

function describe(state: DevnetState): string {
  const lines = [`devnet ${state.status} (supervisor pid ${state.supervisorPid}, since ${state.startedAt})`];
  for (const c of state.chains)
    lines.push(`  chain ${c.ticker.padEnd(5)} litecoind pid ${c.pid}, RPC 127.0.0.1:${c.rpcPort}`);
  for (const n of state.nodes) lines.push(`  ${n.name.padEnd(6)} UI: ${n.url}/#token=${n.token}`);
  if (state.error) lines.push(`  error: ${state.error}`);
  return lines.join('\n');
}

/** `cliEntry`: the script that runs this CLI (the sources' main.ts or its bundle); the devnet's processes run it too. */
export function devnetCommand(repoRoot: string, cliEntry: string): Command {
  const cmd = new Command('devnet').description('local demo network: two regtest chains, funded wallets, trader nodes');
  const withFlags = (c: Command) =>
    c
      .option('--dir <dir>', 'devnet folder', path.join(repoRoot, '.devnet'))
      .option('--base-port <port>', 'first port of the devnet port range', '19500')
      .option('--block-interval <ms>', 'automatic mining interval', '5000');
  const log = createLogger('devnet');

  const wipe = async (o: DevnetFlags) => {
    const prev = readState(devnetLayout(o.dir).stateFile);
    if (prev && isAlive(prev.supervisorPid)) throw new Error('the devnet is running; `hashlock devnet down` first');
    if (prev) await reapStale(prev, log);
    rmSync(o.dir, { recursive: true, force: true });
  };

  const run = async (o: DevnetFlags, foreground: boolean) => {
    if (o.fresh) await wipe(o);
    const devnet = await runDevnet({
      root: o.dir,
      repoRoot,
      cliEntry,
      basePort: Number(o.basePort),
      blockIntervalMs: Number(o.blockInterval),
      log,
    });
    const shutdown = async () => {
      await devnet.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown());
    process.on('SIGTERM', () => void shutdown());
    if (foreground) {
      console.log(describe(devnet.state));
      console.log('\nOpen a UI link above in a browser. Press Ctrl-C to stop the devnet.');
    }
  };

  withFlags(cmd.command('demo').description('run the devnet in the foreground and print the UI links'))
    .option('--fresh', 'start from empty chains')
    .action((o: DevnetFlags) => run(o, true));
  withFlags(cmd.command('run').description('(internal) the background supervisor started by `up`')).action(
    (o: DevnetFlags) => run(o, false),
  );

  withFlags(cmd.command('up').description('start the devnet in the background (reuses an existing one)'))
    .option('--fresh', 'start from empty chains')
    .action(async (o: DevnetFlags) => {
      const layout = devnetLayout(o.dir, Number(o.basePort));
      const prev = readState(layout.stateFile);
      if (prev && isAlive(prev.supervisorPid) && prev.status === 'ready') {
        console.log(describe(prev));
        return;
      }
      if (o.fresh) await wipe(o);
      mkdirSync(layout.root, { recursive: true });
      const out = openSync(path.join(layout.root, 'supervisor.log'), 'a');
      const args = [
        '--disable-warning=ExperimentalWarning',
        cliEntry,
        'devnet',
        'run',
        '--dir',
        o.dir,
        '--base-port',
        o.basePort,
        '--block-interval',
        o.blockInterval,
      ];
      const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], cwd: repoRoot });
      child.unref();
      // Generous: on a loaded machine two daemons and four nodes can take many minutes to come up.
      const deadline = Date.now() + 600_000;
      for (;;) {
        const st = readState(layout.stateFile);
        if (st && st.supervisorPid === child.pid && st.status === 'ready') {
          console.log(describe(st));
          return;
        }
        if (st && st.supervisorPid === child.pid && st.status === 'failed')
          throw new Error(`devnet failed to start: ${st.error} (see ${path.join(layout.root, 'supervisor.log')})`);
        if (!isAlive(child.pid) || Date.now() > deadline)
          throw new Error(`devnet did not come up; see ${path.join(layout.root, 'supervisor.log')}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    });

  withFlags(cmd.command('down').description('stop the devnet and every process it started')).action(
    async (o: DevnetFlags) => {
      const layout = devnetLayout(o.dir, Number(o.basePort));
      const st = readState(layout.stateFile);
      if (!st) {
        console.log('no devnet state here; nothing to stop');
        return;
      }
      if (isAlive(st.supervisorPid) && st.supervisorPid !== process.pid) {
        process.kill(st.supervisorPid, 'SIGTERM');
        const deadline = Date.now() + 60_000;
        while (isAlive(st.supervisorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        if (isAlive(st.supervisorPid)) process.kill(st.supervisorPid, 'SIGKILL');
      }
      await reapStale(st, log);
      console.log('devnet stopped');
    },
  );

  withFlags(cmd.command('status').description('show the devnet state')).action((o: DevnetFlags) => {
    const st = readState(devnetLayout(o.dir, Number(o.basePort)).stateFile);
    if (!st) {
      console.log('devnet: not created');
      return;
    }
    const alive = isAlive(st.supervisorPid);
    console.log(alive ? describe(st) : `devnet stopped (last state: ${st.status})`);
    if (alive)
      for (const c of [...st.chains, ...st.nodes]) if (!isAlive(c.pid)) console.log(`  warning: pid ${c.pid} is gone`);
  });
  return cmd;
}
