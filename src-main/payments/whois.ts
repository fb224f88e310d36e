// The peer question "which profile do you hold for this DID?" (`/hashlock/payments/whois/1`),
// asked only when the user turned it on (it tells peers whom the user is about to pay) and the
// local registry has nothing. Every answer is verified like a registry record and only shown,
// never stored: the identity registry replicates on its own (docs/payments.md §9.4).
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors.ts';
import { verifyRecord } from '../../src-shared/identity/records.ts';
import type { ProfileFields } from '../../src-shared/identity/profile.ts';
import { Did } from '../../src-shared/payments/views.ts';
import type { Identities } from '../identity/component.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { P2pHost } from '../p2p/host.ts';

export const WHOIS_PROTOCOL = '/hashlock/payments/whois/1';
/** A profile JWS is at most 32 KiB; the answer's envelope fits in 40. */
export const WHOIS_MAX_CONTENT = 40 * 1024;
const ASK_PEERS = 3;
const ASK_TIMEOUT_MS = 5_000;

const WhoisRequest = z.object({ v: z.literal(1), did: Did }).strict();
const WhoisAnswer = z.object({ v: z.literal(1), content: z.string().max(WHOIS_MAX_CONTENT).nullable() }).strict();

export interface PeerProfile {
  readonly deleted: boolean;
  readonly fields: ProfileFields;
  readonly iat: number;
}

/** Answers peers from the local registry: the stored record as received, or null. */
export function serveWhois(p2p: P2pHost, identities: Identities): Promise<void> {
  return p2p.handleRequest(WHOIS_PROTOCOL, async (req) => {
    const parsed = WhoisRequest.safeParse(req);
    if (!parsed.success) throw new ApiError('INVALID_PARAMS', 'a whois request is {"v":1,"did":"did:is:…"}');
    const found = await identities.resolve(parsed.data.did);
    return { v: 1, content: found?.content ?? null };
  });
}

/** A profile record is verified exactly as the registry verifies one on ingest. */
export function profileFromContent(did: string, content: string): PeerProfile | undefined {
  try {
    const record = verifyRecord(content);
    if (record.kind !== 'profile' || record.did !== did) return undefined;
    const p = record.profile;
    const fields: ProfileFields = {
      name: p.name ?? null,
      shortname: p.shortname ?? null,
      alias: p.alias ?? null,
      title: p.title ?? null,
      email: p.email ?? null,
      url: p.url ?? null,
      image: p.image ?? null,
      hubs: p.hubs ?? null,
    };
    return { deleted: record.tombstone, fields, iat: record.iat };
  } catch {
    return undefined;
  }
}

/** Asks a few connected peers; the newest verified answer wins (a tombstone included). */
export async function askPeersWhois(p2p: P2pHost, did: string, log: Logger): Promise<PeerProfile | undefined> {
  const peers = p2p.peers().slice(0, ASK_PEERS);
  const answers = await Promise.all(
    peers.map(async (peer) => {
      try {
        const reply = WhoisAnswer.safeParse(
          await p2p.request(peer.peerId, WHOIS_PROTOCOL, { v: 1, did }, { timeoutMs: ASK_TIMEOUT_MS }),
        );
        if (!reply.success || reply.data.content === null) return undefined;
        return profileFromContent(did, reply.data.content);
      } catch (err) {
        log.info('a peer did not answer whois', { peerId: peer.peerId, error: errorText(err) });
        return undefined;
      }
    }),
  );
  return answers.reduce<PeerProfile | undefined>((best, a) => (a && (!best || a.iat > best.iat) ? a : best), undefined);
}
