import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a development secret from `dir/name`, or makes one of 256 random bits (base64url) and
 * stores it there with mode 0600, so restarts reuse it and sessions survive them.
 * Returns the secret and whether it was made now.
 */
export function loadOrCreateDevSecret(
  dir: string,
  name: string,
): { secret: string; created: boolean } {
  const path = join(dir, name);
  if (existsSync(path)) {
    return { secret: readFileSync(path, 'utf8').trim(), created: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // `wx` fails if another process created the file meanwhile; then that one's secret is used.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { secret: readFileSync(path, 'utf8').trim(), created: false };
    }
    throw error;
  }
  chmodSync(path, 0o600);
  return { secret, created: true };
}
