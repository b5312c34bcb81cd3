import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/secrets/index.js';
import { hmacToken, nowSeconds } from '../inspector/tokens.js';
import { fixtureEntry, runCli } from './run.js';

const run = (args: string[], options?: Parameters<typeof runCli>[2]) =>
  runCli(fixtureEntry, args, options);

describe('keyward token decode', () => {
  it('prints header and claims', async () => {
    const { token } = await hmacToken({ claims: { sub: 'usr_7' } });
    const result = await run(['token', 'decode', token]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"alg": "HS256"');
    expect(result.stdout).toContain('"sub": "usr_7"');
    expect(result.stdout).toContain('signature: 32 bytes (not verified)');
  });

  it('reads the token from stdin with - and prints JSON', async () => {
    const { token } = await hmacToken();
    const result = await run(['token', 'decode', '-', '--json'], { input: `${token}\n` });

    expect(JSON.parse(result.stdout)).toMatchObject({
      header: { typ: 'at+jwt' },
      claims: { aud: 'api' },
      signatureBytes: 32,
    });
  });

  it('exits 2 with a clear message for a malformed token', async () => {
    const result = await run(['token', 'decode', 'abc.def']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'keyward: The token has 2 segments, but a JWS has 3: header.payload.signature.\n',
    );
  });
});

describe('keyward token audit', () => {
  it('exits 0 without serious findings', async () => {
    const { token } = await hmacToken();
    const result = await run([
      'token',
      'audit',
      token,
      '--iss',
      'https://auth.test',
      '--aud',
      'api',
      '--typ',
      'at+jwt',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^info {5}expires: The token expires in 1[45] minutes/m);
  });

  it('exits 1 when a finding is serious', async () => {
    const now = nowSeconds();
    const { token } = await hmacToken({
      claims: { iat: now - 7200, exp: now - 3600 },
      secret: 'keyboard cat',
    });
    const result = await run(['token', 'audit', token]);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^serious {2}expired: The token expired 1 hour ago/m);
    expect(result.stdout).toMatch(/^serious {2}weak_secret: /m);
  });

  it('prints findings as JSON and checks --aud', async () => {
    const { token } = await hmacToken();
    const result = await run(['token', 'audit', token, '--aud', 'billing', '--json']);
    const { findings } = JSON.parse(result.stdout) as {
      findings: { id: string; severity: string }[];
    };

    expect(result.code).toBe(1);
    expect(findings).toContainEqual(
      expect.objectContaining({ id: 'unexpected_aud', severity: 'serious' }),
    );
  });
});

describe('keyward token verify', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let signed: { token: string; publicJwk: jose.JWK; publicPem: string };
  const folder = tmpdir();

  beforeAll(async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true });
    const publicJwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
    const token = await new jose.SignJWT({ sub: 'usr_1' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .sign(privateKey);
    signed = { token, publicJwk, publicPem: await jose.exportSPKI(publicKey) };

    jwksServer = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts the secret from stdin', async () => {
    const { token, secret } = await hmacToken();
    const result = await run(['token', 'verify', token, '--secret-stdin'], {
      input: `${secret}\n`,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('signature valid (HS256)\n');
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('exits 1 for a wrong secret', async () => {
    const { token } = await hmacToken();
    const result = await run(['token', 'verify', token, '--secret-stdin', '--json'], {
      input: generateSecret(),
    });

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      alg: 'HS256',
      reason: 'The signature does not match this key.',
    });
  });

  it('accepts a PEM key file and a JWK key file', async () => {
    const pemFile = join(folder, `keyward-test-${process.pid}.pem`);
    const jwkFile = join(folder, `keyward-test-${process.pid}.jwk.json`);
    writeFileSync(pemFile, signed.publicPem);
    writeFileSync(jwkFile, JSON.stringify(signed.publicJwk));

    expect((await run(['token', 'verify', signed.token, '--key', pemFile])).stdout).toBe(
      'signature valid (EdDSA)\n',
    );
    expect((await run(['token', 'verify', signed.token, '--key', jwkFile])).stdout).toBe(
      'signature valid (EdDSA)\n',
    );
  });

  it('accepts a JWK Set URL on loopback', async () => {
    const result = await run(['token', 'verify', '-', '--jwks', jwksUrl], { input: signed.token });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('signature valid (EdDSA)\n');
  });

  it('exits 2 without exactly one key source', async () => {
    const none = await run(['token', 'verify', signed.token]);
    const two = await run(['token', 'verify', signed.token, '--jwks', jwksUrl, '--key', 'x.pem']);

    expect(none.code).toBe(2);
    expect(none.stderr).toBe('keyward: Give exactly one of --secret-stdin, --key and --jwks.\n');
    expect(two.code).toBe(2);
  });

  it('exits 2 for a missing key file', async () => {
    const result = await run([
      'token',
      'verify',
      signed.token,
      '--key',
      join(folder, 'keyward-no-such-key.pem'),
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot be read (ENOENT)');
  });
});
