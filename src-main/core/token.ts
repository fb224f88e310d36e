// The API bearer token: 32 random bytes in <dataDir>/api-token (0600), made on first start.
// Whoever can read the data directory can drive the node; nobody else can.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOKEN_FILE = 'api-token';

export function ensureApiToken(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(token)) return token;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

export function readApiToken(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  if (!existsSync(file)) throw new Error(`no API token at ${file}: is a node running with --data-dir ${dataDir}?`);
  return readFileSync(file, 'utf8').trim();
}
