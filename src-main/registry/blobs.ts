// Content bytes this node holds (published files and bucket mirrors), one file per SHA-512 under
// <dataDir>/registry/blobs. Bytes land in a temp file and are renamed to their hash only once the
// hash is verified, so a failed or cut download leaves nothing half-stored.
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  openSync,
  closeSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SHA512_HEX } from '../../src-shared/registry/fields.ts';
import type { Sink } from './fetch.ts';

export interface Incoming extends Sink {
  /** Moves the verified bytes to their hash's file. */
  commit(hash: string): void;
  /** Deletes the temp file (idempotent). */
  abort(): void;
}

export interface BlobStore {
  readonly dir: string;
  has(hash: string): boolean;
  receive(): Incoming;
  read(hash: string, offset: number, length: number): { size: number; data: Uint8Array } | undefined;
  /** A readable stream of a local file (for hashing a file given by path). */
  readFile(path: string): NodeJS.ReadableStream;
  freeBytes(): number;
}

export function createBlobStore(dataDir: string): BlobStore {
  const dir = join(dataDir, 'registry', 'blobs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Temp files of a run that was killed mid-download are the only half-written files; drop them.
  for (const name of readdirSync(dir)) if (name.startsWith('tmp-')) rmSync(join(dir, name), { force: true });
  const pathOf = (hash: string) => {
    if (!SHA512_HEX.test(hash)) throw new Error('not a SHA-512 hex');
    return join(dir, hash);
  };
  return {
    dir,
    has(hash) {
      try {
        return statSync(pathOf(hash)).isFile();
      } catch {
        return false;
      }
    },
    receive() {
      const temp = join(dir, `tmp-${randomBytes(12).toString('hex')}`);
      let fd: number | undefined = openSync(temp, 'wx', 0o600);
      const close = () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      };
      return {
        write(chunk) {
          if (fd === undefined) throw new Error('the blob is closed');
          let done = 0;
          while (done < chunk.length) done += writeSync(fd, chunk, done);
        },
        commit(hash) {
          close();
          renameSync(temp, pathOf(hash));
        },
        abort() {
          close();
          rmSync(temp, { force: true });
        },
      };
    },
    read(hash, offset, length) {
      let fd: number;
      try {
        fd = openSync(pathOf(hash), 'r');
      } catch {
        return undefined;
      }
      try {
        const size = statSync(pathOf(hash)).size;
        const n = Math.max(0, Math.min(length, size - offset));
        const data = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const r = readSync(fd, data, got, n - got, offset + got);
          if (r === 0) break;
          got += r;
        }
        return { size, data: data.subarray(0, got) };
      } finally {
        closeSync(fd);
      }
    },
    readFile: (path) => createReadStream(path),
    freeBytes() {
      const s = statfsSync(dir);
      return Number(s.bavail) * Number(s.bsize);
    },
  };
}
