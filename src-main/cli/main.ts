#!/usr/bin/env node
// The `hashlock` command: run a headless node, call any API method, manage the devnet.
// Every contract method is also a named subcommand: `hashlock wallets balance --ticker DEVA`.
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { ALIASES, methods, METHOD_NAMES, type MethodName } from '../../src-shared/api/contract.ts';
import { createLogger } from '../kernel/log.ts';
import { readVersion, startNode } from '../core/node.ts';
import { loadConfig } from '../core/config.ts';
import { readApiToken } from '../core/token.ts';
import { createNodeRpc } from './rpc-client.ts';
import { devnetCommand } from '../devnet/cli.ts';
import { formatStatus } from './status.ts';

/** The script running now: src-main/cli/main.ts, or the bundle bin/hashlock built of it (dist/node/cli.js). */
const CLI_ENTRY = fileURLToPath(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(CLI_ENTRY), '..', '..');
export const DEFAULT_DATA_DIR = process.env.HASHLOCK_DATA_DIR ?? path.join(os.homedir(), '.hashlock');

function fail(err: unknown): never {
  if (err instanceof ApiError) console.error(`error ${err.code}: ${err.message}`);
  else console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

function rpcFor(opts: { dataDir: string; url?: string; token?: string }) {
  const token = opts.token ?? readApiToken(opts.dataDir);
  const url = opts.url ?? `http://127.0.0.1:${loadConfig(opts.dataDir).api.port}`;
  return createNodeRpc(url, token);
}

function print(result: unknown): void {
  console.log(JSON.stringify(result, null, 2));
}

/** Turn `--ticker DEVA --target-blocks 6` into params using the method's schema for types. */
export function paramsFromOptions(
  method: keyof typeof methods,
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const schema = methods[method].params as z.ZodObject;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const value = opts[key];
    if (value === undefined) continue;
    out[key] = coerce(field as z.ZodType, String(value));
  }
  return out;
}

function coerce(field: z.ZodType, text: string): unknown {
  let t = field as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  while ((t.def.type === 'optional' || t.def.type === 'default') && t.def.innerType) t = t.def.innerType as typeof t;
  if (t.def.type === 'number') return /^-?\d+$/.test(text) ? Number(text) : text;
  if (t.def.type === 'boolean') return text === 'true';
  if (t.def.type === 'object' || t.def.type === 'array' || t.def.type === 'union') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text; // strings, including decimal amounts, stay strings
}

/** Secrets are never taken positionally: they would sit in the shell's history even more plainly. */
const NEVER_POSITIONAL = new Set(['password', 'mnemonic', 'passphrase']);

/** The params' only required field, when it is text: it may be given without its flag. */
export function positionalField(method: keyof typeof methods): string | undefined {
  const shape = (methods[method].params as z.ZodObject).shape;
  const required = Object.entries(shape).filter(([, f]) => !(f as z.ZodType).safeParse(undefined).success);
  if (required.length !== 1) return undefined;
  const [key, field] = required[0]!;
  const type = (field as z.ZodType & { def: { type: string } }).def.type;
  return type === 'string' && !NEVER_POSITIONAL.has(key) ? key : undefined;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function buildProgram(): Command {
  const program = new Command('hashlock')
    .version(readVersion())
    .description('Hashlock: non-custodial atomic-swap exchange node')
    .enablePositionalOptions()
    .showHelpAfterError();
  const dataDirOption = () => new Option('--data-dir <dir>', 'node data directory').default(DEFAULT_DATA_DIR);

  const runNode =
    (role: 'trader' | 'servicenode') =>
    async (o: {
      dataDir: string;
      apiPort?: number;
      passwordFile?: string;
      createVault?: boolean;
      staticDir: string;
    }) => {
      const log = createLogger(role === 'servicenode' ? 'servicenode' : 'node');
      const password = o.passwordFile ? readFileSync(o.passwordFile, 'utf8').replace(/\r?\n$/, '') : undefined;
      const node = await startNode({
        dataDir: o.dataDir,
        log,
        serveApi: true,
        apiPort: o.apiPort,
        staticDir: existsSync(o.staticDir) ? o.staticDir : undefined,
        password,
        createVault: o.createVault === true,
        ...(role === 'servicenode' ? { role } : {}),
      });
      console.log(`Hashlock ${role === 'servicenode' ? 'service node' : 'node'} ${node.peerId}`);
      console.log(`UI:       ${node.api?.url}/#token=${node.token}`);
      console.log(`JSON-RPC: ${node.api?.url}/rpc  (Authorization: Bearer <${path.join(o.dataDir, 'api-token')}>)`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await node.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    };
  const nodeOptions = (c: Command) =>
    c
      .addOption(dataDirOption())
      .option('--api-port <port>', 'API/UI port (overrides config.json)', (v) => Number(v))
      .option('--password-file <file>', 'unlock the vault at start with the password in this file')
      .option(
        '--create-vault',
        'with --password-file: create the vault if there is none (its recovery phrase is printed once)',
      )
      .option('--static-dir <dir>', 'built renderer to serve', path.join(REPO_ROOT, 'dist', 'renderer'));

  const nodeCommand = nodeOptions(
    program.command('node').description('run a headless node serving the API and the UI on 127.0.0.1'),
  )
    // `node status --data-dir x`: options after `status` are its own, not the node's.
    .enablePositionalOptions()
    .action(runNode('trader'));
  nodeCommand
    .command('status')
    .description("a running node's essentials: peers and scores, traffic, messages, store size, latencies")
    .addOption(dataDirOption())
    .option('--url <url>', 'node URL')
    .option('--token <token>', 'API token (a read token is enough)')
    .action(async (o: { dataDir: string; url?: string; token?: string }) => {
      const rpc = rpcFor(o);
      console.log(formatStatus(await rpc.call('node.info', {}), await rpc.call('metrics.snapshot', {})));
    });
  nodeOptions(
    program
      .command('servicenode')
      .description(
        'run a service node: a headless node with the service-node role (config.json needs "servicenode": collateral, fee, coins)',
      ),
  ).action(runNode('servicenode'));

  program
    .command('rpc')
    .description('call an API method: hashlock rpc wallets.balance \'{"ticker":"DEVA"}\'')
    .argument('<method>')
    .argument('[params]', 'JSON object', '{}')
    .addOption(dataDirOption())
    .option('--url <url>', 'node URL')
    .option('--token <token>', 'API token')
    .action(async (method: string, paramsText: string, o: { dataDir: string; url?: string; token?: string }) => {
      let params: unknown;
      try {
        params = JSON.parse(paramsText);
      } catch {
        fail(new ApiError('INVALID_PARAMS', `params are not valid JSON: ${paramsText}`));
      }
      print(await rpcFor(o).raw(method, params));
    });

  const groups = new Map<string, Command>();
  const addMethod = (parent: Command, command: string, name: MethodName, doc: string) => {
    const cmd = parent
      .command(command)
      .description(doc)
      .addOption(dataDirOption())
      .option('--url <url>', 'node URL')
      .option('--token <token>', 'API token');
    const shape = (methods[name].params as z.ZodObject).shape;
    for (const key of Object.keys(shape)) cmd.option(`--${kebab(key)} <value>`, key);
    // A method with one required text field takes it without its flag too: `hashlock payments parse <uri>`.
    const positional = positionalField(name);
    if (positional) cmd.argument(`[${kebab(positional)}]`, `the ${positional} (or --${kebab(positional)})`);
    cmd.action(async (...args: unknown[]) => {
      const o = args[positional ? 1 : 0] as Record<string, unknown> & { dataDir: string; url?: string; token?: string };
      if (positional && typeof args[0] === 'string' && o[positional] === undefined) o[positional] = args[0];
      print(await rpcFor(o).call(name, paramsFromOptions(name, o) as never));
    });
  };
  // Every part but the last is a command group (`identity.links.add` is `hashlock identity links add`);
  // `hashlock node` runs a node, so node.* methods are top-level (`hashlock info`).
  const groupFor = (path: string[]): Command => {
    if (path.length === 0 || (path.length === 1 && path[0] === 'node')) return program;
    const key = path.join('.');
    let g = groups.get(key);
    if (!g) {
      const parent = groupFor(path.slice(0, -1));
      const word = kebab(path[path.length - 1]!);
      // `hashlock servicenode` runs a service node; its methods are its subcommands (`servicenode list`).
      g = parent.commands.find((c) => c.name() === word) ?? parent.command(word).description(`${key} methods`);
      groups.set(key, g);
    }
    return g;
  };
  for (const name of METHOD_NAMES) {
    const parts = name.split('.');
    addMethod(groupFor(parts.slice(0, -1)), kebab(parts[parts.length - 1]!), name, methods[name].doc);
  }
  // The dx-style aliases are top-level commands too (`hashlock make-order` = `hashlock orders make`).
  for (const [alias, name] of Object.entries(ALIASES)) addMethod(program, kebab(alias), name, `Same as ${name}.`);

  program.addCommand(devnetCommand(REPO_ROOT, CLI_ENTRY));
  return program;
}

if (process.argv[1] && path.resolve(process.argv[1]) === CLI_ENTRY) {
  buildProgram().parseAsync(process.argv).catch(fail);
}
