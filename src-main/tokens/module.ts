// The tokens module: named API tokens with scopes for more than one client (a bot that only
// reads, one that trades, the UI as admin). The API server asks it who holds a bearer token;
// the dispatcher checks the method's scope (docs/api.md "Tokens and scopes").
import { defineModule } from '../kernel/module.ts';
import { ensureApiToken } from '../core/token.ts';
import { createTokenService, m0001ApiTokens, type TokenAuthority } from './service.ts';

declare module '../kernel/module.ts' {
  interface Components {
    apiTokens: TokenAuthority;
  }
}

export const tokensModule = defineModule({
  name: 'tokens',
  schema: { domain: 'tokens', migrations: [m0001ApiTokens] },
  needs: [],
  provides: ['apiTokens'],
  create(c) {
    const tokens = createTokenService({ db: c.db, fileToken: ensureApiToken(c.dataDir), now: c.now });
    return {
      provides: { apiTokens: tokens },
      handlers: {
        'tokens.list': () => tokens.list(),
        'tokens.create': (p, ctx) => {
          const made = tokens.create(p.name, p.scope);
          c.log.info('api token created', { name: p.name, scope: p.scope, by: ctx.principal?.name });
          return made;
        },
        'tokens.revoke': (p, ctx) => {
          const v = tokens.revoke(p.name);
          c.log.info('api token revoked', { name: p.name, by: ctx.principal?.name });
          return v;
        },
      },
    };
  },
});
