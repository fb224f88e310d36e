// Local content entering the node as blobs: uploads in chunks through the API, files of this
// machine by path, and probing a URL for its hash, size and type. Every path hashes while it
// writes and keeps the bytes only under their verified hash.
import { createHash, randomBytes } from 'node:crypto';
import { b64urlToBytes } from '../../src-shared/identity/jws.ts';
import { overlayUri } from '../../src-shared/registry/fields.ts';
import { registryFail } from '../../src-shared/registry/errors.ts';
import type { BlobStore, Incoming } from './blobs.ts';
import type { RegistryRepo } from './repo.ts';

interface Upload {
  incoming: Incoming;
  hasher: ReturnType<typeof createHash>;
  size: number;
  lastAt: number;
}

const UPLOAD_IDLE_MS = 10 * 60_000;
const MAX_UPLOADS = 8;

export interface ContentDeps {
  readonly blobs: BlobStore;
  readonly repo: RegistryRepo;
  readonly maxBytes: number;
  readonly peerId: () => string;
  readonly now: () => number;
  readonly stored: (hash: string) => Promise<void>;
}

export function createContentIntake(d: ContentDeps) {
  const uploads = new Map<string, Upload>();

  function sweep(): void {
    for (const [id, u] of uploads) {
      if (d.now() - u.lastAt > UPLOAD_IDLE_MS) {
        u.incoming.abort();
        uploads.delete(id);
      }
    }
  }

  async function keep(hash: string, size: number, incoming: Incoming) {
    incoming.commit(hash);
    d.repo.addBlob(hash, size, 'upload', d.now());
    await d.stored(hash);
    return { hash, size, uri: overlayUri(d.peerId(), hash) };
  }

  return {
    async upload(p: { uploadId?: string; data: string; done: boolean }) {
      sweep();
      let id = p.uploadId;
      let u = id ? uploads.get(id) : undefined;
      if (id && !u) registryFail('NOT_FOUND', 'no such upload (finished, or idle for 10 minutes)');
      if (!u) {
        if (uploads.size >= MAX_UPLOADS) registryFail('CONTENT_TOO_LARGE', `at most ${MAX_UPLOADS} uploads at a time`);
        id = randomBytes(12).toString('hex');
        u = { incoming: d.blobs.receive(), hasher: createHash('sha512'), size: 0, lastAt: d.now() };
        uploads.set(id, u);
      }
      const bytes = b64urlToBytes(p.data);
      if (!bytes) {
        u.incoming.abort();
        uploads.delete(id!);
        registryFail('FIELD_INVALID', 'data is base64url without padding');
      }
      u.size += bytes.length;
      if (u.size > d.maxBytes) {
        u.incoming.abort();
        uploads.delete(id!);
        registryFail('CONTENT_TOO_LARGE', `the file is over this node's ${d.maxBytes}-byte cap`);
      }
      u.hasher.update(bytes);
      u.incoming.write(bytes);
      u.lastAt = d.now();
      if (!p.done) return { uploadId: id!, received: u.size, hash: null, size: null, uri: null };
      uploads.delete(id!);
      const kept = await keep(u.hasher.digest('hex'), u.size, u.incoming);
      return { uploadId: id!, received: u.size, ...kept };
    },
    async addFile(path: string) {
      const incoming = d.blobs.receive();
      const hasher = createHash('sha512');
      let size = 0;
      try {
        for await (const chunk of d.blobs.readFile(path)) {
          const bytes = chunk as Uint8Array;
          size += bytes.length;
          if (size > d.maxBytes)
            registryFail('CONTENT_TOO_LARGE', `the file is over this node's ${d.maxBytes}-byte cap`);
          hasher.update(bytes);
          incoming.write(bytes);
        }
      } catch (err) {
        incoming.abort();
        if ((err as { code?: string }).code === 'ENOENT') registryFail('NOT_FOUND', `no file at ${path}`);
        throw err;
      }
      return keep(hasher.digest('hex'), size, incoming);
    },
    abortAll(): void {
      for (const u of uploads.values()) u.incoming.abort();
      uploads.clear();
    },
  };
}
