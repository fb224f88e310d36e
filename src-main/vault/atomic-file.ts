// Crash-safe file replacement for secrets: write a 0600 temp file, fsync, then move it into place,
// so a power cut leaves either the old file or the new one, never half of one.

import { CodedError } from '../../src-shared/errors.ts';
import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Filesystems without hard links answer link() with one of these; we then fall back to rename. */
const NO_HARDLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Writes `data` to `filePath` atomically with mode 0600. With `exclusive`, an existing file is
 * never replaced (FILE_EXISTS): link() fails atomically when the target exists, unlike rename().
 */
export async function writeFileAtomic(filePath: string, data: string, options: { exclusive: boolean }): Promise<void> {
  const dir = dirname(filePath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // the umask could only narrow it, but be exact
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    if (options.exclusive) await placeExclusive(tmp, filePath);
    else await rename(tmp, filePath);
  } finally {
    await rm(tmp, { force: true });
  }
  await syncDirectory(dir);
}

async function placeExclusive(tmp: string, filePath: string): Promise<void> {
  try {
    await link(tmp, filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CodedError('FILE_EXISTS', `${filePath} already exists`, { path: filePath });
    if (code === undefined || !NO_HARDLINKS.has(code)) throw e;
    if (await exists(filePath)) throw new CodedError('FILE_EXISTS', `${filePath} already exists`, { path: filePath });
    await rename(tmp, filePath);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable; not every platform can open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}
