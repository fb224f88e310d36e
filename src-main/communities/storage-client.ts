// A member's side of storage nodes (docs §14), for communities in `store` mode: the owner grants
// each named node the topic (signed by a per-community controller key, so the node learns no
// identity) listing the owner's and admins' device keys; owner and admins announce each epoch's
// storage-auth key; every member pushes what it sends, signed with that key, and checks the
// node's receipt; a member back from offline reads pages after where it stopped and checks each.
import { sha256 } from '@noble/hashes/sha2.js';
import { doubleSha256 } from '../../src-shared/identity/compact.ts';
import { encodeEnvelope } from '../../src-shared/communities/envelope.ts';
import type { Envelope } from '../../src-shared/communities/envelope.ts';
import { bytesToHex, hexToBytes, tagged } from '../../src-shared/communities/ids.ts';
import { signAsDevice } from '../../src-shared/communities/mls.ts';
import type { Group } from '../../src-shared/communities/mls.ts';
import { mayCommit } from '../../src-shared/communities/roles.ts';
import {
  makeServeRequest,
  MAX_PAGE,
  signEpochKeyAsAdmin,
  signGrant,
  storageKeyFromSeed,
  verifyPage,
} from '../../src-shared/communities/storage.ts';
import type { Page, StorageKey } from '../../src-shared/communities/storage.ts';
import { Receipt, STORE_PROTOCOL, StorageInfo, verifyReceipt } from '../../src-shared/communities/sync.ts';
import { z } from 'zod';
import { errorText } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import { epochStorageKey } from './advance.ts';
import type { Env } from './env.ts';
import type { Ingest } from './ingest.ts';
import type { CommunityRow } from './repo.ts';

const CONTROLLER = 'controller';
const TIMEOUT_MS = 8000;
const DEFAULT_QUOTA = 256 * 1024 * 1024;
const MAX_PAGES = 400;

const StoreReply = z.object({ seq: z.number().int().min(1), receipt: Receipt });

/** The core's refusal code a storage node put first in its message ("unknown-epoch: …"). */
export function remoteCode(err: unknown): string | undefined {
  return /refused the request: ([a-z-]+):/.exec(err instanceof Error ? err.message : '')?.[1];
}

export function createStorageClient(env: Env, d: { ingest: Ingest }) {
  const nodesOf = (row: CommunityRow) => {
    const p = row.data.descriptor?.descriptor.persistence;
    return p?.mode === 'store' ? p.nodes : [];
  };

  async function ask(peerId: string, body: unknown): Promise<unknown> {
    return env.p2p.request(peerId, STORE_PROTOCOL, body, { timeoutMs: TIMEOUT_MS });
  }

  /** The owner's controller key for this community: made once from an identity signature, then kept sealed. */
  function controller(row: CommunityRow): StorageKey {
    const sealed = env.repo.secret.get(row.id, CONTROLLER);
    if (sealed !== undefined) return storageKeyFromSeed(env.sealer.openBytes(sealed));
    const sig = env.signers
      .signer(row.me)
      .signDigest(doubleSha256(tagged('communities.storage-controller', { id: row.id })));
    if (sig instanceof Promise) throw new Error('the identity signer must be synchronous');
    const seed = sha256(sig);
    env.repo.secret.put(row.id, CONTROLLER, env.sealer.sealBytes(seed));
    return storageKeyFromSeed(seed);
  }

  /** Owner only: (re)grants each named node with the current admins' device keys. */
  async function grant(row: CommunityRow): Promise<void> {
    const descriptor = row.data.descriptor?.descriptor;
    if (!descriptor || descriptor.owner !== row.me || descriptor.persistence.mode !== 'store') return;
    const key = controller(row);
    const admins = row.data.members
      .filter((m) => mayCommit(m.role))
      .map((m) => m.key)
      .slice(0, 66);
    const version = (row.data.grantVersion ?? 0) + 1;
    for (const node of descriptor.persistence.nodes) {
      const signed = signGrant(
        {
          v: 1,
          topic: row.topic,
          node: node.peerId,
          controller: key.publicKey,
          admins,
          retentionDays: descriptor.persistence.retentionDays,
          quotaBytes: DEFAULT_QUOTA,
          maxEnvelopeBytes: 400 * 1024,
          version,
          issuedAt: env.now(),
        },
        key,
      );
      try {
        await ask(node.peerId, { v: 1, t: 'grant', grant: signed });
      } catch (err) {
        env.log.info('communities: a storage node refused or missed a grant', {
          peerId: node.peerId,
          error: errorText(err),
        });
      }
    }
    const latest = env.repo.get(row.id);
    if (latest) env.repo.save({ ...latest, data: { ...latest.data, grantVersion: version } });
  }

  /** Owner and admins: tells the nodes the storage-auth key of the group's epoch. */
  async function announce(row: CommunityRow, group: Group): Promise<void> {
    const me = row.data.members.find((m) => m.did === row.me && mayCommit(m.role));
    if (!me || nodesOf(row).length === 0) return;
    const key = await epochStorageKey(env, row.id, group);
    const ownKey = row.data.members.find((m) => m.did === row.me && m.device === row.data.device)?.key ?? me.key;
    const signed = await signEpochKeyAsAdmin(
      { v: 1, topic: row.topic, epoch: String(row.data.epoch), branch: row.data.tag, key: key.publicKey, by: ownKey },
      (m) => signAsDevice(env.mls, group, m),
    );
    await Promise.all(
      nodesOf(row).map((node) =>
        ask(node.peerId, { v: 1, t: 'epochKey', epochKey: signed }).catch((err: unknown) =>
          env.log.info('communities: a storage node refused an epoch key', {
            peerId: node.peerId,
            error: errorText(err),
          }),
        ),
      ),
    );
  }

  /** Pushes an envelope (already signed with its epoch's key) to every node; checks each receipt. */
  async function push(row: CommunityRow, envelope: Envelope): Promise<void> {
    const hash = bytesToHex(sha256(encodeEnvelope(envelope)));
    await Promise.all(
      nodesOf(row).map(async (node) => {
        for (let attempt = 1; attempt <= 4; attempt++) {
          try {
            const r = StoreReply.parse(await ask(node.peerId, { v: 1, t: 'store', envelope }));
            if (r.receipt.hash !== hash || r.receipt.topic !== row.topic || !verifyReceipt(r.receipt, node.key))
              env.score(node.peerId, 'badResponse', 'a storage receipt that does not match');
            return;
          } catch (err) {
            // The epoch's key may still be on its way from the admin who committed it.
            if (remoteCode(err) !== 'unknown-epoch' || attempt === 4) {
              env.log.info('communities: a storage node did not keep an envelope', {
                peerId: node.peerId,
                error: errorText(err),
              });
              return;
            }
            await sleep(500 * attempt);
          }
        }
      }),
    );
  }

  /** Reads every node's pages after where this member stopped, into the ingest. */
  async function fetch(row: CommunityRow): Promise<void> {
    for (const node of nodesOf(row)) {
      let after = row.data.cursors[node.peerId] ?? 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const group = env.groups.get(row.id);
        const latest = env.repo.get(row.id);
        if (!group || !latest) return;
        const key = await epochStorageKey(env, row.id, group);
        const request = makeServeRequest(
          {
            topic: row.topic,
            after,
            limit: MAX_PAGE,
            epoch: String(latest.data.epoch),
            branch: latest.data.tag,
            at: env.now(),
          },
          key,
        );
        let answer: Page;
        try {
          answer = (await ask(node.peerId, { v: 1, t: 'serve', request })) as Page;
        } catch (err) {
          env.log.info('communities: a storage node did not serve', { peerId: node.peerId, error: errorText(err) });
          break;
        }
        const verdict = verifyPage(request, answer);
        if (!verdict.ok) {
          env.score(node.peerId, 'badResponse', `${verdict.code}: ${verdict.reason}`);
          env.log.warn('communities: a storage node served a bad page', { peerId: node.peerId, code: verdict.code });
          break;
        }
        await d.ingest.takePage(
          row.topic,
          answer.items.map((i) => i.envelope),
          { peer: node.peerId, via: 'storage' },
        );
        // The page's ratchet advances are sealed before its cursor moves: a crash in between
        // replays the page (its envelopes are known by hash), it never skips one (docs §18).
        await env.groups.run(row.id, () => env.groups.flush(row.id));
        if (answer.items.length > 0) after = answer.items[answer.items.length - 1]!.seq;
        const saved = env.repo.get(row.id);
        if (saved)
          env.repo.save({
            ...saved,
            data: { ...saved.data, cursors: { ...saved.data.cursors, [node.peerId]: after } },
          });
        if (answer.next === null) break;
      }
    }
  }

  /** A connected peer's storage offer, if it is a storage node. */
  async function info(peerId: string): Promise<StorageInfo | undefined> {
    try {
      return StorageInfo.parse(await ask(peerId, { v: 1, t: 'info' }));
    } catch {
      return undefined;
    }
  }

  return {
    grant,
    announce,
    push,
    fetch,
    info,
    nodesOf,
    controllerKey: (row: CommunityRow) => hexToBytes(controller(row).publicKey),
  };
}

export type StorageClient = ReturnType<typeof createStorageClient>;
