// The registry's HTTP face on the node's loopback API port (token required like /rpc):
// Blockcore's REST (`PUT /api/identity`, `GET /api/identity/{address}`) and W3C DID resolution
// (`GET /1.0/identifiers/{did}`). The bodies and status codes come from the pure core.
import {
  MAX_PUT_BODY_BYTES,
  PutIdentityBody,
  didOfRestAddress,
  identityRestBody,
  putIdentityAnswer,
  resolveDid,
} from '../../src-shared/identity/resolve.ts';
import type { HttpReply, HttpRoute } from '../kernel/module.ts';
import { refusal, type Registry } from './registry.ts';
import type { IdentityRepo } from './repo.ts';
import { storedDid } from './views.ts';

const bad = (code: string, message: string, status = 400): HttpReply => ({ status, body: { code, message } });

export function identityRoutes(d: { registry: Registry; repo: IdentityRepo }): HttpRoute[] {
  return [
    {
      method: 'PUT',
      path: '/api/identity',
      handle(req) {
        if (Buffer.byteLength(req.body) > MAX_PUT_BODY_BYTES) {
          return bad('JWS_TOO_LARGE', `the body is over ${MAX_PUT_BODY_BYTES} bytes`, 413);
        }
        let json: unknown;
        try {
          json = JSON.parse(req.body);
        } catch {
          return bad('BAD_REQUEST', 'the body is not JSON: {"version":4,"content":"<compact JWS>"}');
        }
        const body = PutIdentityBody.safeParse(json);
        if (!body.success) {
          return bad(
            'BAD_REQUEST',
            `the body must be {"version":4,"content":"<compact JWS>"}: ${body.error.issues[0]?.message ?? ''}`,
          );
        }
        const outcome = d.registry.ingest(body.data.content, { via: 'http' });
        const answer = putIdentityAnswer(
          outcome.stored ? { address: outcome.record.address, status: outcome.status } : refusal(outcome),
        );
        return { status: answer.status, contentType: answer.contentType, body: answer.body };
      },
    },
    {
      method: 'GET',
      path: '/api/identity/:address',
      handle(req) {
        const did = didOfRestAddress(req.params.address ?? '');
        if (!did) return bad('DID_INVALID', 'not a did:is address');
        const rec = d.repo.get(did);
        if (!rec) return bad('NOT_FOUND', `no identity ${req.params.address} is stored here`, 404);
        return { status: 200, body: identityRestBody(rec.content) };
      },
    },
    {
      method: 'GET',
      path: '/1.0/identifiers/:did',
      handle(req) {
        const did = req.params.did ?? '';
        const accept = typeof req.headers.accept === 'string' ? req.headers.accept : undefined;
        const answer = resolveDid(did, accept, storedDid(did, d.repo));
        return { status: answer.status, contentType: answer.contentType, body: answer.body };
      },
    },
  ];
}
