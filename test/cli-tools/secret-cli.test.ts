import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/secrets/index.js';
import { fixtureEntry, runCli } from './run.js';

const run = (args: string[], options?: Parameters<typeof runCli>[2]) =>
  runCli(fixtureEntry, args, options);

describe('keyward secret generate', () => {
  it('prints a 32-byte base64url secret by default', async () => {
    const result = await run(['secret', 'generate']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
  });

  it('honours --bytes and --encoding', async () => {
    const result = await run(['secret', 'generate', '--bytes', '64', '--encoding', 'hex']);

    expect(result.stdout).toMatch(/^[0-9a-f]{128}\n$/);
  });

  it('prints a .env line with --env', async () => {
    const result = await run([
      'secret',
      'generate',
      '--env',
      '--encoding',
      'base64',
      '--bytes',
      '48',
    ]);

    expect(result.stdout).toMatch(/^KEYWARD_JWT_SECRET=[A-Za-z0-9+/]{64}\n$/);
  });

  it('rejects an unsupported size', async () => {
    const result = await run(['secret', 'generate', '--bytes', '16']);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("argument '16' is invalid");
  });
});

describe('keyward secret check', () => {
  it('judges a generated secret strong and never echoes it', async () => {
    const secret = generateSecret();
    const result = await run(['secret', 'check'], { input: `${secret}\n` });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('length: 43 bytes');
    expect(result.stdout).toMatch(/estimated entropy: \d+ bits/);
    expect(result.stdout).toContain('verdict: strong');
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('exits 1 with reasons for a weak secret', async () => {
    const result = await run(['secret', 'check'], { input: 'your-256-bit-secret\n' });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('verdict: weak');
    expect(result.stdout).toContain('- it is a well-known default or commonly used secret');
    expect(result.stdout).not.toContain('your-256-bit-secret');
  });

  it('reads a .env line and prints JSON', async () => {
    const secret = generateSecret({ encoding: 'hex' });
    const result = await run(['secret', 'check', '--json'], {
      input: `KEYWARD_JWT_SECRET=${secret}\n`,
    });

    expect(JSON.parse(result.stdout)).toMatchObject({
      lengthBytes: 64,
      verdict: 'strong',
      reasons: [],
    });
  });

  it('exits 2 on empty input', async () => {
    const result = await run(['secret', 'check']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('keyward: Nothing was read from stdin.\n');
  });
});

describe('keyward secret rotate', () => {
  it('prints the next pair and warns on stderr', async () => {
    const current = generateSecret();
    const older = generateSecret();
    const env = { KEYWARD_JWT_SECRET: current, KEYWARD_JWT_PREVIOUS_SECRETS: older };
    const result = await run(['secret', 'rotate', '--env'], { env });
    const [secretLine, previousLine] = result.stdout.trimEnd().split('\n');

    expect(result.code).toBe(0);
    expect(secretLine).toMatch(/^KEYWARD_JWT_SECRET=[A-Za-z0-9_-]{43}$/);
    expect(secretLine).not.toContain(current);
    expect(previousLine).toBe(`KEYWARD_JWT_PREVIOUS_SECRETS=${current},${older}`);
    expect(result.stderr).toContain('access-token lifetime');
    expect(result.stderr).not.toContain(current);
  });

  it('prints JSON with --json', async () => {
    const current = generateSecret();
    const result = await run(['secret', 'rotate', '--json', '--encoding', 'hex'], {
      env: { KEYWARD_JWT_SECRET: current },
    });

    expect(JSON.parse(result.stdout)).toEqual({
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousSecrets: [current],
    });
  });

  it('exits 2 when KEYWARD_JWT_SECRET is not set', async () => {
    const result = await run(['secret', 'rotate', '--env']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('KEYWARD_JWT_SECRET is not set');
  });
});
