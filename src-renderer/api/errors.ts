// Errors that only the renderer's transports raise (the pipe to the node broke), next to the
// node's own ApiError. Their codes are not on the node's list, so a lost connection is never
// confused with a refusal.
import { CodedError } from '../../src-shared/errors.ts';

/** The connection broke while a call was out: it may or may not have run. */
export const connectionLost = (message: string) => new CodedError('CONNECTION_LOST', message);

/** The node is not reachable (no answer while connecting); the call was never sent. */
export const nodeUnreachable = (message: string) => new CodedError('NODE_UNREACHABLE', message);
