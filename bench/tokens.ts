// Access token verification throughput: keyward against a bare node:crypto HS256 check,
// fast-jwt and jose. Run alone with `npx tsx bench/tokens.ts`, or through run().
import {
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createVerifier } from 'fast-jwt';
import { jwtVerify } from 'jose';
import {
  createAccessTokenIssuer,
  createAccessTokenVerifier,
  createKeyring,
} from '../src/tokens/index.js';
import { createVerifierWithHeaderCache } from '../src/tokens/verifier.js';
import {
  type ComparedMeasurement,
  type Contender,
  compareWithBaseline,
  measureInterleaved,
  printTable,
} from './lib/measure.js';

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'https://api.example.com';

/**
 * Distinct tokens, cycled so that no contender verifies one token over and over. There are
 * fewer than fast-jwt's default cache size (1000), so its cache can keep all of them.
 */
const TOKEN_COUNT = 512;

const BASELINE = 'bare node:crypto HS256';

/**
 * Creates the baseline: the least a correct HS256 check does. It decodes the header, checks
 * `alg`, computes the HMAC with a prepared KeyObject, compares in constant time, decodes the
 * claims and checks `exp`, `iss` and `aud`.
 */
function createBareVerifier(key: KeyObject): (token: string) => unknown {
  return (token) => {
    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString());
    if (header.alg !== 'HS256') throw new Error('alg is not HS256');

    const expected = createHmac('sha256', key).update(token.slice(0, secondDot)).digest();
    const signature = Buffer.from(token.slice(secondDot + 1), 'base64url');
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new Error('signature mismatch');
    }

    const claims = JSON.parse(
      Buffer.from(token.slice(firstDot + 1, secondDot), 'base64url').toString(),
    );
    if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(Date.now() / 1000)) {
      throw new Error('token expired');
    }
    if (claims.iss !== ISSUER || claims.aud !== AUDIENCE) throw new Error('iss or aud mismatch');
    return claims;
  };
}

function createContenders(secret: Buffer, tokens: readonly string[]): Contender[] {
  const key = createSecretKey(secret);
  const keyring = createKeyring({ active: { alg: 'HS256', secret } });
  const fastJwtOptions = {
    key: secret,
    algorithms: ['HS256'] as never,
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
  };

  let index = 0;
  const next = () => tokens[index++ & (TOKEN_COUNT - 1)]!;
  const bare = createBareVerifier(key);
  const verifierOptions = { keyring, issuer: ISSUER, audience: AUDIENCE };
  const keyward = createAccessTokenVerifier(verifierOptions);
  const keywardUncached = createVerifierWithHeaderCache(verifierOptions, 0);
  const fastJwt = createVerifier(fastJwtOptions);
  const fastJwtCached = createVerifier({ ...fastJwtOptions, cache: true });
  const joseOptions = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE };

  return [
    { name: BASELINE, run: () => bare(next()) },
    { name: 'keyward, all rules, no cache', run: () => keyward(next()) },
    { name: 'keyward, header cache off too', run: () => keywardUncached(next()) },
    { name: 'fast-jwt 6, no cache', run: () => fastJwt(next()) },
    { name: 'fast-jwt 6, cache: true', run: () => fastJwtCached(next()) },
    { name: 'jose 6 jwtVerify', run: () => jwtVerify(next(), key, joseOptions), async: true },
  ];
}

/** Issues the tokens, checks that every contender accepts them, then measures. */
export async function run(options = { rounds: 31, roundMs: 100 }): Promise<ComparedMeasurement[]> {
  const secret = randomBytes(32);
  const keyring = createKeyring({ active: { alg: 'HS256', secret } });
  const issuer = createAccessTokenIssuer({
    keyring,
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: 3600,
  });
  const tokens = Array.from(
    { length: TOKEN_COUNT },
    (_, index) =>
      issuer.issue({
        sub: `usr_${index.toString().padStart(20, '0')}`,
        scope: 'keys:read keys:write',
      }).token,
  );

  const contenders = createContenders(secret, tokens);
  for (const contender of contenders) await contender.run();

  console.log(
    `HS256 verify, ${tokens[0]!.length}-byte tokens, ` +
      `${options.rounds} alternating rounds of ${options.roundMs} ms`,
  );
  const results = compareWithBaseline(await measureInterleaved(contenders, options), BASELINE);
  printTable(results);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
