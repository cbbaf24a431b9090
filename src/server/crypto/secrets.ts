// Secrets stored at rest (queue credentials, later repository tokens) are
// encrypted with AES-256-GCM. The key comes from WHETSTONE_SECRET_KEY (base64,
// 32 bytes), else is generated once and kept 0600 in the data directory (both in env.ts).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { settings } from '@/server/env';

type Environment = Record<string, string | undefined>;

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

let cachedKey: Buffer | undefined;

/** `v1:<iv>:<tag>:<ciphertext>`, each base64url. */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKey(), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
}

/** Throws when the value was tampered with or encrypted under another key. */
export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(':');
  if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
    throw new Error('Cannot decrypt secret: unknown format');
  }
  const decipher = createDecipheriv('aes-256-gcm', secretKey(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('Cannot decrypt secret: it was encrypted with another WHETSTONE_SECRET_KEY, or altered');
  }
}

/** Where the generated key lives when WHETSTONE_SECRET_KEY is not set. */
export function secretKeyPath(environment: Environment = process.env): string {
  const dataDir = settings(environment).WHETSTONE_DATA_DIR ?? join(repoRoot(), '.whetstone');
  return join(resolve(dataDir), 'secret-key');
}

/** The web (bundled by Next.js) and the engine both run from the repo: find it from the working directory. */
function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function secretKey(): Buffer {
  cachedKey ??= loadKey();
  return cachedKey;
}

/** @internal exported for tests. */
export function loadKey(environment: Environment = process.env): Buffer {
  // settings() has checked it is 32 bytes of base64.
  const fromEnv = settings(environment).WHETSTONE_SECRET_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  const path = secretKeyPath(environment);
  if (existsSync(path)) return decodeKey(readFileSync(path, 'utf8').trim(), path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  // Written whole to a temporary file, then hard-linked into place: of two processes creating it
  // at once (web and engine), one wins and the other reads the winner's complete key.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(readFileSync(path, 'utf8').trim(), path);
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function decodeKey(value: string, source: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${source} must be ${KEY_BYTES} bytes, base64-encoded (openssl rand -base64 32)`);
  return key;
}
