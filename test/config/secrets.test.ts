import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { tempDataDir } from '../helpers/server-process.js';

const strong = () => randomBytes(32).toString('base64url');

function devConfig(extra: Record<string, string> = {}) {
  const dir = tempDataDir();
  return {
    dir,
    config: loadConfig({ KEYWARD_DATABASE_URL: `sqlite:${join(dir, 'k.db')}`, ...extra }),
  };
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected start-up to fail');
}

describe('start-up secrets', () => {
  it('generates a development secret once with mode 0600 and reuses it', () => {
    const { dir, config } = devConfig();
    const first = resolveSecrets(config);
    const path = join(dir, 'jwt-secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.secrets.jwt.secret).toBe(readFileSync(path, 'utf8').trim());
    expect(first.secrets.jwt.secret).toHaveLength(43);
    expect(first.warnings.map((w) => w.variable)).toContain('KEYWARD_JWT_SECRET');

    const second = resolveSecrets(config);
    expect(second.secrets.jwt.secret).toBe(first.secrets.jwt.secret);
    expect(second.secrets.apiKeyPepper).toBe(first.secrets.apiKeyPepper);
  });

  it('refuses an unset secret in production', () => {
    const { config } = devConfig({ NODE_ENV: 'production', KEYWARD_API_KEY_PEPPER: strong() });
    expect(failure(() => resolveSecrets(config))).toContain(
      'KEYWARD_JWT_SECRET must be set in production',
    );
  });

  it('refuses short, guessable and well-known secrets in production without echoing them', () => {
    for (const secret of [
      'short-secret',
      'your-256-bit-secret',
      'a'.repeat(64),
      'passwordpasswordpasswordpasswordpassword',
    ]) {
      const { config } = devConfig({
        NODE_ENV: 'production',
        KEYWARD_JWT_SECRET: secret,
        KEYWARD_API_KEY_PEPPER: strong(),
      });
      const message = failure(() => resolveSecrets(config));
      expect(message, secret).toContain('KEYWARD_JWT_SECRET is weak');
      expect(message, secret).not.toContain(secret);
    }
  });

  it('accepts strong secrets in production', () => {
    const { config } = devConfig({
      NODE_ENV: 'production',
      KEYWARD_JWT_SECRET: strong(),
      KEYWARD_API_KEY_PEPPER: strong(),
    });
    expect(resolveSecrets(config).warnings).toEqual([]);
  });

  it('warns about a weak secret in development', () => {
    const { config } = devConfig({
      KEYWARD_JWT_SECRET: 'secret',
      KEYWARD_API_KEY_PEPPER: strong(),
    });
    const { warnings } = resolveSecrets(config);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.variable).toBe('KEYWARD_JWT_SECRET');
  });
  it('refuses to invent secrets for a second process such as the CLI', () => {
    const { dir, config } = devConfig();
    const message = failure(() => resolveSecrets(config, { generateSecrets: false }));
    expect(message).toContain('KEYWARD_API_KEY_PEPPER is not set');
    expect(message).toContain('set it to the value the server uses');
    expect(existsSync(join(dir, 'api-key-pepper'))).toBe(false);

    const server = resolveSecrets(config);
    const cli = resolveSecrets(config, { generateSecrets: false });
    expect(cli.secrets.apiKeyPepper).toBe(server.secrets.apiKeyPepper);
  });
});
