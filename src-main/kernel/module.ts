// The shape every domain module has (docs/architecture.md "Domain modules"). A module declares
// its config section, its tables, the components it needs and provides, and builds its part of
// the node from exactly those: js-libp2p's `(components) => service` is the model. The node is a
// list of modules (src-main/core/modules.ts); the contract's handler table, the migration list and
// the config schema are merges of the modules' slices.
import type { z } from 'zod';
import type { MethodName, Methods, Result } from '../../src-shared/api/contract.ts';
import type { Scope } from '../../src-shared/api/scopes.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { NetworkName } from '../../src-shared/coins/networks.ts';
import type { EventBus } from '../api/events.ts';
import type { DomainSchema, StoreDatabase } from '../store/index.ts';
import type { InternalBus } from './bus.ts';
import type { Logger } from './log.ts';

export interface CallContext {
  transport: 'ipc' | 'ws' | 'http' | 'internal';
  /**
   * Who calls: the API token's name and scope (http, ws). IPC (the desktop's own window) and
   * internal calls have none and act as admin; an http or ws call without one is refused.
   */
  principal?: { readonly name: string; readonly scope: Scope };
}

/** One handler per contract method; a module provides those of its own slice. */
export type Handlers = {
  [M in MethodName]: (params: z.output<Methods[M]['params']>, ctx: CallContext) => Promise<Result<M>> | Result<M>;
};

/**
 * Components modules provide to the modules after them. Each module adds its own entries by
 * declaration merging next to its code:
 *
 *   declare module '../kernel/module.ts' { interface Components { wallets: WalletService } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by modules through declaration merging
export interface Components {}
export type ComponentName = keyof Components;

/** What every module gets without naming it. */
export interface NodeBase {
  readonly dataDir: string;
  readonly network: NetworkName;
  readonly role: 'trader' | 'servicenode';
  readonly version: string;
  readonly startedAt: number;
  readonly log: Logger;
  /** Facts between domains (kernel/bus.ts). */
  readonly bus: InternalBus;
  /** Contract events pushed to clients. */
  readonly events: EventBus;
  readonly db: StoreDatabase;
  /** Every module's tables (the store was opened with these). */
  readonly schemas: readonly DomainSchema[];
  readonly coins: CoinTable;
  readonly now: () => number;
  /** Options the host passed to startNode that some module reads (vault password, test hooks). */
  readonly host: HostOptions;
}

export interface HostOptions {
  /** Unlock the vault at start (headless nodes, devnet); never logged. */
  readonly password?: string;
  /** With `password`: create the vault when there is none. */
  readonly createVault?: boolean;
  /** Test hook: called at named steps of durable machines (a real SIGKILL in crash tests). */
  readonly crashAt?: (point: string) => void;
}

/** A request to one of a module's HTTP routes; the server has checked Host, Origin and the token. */
export interface HttpRequest {
  readonly method: string;
  /** Named path parts (`/api/identity/:address` gives `params.address`), percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text (at most the server's cap; empty for GET). */
  readonly body: string;
}

export interface HttpReply {
  status: number;
  /** Defaults to application/json. */
  contentType?: string;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
}

/**
 * An HTTP route a module serves on the node's loopback API port next to /rpc (e.g. the identity
 * registry's Blockcore-compatible REST and DID resolution). Every route needs the API token.
 */
export interface HttpRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** A path with `:name` parts, e.g. `/1.0/identifiers/:did`. */
  readonly path: string;
  /** The token scope it needs; default `read` for GET, `admin` otherwise. */
  readonly scope?: Scope;
  handle(req: HttpRequest): HttpReply | Promise<HttpReply>;
}

export interface ModuleInstance<P extends ComponentName = never> {
  /** Handlers of the module's contract methods. */
  readonly handlers?: Partial<Handlers>;
  /** HTTP routes on the API port (headless nodes). */
  readonly routes?: readonly HttpRoute[];
  /** Components for the modules after it. */
  readonly provides?: Pick<Components, P>;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A module's config: keys of config.json it owns, each with its schema. */
export type ConfigSlice = Readonly<Record<string, z.ZodType>>;
export type ConfigOf<S extends ConfigSlice> = { [K in keyof S]: z.output<S[K]> };
export interface ConfigIssue {
  path: string;
  message: string;
}

export interface DomainModule<
  N extends ComponentName = ComponentName,
  P extends ComponentName = never,
  S extends ConfigSlice = ConfigSlice,
> {
  readonly name: string;
  /** config.json keys this module owns (merged into the node's config schema). */
  readonly config?: S;
  /** The module's tables; migrations run for every module, whether it runs on this node or not. */
  readonly schema?: DomainSchema;
  readonly needs: readonly N[];
  readonly provides?: readonly P[];
  /** Checks across fields the schema cannot see (e.g. a role that needs a section); each issue names its path. */
  checkConfig?(base: { network: NetworkName; role: 'trader' | 'servicenode' }, config: ConfigOf<S>): ConfigIssue[];
  /** Whether this node runs the module (roles); default yes. */
  enabled?(base: NodeBase, config: ConfigOf<S>): boolean;
  create(c: NodeBase & Pick<Components, N>, config: ConfigOf<S>): ModuleInstance<P> | Promise<ModuleInstance<P>>;
}

/** Declares a module; only a typing aid. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a module without config owns no keys
export function defineModule<N extends ComponentName, P extends ComponentName = never, S extends ConfigSlice = {}>(
  m: DomainModule<N, P, S>,
): DomainModule<N, P, S> {
  return m;
}
