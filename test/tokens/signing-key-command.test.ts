import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSigningKeyCommand } from '../../src/cli/commands/signing-key.js';
import { createKeyring, keyringOptionsFromSettings } from '../../src/tokens/index.js';

/** Runs `keyward signing-key ...` with captured output. */
async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const program = new Command('keyward').exitOverride();
  program.configureOutput({
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
  });
  registerSigningKeyCommand(program, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  await program.parseAsync(['signing-key', ...args], { from: 'user' });
  return { stdout, stderr };
}

/** Parses `NAME=value` and `NAME='value'` lines of a .env file. */
function parseEnv(text: string): Record<string, string> {
  const entries = text
    .trim()
    .split('\n')
    .map((line) => line.match(/^([A-Z_]+)=(?:'(.*)'|(.*))$/)!)
    .map((match) => [match[1]!, match[2] ?? match[3]!]);
  return Object.fromEntries(entries);
}

describe('keyward signing-key generate', () => {
  it('prints an Ed25519 PKCS#8 PEM to stdout and a warning to stderr', async () => {
    const { stdout, stderr } = await run('generate');
    expect(stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(stderr).toContain('warning: stdout holds a private signing key');
    expect(stderr).not.toContain('PRIVATE KEY');

    const keyring = createKeyring(
      keyringOptionsFromSettings({ algorithm: 'EdDSA', signingKey: stdout }),
    );
    expect(stderr).toContain(`kid: ${keyring.active.kid}`);
  });

  it('prints .env lines that the settings accept', async () => {
    const { stdout } = await run('generate', '--alg', 'ES256', '--env');
    const env = parseEnv(stdout);
    expect(env.KEYWARD_JWT_ALGORITHM).toBe('ES256');
    const options = keyringOptionsFromSettings({
      algorithm: env.KEYWARD_JWT_ALGORITHM,
      signingKey: env.KEYWARD_JWT_SIGNING_KEY,
    });
    expect(createKeyring(options).active.alg).toBe('ES256');
  });

  it('prints JSON with the private and public forms', async () => {
    const { stdout } = await run('generate', '--json');
    const key = JSON.parse(stdout);
    expect(Object.keys(key).sort()).toEqual([
      'alg',
      'kid',
      'privateJwk',
      'privateKeyPem',
      'publicJwk',
    ]);
    expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('prints a public JWKS that KEYWARD_JWT_PREVIOUS_SIGNING_KEYS accepts', async () => {
    const { stdout, stderr } = await run('generate');
    const jwks = stderr.match(/rotation: (\{.*\})\n/)![1]!;
    expect(jwks).not.toContain('"d"');
    const options = keyringOptionsFromSettings({
      algorithm: 'EdDSA',
      signingKey: (await run('generate')).stdout,
      previousSigningKeys: jwks,
    });
    const previousKid = createKeyring(
      keyringOptionsFromSettings({ algorithm: 'EdDSA', signingKey: stdout }),
    ).active.kid;
    expect(createKeyring(options).find(previousKid)?.state).toBe('verifyOnly');
  });

  it('rejects an algorithm other than EdDSA or ES256', async () => {
    await expect(run('generate', '--alg', 'HS256')).rejects.toThrow(
      /Allowed choices are EdDSA, ES256/,
    );
  });

  it('rejects --env together with --json', async () => {
    await expect(run('generate', '--env', '--json')).rejects.toThrow(
      /cannot be used with option '--json'/,
    );
  });
});
