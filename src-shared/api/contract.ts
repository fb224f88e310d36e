// THE contract between every client (renderer, CLI, bots) and the node: each method's params
// and result schema, and each pushed event. Each domain declares its slice in
// src-shared/<domain>/contract.ts; this file merges them (one line per domain). Implemented by
// the domain modules in src-main; reached through Electron IPC, WebSocket and JSON-RPC.
import type { z } from 'zod';
import * as node from '../node/contract.ts';
import * as vault from '../vault/contract.ts';
import * as wallets from '../wallets/contract.ts';
import * as p2p from '../p2p/contract.ts';
import * as swaps from '../swaps/contract.ts';
import * as orders from '../orders/contract.ts';
import * as history from '../history/contract.ts';
import * as servicenode from '../servicenode/contract.ts';
import * as settings from '../settings/contract.ts';
import * as identity from '../identity/contract.ts';
import * as registry from '../registry/contract.ts';
import * as communities from '../communities/contract.ts';
import * as payments from '../payments/contract.ts';
import * as metrics from '../metrics/contract.ts';
import * as tokens from '../tokens/contract.ts';
import type { MethodSpec } from './method.ts';
import { defaultScope, type Scope } from './scopes.ts';

/** Every domain's slice; adding a domain is one entry here (and its import). */
const SLICES = [
  node,
  vault,
  wallets,
  p2p,
  swaps,
  orders,
  history,
  servicenode,
  settings,
  identity,
  registry,
  communities,
  payments,
  metrics,
  tokens,
] as const;

type Slice = (typeof SLICES)[number];
type Merge<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export const methods = mergeSlices('methods') as Readonly<Merge<Slice['methods']>>;
export const events = mergeSlices('events') as Readonly<Merge<Slice['events']>>;
/** Other names a method answers to (the dx-style names of XBridge), each naming its method. */
export const ALIASES: Readonly<Record<string, MethodName>> = mergeAliases();

/** One record of every slice's methods (or events); a name declared twice is a bug caught at load. */
function mergeSlices(part: 'methods' | 'events'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const slice of SLICES) {
    for (const [name, spec] of Object.entries(slice[part])) {
      if (Object.hasOwn(out, name)) throw new Error(`contract: ${part} ${name} is declared by two domains`);
      out[name] = spec;
    }
  }
  return out;
}

function mergeAliases(): Record<string, MethodName> {
  const out: Record<string, MethodName> = {};
  for (const slice of SLICES) {
    if (!('aliases' in slice)) continue;
    for (const [alias, name] of Object.entries(slice.aliases as Record<string, MethodName>)) {
      if (Object.hasOwn(out, alias) || Object.hasOwn(methods, alias))
        throw new Error(`contract: the alias ${alias} is declared twice or names a method`);
      out[alias] = name;
    }
  }
  return out;
}

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
/** A pushed event; with no argument, the union of every event, narrowed by `event` without casts. */
export type PushedEvent<E extends EventName = EventName> = { [K in E]: { event: K; data: EventPayload<K> } }[E];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.hasOwn(methods, x);
}

/** The method a name (its own or an alias) calls, or undefined. */
export function resolveMethodName(x: unknown): MethodName | undefined {
  if (isMethodName(x)) return x;
  return typeof x === 'string' && Object.hasOwn(ALIASES, x) ? ALIASES[x] : undefined;
}

/** The scope a caller's token needs for a method: its declared scope, else its verb's. */
export function methodScope(name: MethodName): Scope {
  return (methods[name] as MethodSpec).scope ?? defaultScope(name);
}
