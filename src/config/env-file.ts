import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Merges the variables of an optional `.env` file under the real environment: a variable set in
 * the environment wins over the file, so a deployment can override a developer's file.
 */
export function withEnvFile(
  env: Readonly<Record<string, string | undefined>>,
  path = '.env',
): Record<string, string | undefined> {
  if (!existsSync(path)) {
    return { ...env };
  }
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}
