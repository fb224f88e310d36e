// The node's configuration: <dataDir>/config.json, validated before anything starts. The node's
// own keys (network, role, api) are here; every other section belongs to the module that owns it
// (src-main/<domain>/config.ts), and the schema is their merge. A bad file stops the node with a
// message naming each wrong field; nothing is half-applied.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { NETWORKS, type NetworkName } from '../../src-shared/coins/networks.ts';
import { zodIssues } from '../api/dispatcher.ts';
import type { ConfigIssue, ConfigOf, ConfigSlice, DomainModule } from '../kernel/module.ts';
import { MODULES, type AnyModule } from './modules.ts';

const BaseConfig = {
  network: z.enum(NETWORKS).default('devnet'),
  role: z.enum(['trader', 'servicenode']).default('trader'),
  api: z
    .object({ port: z.number().int().min(0).max(65535).default(7420) })
    .strict()
    .default({ port: 7420 }),
};

type Merge<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any module's needs
type SliceOf<M> = M extends DomainModule<any, any, infer S> ? ConfigOf<S> : never;

export type NodeConfig = { [K in keyof typeof BaseConfig]: z.output<(typeof BaseConfig)[K]> } & Merge<
  SliceOf<(typeof MODULES)[number]>
>;

/** The config.json schema: the node's keys and every module's section; a key owned twice is a bug. */
export function configSchema(modules: readonly AnyModule[] = MODULES) {
  const shape: Record<string, z.ZodType> = { ...BaseConfig };
  for (const m of modules) {
    for (const [key, schema] of Object.entries((m.config ?? {}) as ConfigSlice)) {
      if (Object.hasOwn(shape, key)) throw new Error(`config key ${key} is claimed by two modules (${m.name})`);
      shape[key] = schema;
    }
  }
  return z.object(shape).strict();
}

export function parseConfig(raw: unknown, source = 'config', modules: readonly AnyModule[] = MODULES): NodeConfig {
  const invalid = (issues: ConfigIssue[]) =>
    new ApiError(
      'CONFIG_INVALID',
      `${source} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  const parsed = configSchema(modules).safeParse(raw ?? {});
  if (!parsed.success) throw invalid(zodIssues(parsed.error));
  const config = parsed.data as Record<string, unknown> & { network: NetworkName; role: 'trader' | 'servicenode' };
  const issues = modules.flatMap((m) => m.checkConfig?.(config, sliceFor(m, config)) ?? []);
  if (issues.length) throw invalid(issues);
  return config as NodeConfig;
}

/** The sections of the config a module owns. */
export function sliceFor(m: AnyModule, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys((m.config ?? {}) as ConfigSlice).map((k) => [k, config[k]]));
}

export function loadConfig(dataDir: string): NodeConfig {
  const file = path.join(dataDir, 'config.json');
  if (!existsSync(file)) return parseConfig({}, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ApiError('CONFIG_INVALID', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, file);
}
