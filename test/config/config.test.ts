import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/variables.js';
import { buildTestApp } from '../helpers/app.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('sqlite:./data/keyward.db');
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.nodeEnv).toBe('development');
    expect(config.rateLimits.perKey).toMatchObject({ limit: 600, windowMs: 60_000 });
    expect(config.trustProxy).toBe(false);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rateLimits)).toBe(true);
  });

  it('names the variable and the fix for an invalid number', () => {
    const message = problemsOf({ PORT: 'eighty' });
    expect(message).toContain('PORT');
    expect(message).toContain('whole number from 0 to 65535');
  });

  it('reports every invalid variable at once', () => {
    const message = problemsOf({
      PORT: '-1',
      NODE_ENV: 'prod',
      KEYWARD_ACCESS_TOKEN_TTL_SECONDS: '5',
    });
    expect(message).toContain('PORT');
    expect(message).toContain('NODE_ENV must be one of development, production, test');
    expect(message).toContain('KEYWARD_ACCESS_TOKEN_TTL_SECONDS');
  });

  it('rejects a clock skew above 60 seconds', () => {
    expect(problemsOf({ KEYWARD_CLOCK_SKEW_SECONDS: '61' })).toContain(
      'KEYWARD_CLOCK_SKEW_SECONDS',
    );
  });

  it('rejects an unsupported database URL without echoing it', () => {
    const password = randomBytes(12).toString('hex');
    const message = problemsOf({ KEYWARD_DATABASE_URL: `mysql://root:${password}@localhost/db` });
    expect(message).toContain('KEYWARD_DATABASE_URL');
    expect(message).not.toContain(password);
  });

  it('rejects a rate limit in the wrong form', () => {
    expect(problemsOf({ KEYWARD_RATE_LIMIT: 'lots' })).toContain('KEYWARD_RATE_LIMIT');
  });

  it('refuses to trust every proxy', () => {
    expect(problemsOf({ KEYWARD_TRUST_PROXY: '*' })).toContain('KEYWARD_TRUST_PROXY');
    expect(loadConfig({ KEYWARD_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('rejects a Redis URL of another scheme', () => {
    expect(problemsOf({ KEYWARD_REDIS_URL: 'http://127.0.0.1:6379' })).toContain(
      'KEYWARD_REDIS_URL',
    );
  });
});

describe('unknown variables', () => {
  it('lists unread KEYWARD_ variables with a near setting', () => {
    const config = loadConfig({
      KEYWARD_RATELIMIT: '10/1s',
      KEYWARD_SOMETHING_ELSE: 'x',
      KEYWARD_RATE_LIMIT: '5/1s',
      OTHER_VARIABLE: 'y',
    });

    expect(config.unknownVariables).toEqual([
      { variable: 'KEYWARD_RATELIMIT', suggestion: 'KEYWARD_RATE_LIMIT' },
      { variable: 'KEYWARD_SOMETHING_ELSE' },
    ]);
  });

  it('knows every variable of the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const firstCells = readme.split('\n').filter((line) => line.startsWith('| `'));
    const documented = firstCells
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/KEYWARD_[A-Z_]+/g)])
      .map((match) => match[0]);
    // Empty values count as unset, so every setting takes its default.
    const config = loadConfig(Object.fromEntries(documented.map((name) => [name, ''])));

    expect(documented).toContain('KEYWARD_AUDIENCE');
    expect(documented.length).toBeGreaterThan(20);
    expect(config.unknownVariables).toEqual([]);
  });
});

describe('unknown variables at start-up', () => {
  it('are logged as a warning with the likely setting', async () => {
    const test = await buildTestApp({ KEYWARD_RATELIMIT: '10/1s' });
    await test.close();

    const warning = test.logs
      .map((line) => JSON.parse(line))
      .find((entry) => entry.event === 'config.unknown_variable');
    expect(warning?.level).toBe(40);
    expect(warning?.variable).toBe('KEYWARD_RATELIMIT');
    expect(warning?.msg).toBe(
      'KEYWARD_RATELIMIT is not a keyward setting and is ignored; did you mean KEYWARD_RATE_LIMIT?',
    );
  });
});
