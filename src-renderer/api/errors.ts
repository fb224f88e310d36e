// Errors that only the renderer's transports raise (the pipe to the node broke), next to
// the node's own ApiError. Kept apart so a lost connection is never confused with a refusal.

export class ConnectionLostError extends Error {
  override name = 'ConnectionLostError';
}

/** The node is not reachable (no answer while connecting); the call was never sent. */
export class NodeUnreachableError extends Error {
  override name = 'NodeUnreachableError';
}
