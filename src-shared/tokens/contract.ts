// Contract slice of the tokens domain: named API tokens with scopes (docs/api.md "Tokens and
// scopes"). A token's secret is returned once, by tokens.create; the node keeps only its hash.
import { z } from 'zod';
import { method } from '../api/method.ts';
import { Empty } from '../api/schemas.ts';
import { SCOPES } from '../api/scopes.ts';

/** The token in <dataDir>/api-token: always admin, never listed or revoked through the API. */
export const FILE_TOKEN_NAME = 'default';

export const TokenName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a token name is 1-32 lowercase letters, digits, - or _')
  .refine((n) => n !== FILE_TOKEN_NAME, `"${FILE_TOKEN_NAME}" is the token in the data directory`);

export const TokenView = z.object({
  name: z.string(),
  scope: z.enum(SCOPES),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().optional(),
  revokedAt: z.number().int().optional(),
  /** Requests made with it since the node started. */
  calls: z.number().int(),
});
export type TokenView = z.infer<typeof TokenView>;

export const methods = {
  'tokens.list': method(Empty, z.array(TokenView), 'Named API tokens, revoked ones included.', { scope: 'admin' }),
  'tokens.create': method(
    z.object({ name: TokenName, scope: z.enum(SCOPES) }).strict(),
    z.object({ token: z.string(), view: TokenView }),
    'Make a named token: read (see everything), trade (also orders and swaps) or admin (also vault, wallets, settings, tokens). Its secret is shown only now.',
    { scope: 'admin' },
  ),
  'tokens.revoke': method(
    z.object({ name: TokenName }).strict(),
    TokenView,
    'Revoke a token at once: its next request, and every open WebSocket using it, is refused.',
    { scope: 'admin' },
  ),
} as const;

export const events = {} as const;
