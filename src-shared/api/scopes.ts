// API token scopes: what a client may do. `read` sees, `trade` also moves the user's coins
// through orders and swaps, `admin` also changes the node (vault, wallets, settings, tokens).
// Each contract method declares its scope or gets one from its verb (docs/api.md "Scopes").
export const SCOPES = ['read', 'trade', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(x: unknown): x is Scope {
  return typeof x === 'string' && (SCOPES as readonly string[]).includes(x);
}

/** Whether a token of scope `have` may call a method that needs `need` (each scope includes those before it). */
export function allows(have: Scope, need: Scope): boolean {
  return SCOPES.indexOf(have) >= SCOPES.indexOf(need);
}

/** Verbs that only read. The verb is what follows the last dot (`wallets.balance` -> `balance`). */
const READ_VERBS =
  /^(get[A-Z].*|get|list|info|status|stats|snapshot|history|peers|balance|balances|connected|utxos|feeEstimate|book|markets|mine|fills|candles|tokens|messages|requests|request|payment|resolve|parse)$/;

/**
 * The scope a method gets when it declares none: reading verbs need `read`, every other verb
 * `admin`, so a method nobody thought about fails closed. Methods that trade declare `trade`.
 */
export function defaultScope(methodName: string): Scope {
  const verb = methodName.slice(methodName.lastIndexOf('.') + 1);
  return READ_VERBS.test(verb) ? 'read' : 'admin';
}
