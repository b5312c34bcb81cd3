// Property-based fuzzing of the verifier: whatever the input, it either returns claims of a
// token signed by the right key or raises KeywardError invalid_token, and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeywardError } from '../../src/errors/index.js';
import type { AccessTokenClaims } from '../../src/tokens/index.js';
import {
  AUDIENCE,
  craftToken,
  createHs256Fixture,
  createPair,
  header,
  hs256,
  ISSUER,
  NOW_SECONDS,
  validClaims,
} from './helpers.js';
import { buildToken, keyring, tokenSpec } from './token-corpus.js';

const { verify } = createPair(keyring);
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

/** Returns the claims, or undefined when the token was rejected with invalid_token. */
function outcome(
  verifyToken: (token: string) => AccessTokenClaims,
  token: string,
): AccessTokenClaims | undefined {
  try {
    return verifyToken(token);
  } catch (error) {
    if (isKeywardError(error, 'invalid_token') && typeof error.details.reason === 'string')
      return undefined;
    throw error;
  }
}

const base64urlChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. '.split(''),
);

describe('verifier fuzzing', () => {
  it('rejects random strings with invalid_token only', () => {
    const inputs = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: base64urlChar, maxLength: 600 }),
      fc.string({ minLength: 8000, maxLength: 9000, unit: base64urlChar }),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        expect(outcome(verify, input)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects random bytes in three segments with invalid_token only', () => {
    const segment = fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) => Buffer.from(bytes).toString('base64url'));
    fc.assert(
      fc.property(segment, segment, segment, (head, payload, signature) => {
        expect(outcome(verify, `${head}.${payload}.${signature}`)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a mutated token or one signed by another key', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 64 }),
      fc.constantFrom('flip', 'delete', 'insert', 'swap'),
    );
    fc.assert(
      fc.property(tokenSpec, edit, (spec, [position, charIndex, kind]) => {
        const generated = buildToken(spec);
        expect(outcome(verify, mutate(generated.token, position, charIndex, kind))).toBeUndefined();
        if (!generated.signedByRightKey) expect(outcome(verify, generated.token)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('returns only claims that meet the policy from signed random JSON', () => {
    const { secret, kid, verify: verifyHs } = createHs256Fixture();
    const extra = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 6,
    });
    const override = fc.dictionary(
      fc.constantFrom('iss', 'aud', 'sub', 'jti', 'iat', 'exp', 'nbf', 'scope'),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(extra, override, (extraClaims, overrides) => {
        const token = craftToken(
          header(kid),
          { ...validClaims(), ...extraClaims, ...overrides },
          hs256(secret),
        );
        const claims = outcome(verifyHs, token);
        if (claims === undefined) return;

        expect(claims.iss).toBe(ISSUER);
        expect(
          claims.aud === AUDIENCE || (Array.isArray(claims.aud) && claims.aud.includes(AUDIENCE)),
        ).toBe(true);
        expect(claims.exp).toBeGreaterThan(NOW_SECONDS - 30);
        expect(Number.isSafeInteger(claims.iat)).toBe(true);
        expect(claims.iat).toBeLessThanOrEqual(NOW_SECONDS + 30);
        expect(claims.sub).toBeTypeOf('string');
        expect(claims.sub).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves Object.prototype unchanged', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  });
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** Applies one edit; every edit changes the token. */
function mutate(token: string, position: number, charIndex: number, kind: string): string {
  const at = position % token.length;
  if (kind === 'delete') return token.slice(0, at) + token.slice(at + 1);
  if (kind === 'insert')
    return token.slice(0, at) + ALPHABET[charIndex % ALPHABET.length] + token.slice(at);
  if (kind === 'swap') {
    const [head, payload, signature] = token.split('.');
    return payload === head ? `${token}.` : `${payload}.${head}.${signature}`;
  }
  const replacement = ALPHABET[charIndex % ALPHABET.length]!;
  const different =
    replacement === token[at] ? ALPHABET[(charIndex + 1) % ALPHABET.length]! : replacement;
  return token.slice(0, at) + different + token.slice(at + 1);
}
