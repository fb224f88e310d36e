// What the parts of the communities node share: the store, open groups, the MLS context, who
// signs, the network, the clock, client events, and the score that cuts off peers who send what a
// member would never send. Each part takes the Env and adds its own behaviour; service.ts builds it.
import type { z } from 'zod';
import { ApiError, type ErrorCode } from '../../src-shared/api/errors.ts';
import type { events } from '../../src-shared/communities/contract.ts';
import type { MlsContext } from '../../src-shared/communities/mls.ts';
import type { Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/index.ts';
/** An offence the p2p host counts against a peer. */
type Offence = Parameters<P2pHost['penalize']>[1];
import type { GroupStore } from './groups.ts';
import type { CommunityRepo, CommunityRow } from './repo.ts';
import type { Sealer, Signers } from './secrets.ts';

export type CommunityEventName = keyof typeof events;
export type Emit = <E extends CommunityEventName>(event: E, data: z.input<(typeof events)[E]>) => void;

export type CommunityP2p = Pick<
  P2pHost,
  | 'peerId'
  | 'publish'
  | 'subscribe'
  | 'handleRequest'
  | 'request'
  | 'ban'
  | 'isBanned'
  | 'peers'
  | 'dial'
  | 'onPeersChanged'
> &
  Partial<Pick<P2pHost, 'provide' | 'findProviders'>>;

export interface Env {
  readonly repo: CommunityRepo;
  readonly groups: GroupStore;
  readonly mls: MlsContext;
  readonly sealer: Sealer;
  readonly signers: Signers;
  readonly p2p: CommunityP2p;
  readonly log: Logger;
  readonly now: () => number;
  readonly emit: Emit;
  /** Counts an offence of a peer; enough of them ban it (the p2p host's policy numbers). */
  readonly score: (peerId: string | undefined, offence: Offence, detail: string) => void;
  /** Whether the vault is unlocked (states can be opened) and the node runs. */
  readonly unlocked: () => boolean;
  /** The node stopped: late timers and answers do nothing. */
  readonly closed: () => boolean;
}

/** The row of a community this node knows, or NOT_FOUND. */
export function rowOf(env: Env, id: string): CommunityRow {
  const row = env.repo.get(id);
  if (!row) throw new ApiError('NOT_FOUND', `This node is not in community ${id.slice(0, 16)}….`);
  return row;
}

/** A refusal of the core as the API tells it: a stable code in details.code. */
export function refusal(code: string, message: string, api: ErrorCode = 'CONFLICT'): ApiError {
  return new ApiError(api, message, { code });
}

/**
 * Core errors become API errors with their code kept: the core's refusals (communityError) already
 * are (CONFLICT); envelope errors and other coded errors become INVALID_PARAMS.
 */
export function asApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'string')
    return refusal((err as { code: string }).code, err.message, 'INVALID_PARAMS');
  return err;
}

/** Offences go to the p2p host's one count per peer (banned past its threshold), logged here with their community reason. */
export function createScore(p2p: Pick<P2pHost, 'penalize' | 'peerId'>, log: Logger) {
  return (peerId: string | undefined, offence: Offence, detail: string): void => {
    if (peerId === undefined || peerId === p2p.peerId) return;
    log.info('communities: peer penalized', { peerId, offence, detail });
    p2p.penalize(peerId, offence, `communities ${detail}`);
  };
}
