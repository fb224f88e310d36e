import { describe, expect, it } from 'vitest';
import type { HttpRoute } from '../kernel/module.ts';
import { matchRoute } from './routes.ts';

const route = (method: HttpRoute['method'], path: string): HttpRoute => ({
  method,
  path,
  handle: () => ({ status: 200, body: path }),
});
const routes = [
  route('PUT', '/api/identity'),
  route('GET', '/api/identity/:address'),
  route('GET', '/1.0/identifiers/:did'),
];

describe('matchRoute', () => {
  it('matches method and path, decoding named parts', () => {
    expect(matchRoute(routes, 'GET', '/1.0/identifiers/did%3Ais%3APB7iz')?.params).toEqual({ did: 'did:is:PB7iz' });
    expect(matchRoute(routes, 'PUT', '/api/identity')?.route.path).toBe('/api/identity');
    expect(matchRoute(routes, 'GET', '/api/identity/Pabc')?.params).toEqual({ address: 'Pabc' });
  });

  it('matches nothing for another method, a longer path, an empty part or a bad escape', () => {
    expect(matchRoute(routes, 'POST', '/api/identity')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/api/identity/a/b')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/api/identity/')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/api/identity/%E0%A4%A')).toBeUndefined();
  });
});
