import { describe, expect, it, vi } from 'vitest';
import { cacheVerifiedTokens } from '../../src/auth/token-cache.js';
import {
  createSessionDenylist,
  rejectRevokedSessions,
  skipRevokedSessions,
} from '../../src/distributed/session-denylist.js';
import { isKeywardError } from '../../src/errors/index.js';
import {
  createAccessTokenIssuer,
  createAccessTokenVerifier,
  createKeyring,
} from '../../src/tokens/index.js';
import { AUDIENCE, ISSUER, NOW_MS, randomSecret } from '../tokens/helpers.js';

const TTL_SECONDS = 900;
const SKEW_SECONDS = 30;

/** Builds a real verifier and issuer on a clock the test moves, with the cache in front. */
function setup(maxEntries = 100) {
  let time = NOW_MS;
  const clock = () => time;
  const keyring = createKeyring({ active: { alg: 'HS256', secret: randomSecret() } });
  const options = { keyring, issuer: ISSUER, audience: AUDIENCE, now: clock };
  const verifier = vi.fn(createAccessTokenVerifier({ ...options, clockSkewSeconds: SKEW_SECONDS }));
  const { issue } = createAccessTokenIssuer({ ...options, ttlSeconds: TTL_SECONDS });
  const cache = cacheVerifiedTokens(verifier, {
    maxEntries,
    clockSkewSeconds: SKEW_SECONDS,
    now: clock,
  });
  return { cache, verifier, issue, clock, advance: (ms: number) => (time += ms) };
}

function reasonOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    expect(isKeywardError(error)).toBe(true);
    return (error as { code: string; details: { reason?: string } }).details.reason;
  }
  throw new Error('expected a rejection');
}

describe('verified token cache', () => {
  it('serves a repeated token from the cache', () => {
    const { cache, verifier, issue } = setup();
    const { token } = issue({ sub: 'usr_1', scope: 'keys:read' });

    const first = cache.verify(token);
    const second = cache.verify(token);

    expect(second).toBe(first);
    expect(second.sub).toBe('usr_1');
    expect(verifier).toHaveBeenCalledTimes(1);
  });

  it('looks up a verified token without the verifier, and nothing else', () => {
    const { cache, verifier, issue } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    expect(cache.lookup(token)).toBeUndefined();

    const claims = cache.verify(token);

    expect(cache.lookup(token)).toBe(claims);
    expect(cache.lookup(`${token} `)).toBeUndefined();
    expect(cache.lookup(token.slice(1))).toBeUndefined();
    expect(verifier).toHaveBeenCalledTimes(1);
  });

  it('compares the whole token, not only the end that keys the map', () => {
    const { cache, verifier, issue } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    cache.verify(token);
    // Same signature, other payload: the map key matches and the token does not.
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'usr_2' })).toString(
      'base64url',
    );
    const spliced = `${header}.${otherPayload}.${signature}`;

    expect(cache.lookup(spliced)).toBeUndefined();
    expect(reasonOf(() => cache.verify(spliced))).toBe('signature_invalid');
    expect(verifier).toHaveBeenCalledTimes(2);
    expect(cache.verify(token).sub).toBe('usr_1');
    expect(verifier).toHaveBeenCalledTimes(2);
  });

  it('derives the looked-up value once per cached token', () => {
    const { verifier, issue, clock } = setup();
    const derive = vi.fn((claims: { sub: string }) => ({ principal: claims.sub }));
    const cache = cacheVerifiedTokens(verifier, {
      clockSkewSeconds: SKEW_SECONDS,
      now: clock,
      derive,
    });
    const { token } = issue({ sub: 'usr_1', scope: '' });
    cache.verify(token);

    const first = cache.lookup(token);
    const second = cache.lookup(token);

    expect(first).toEqual({ principal: 'usr_1' });
    expect(second).toBe(first);
    expect(derive).toHaveBeenCalledTimes(1);
  });

  it('finds nothing outside the validity window', () => {
    const { cache, issue, advance } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    cache.verify(token);

    advance(-SKEW_SECONDS * 1000 - 1);
    expect(cache.lookup(token)).toBeUndefined();
    advance(SKEW_SECONDS * 1000 + 1);
    expect(cache.lookup(token)?.sub).toBe('usr_1');
    advance((TTL_SECONDS + SKEW_SECONDS) * 1000);
    expect(cache.lookup(token)).toBeUndefined();
  });

  it('rejects a cached token once exp plus the skew has passed', () => {
    const { cache, verifier, issue, advance } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    cache.verify(token);

    advance((TTL_SECONDS + SKEW_SECONDS) * 1000 - 1);
    expect(cache.verify(token).sub).toBe('usr_1');
    expect(verifier).toHaveBeenCalledTimes(1);
    advance(1);

    expect(reasonOf(() => cache.verify(token))).toBe('expired');
    expect(verifier).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('rejects a cached token after the clock steps back', () => {
    const { cache, verifier, issue, advance } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    cache.verify(token);

    advance(-SKEW_SECONDS * 1000);
    expect(cache.verify(token).sub).toBe('usr_1');
    expect(verifier).toHaveBeenCalledTimes(1);
    advance(-1000);

    expect(reasonOf(() => cache.verify(token))).toBe('issued_in_future');
    expect(verifier).toHaveBeenCalledTimes(2);
    advance(1000);
    expect(cache.verify(token).sub).toBe('usr_1');
    expect(verifier).toHaveBeenCalledTimes(2);
  });

  it('does not cache a rejected token', () => {
    const { cache, verifier, issue } = setup();
    const { token } = issue({ sub: 'usr_1', scope: '' });
    // Change the first signature character to another one, so the forgery always differs.
    const signatureStart = token.lastIndexOf('.') + 1;
    const replacement = token[signatureStart] === 'A' ? 'B' : 'A';
    const forged = `${token.slice(0, signatureStart)}${replacement}${token.slice(signatureStart + 1)}`;

    expect(reasonOf(() => cache.verify(forged))).toBe('signature_invalid');
    expect(reasonOf(() => cache.verify(forged))).toBe('signature_invalid');
    expect(verifier).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('rejects a revoked session on a cache hit', () => {
    const { cache, issue } = setup();
    const denylist = createSessionDenylist({ ttlMs: 60_000 });
    const verify = rejectRevokedSessions(cache.verify, denylist.isSessionRevoked);
    const { token } = issue({ sub: 'usr_1', scope: '', sid: 'ses_1' });
    expect(verify(token).sub).toBe('usr_1');
    expect(cache.size).toBe(1);

    denylist.add(['ses_1']);

    expect(reasonOf(() => verify(token))).toBe('session_revoked');
  });

  it('finds no token of a revoked session on lookup', () => {
    const { cache, issue } = setup();
    const denylist = createSessionDenylist({ ttlMs: 60_000 });
    const lookup = skipRevokedSessions(cache.lookup, denylist.isSessionRevoked);
    const { token } = issue({ sub: 'usr_1', scope: '', sid: 'ses_1' });
    cache.verify(token);
    expect(lookup(token)?.sub).toBe('usr_1');

    denylist.add(['ses_1']);

    expect(lookup(token)).toBeUndefined();
    expect(cache.lookup(token)?.sub).toBe('usr_1');
  });

  it('holds at most maxEntries tokens and drops the oldest', () => {
    const { cache, verifier, issue } = setup(2);
    const tokens = ['usr_1', 'usr_2', 'usr_3'].map((sub) => issue({ sub, scope: '' }).token);
    for (const token of tokens) cache.verify(token);

    expect(cache.size).toBe(2);
    expect(tokens.map((token) => cache.lookup(token)?.sub)).toEqual([undefined, 'usr_2', 'usr_3']);
    cache.verify(tokens[0]!);
    expect(verifier).toHaveBeenCalledTimes(4);
  });

  it('returns frozen claims', () => {
    const { cache, issue } = setup();
    const claims = cache.verify(issue({ sub: 'usr_1', scope: '' }).token);

    expect(Object.isFrozen(claims)).toBe(true);
  });

  it('rejects invalid options', () => {
    const verify = () => ({ exp: 0 });

    expect(() => cacheVerifiedTokens(verify, { clockSkewSeconds: 30, maxEntries: 0 })).toThrow(
      RangeError,
    );
    expect(() => cacheVerifiedTokens(verify, { clockSkewSeconds: -1 })).toThrow(RangeError);
  });
});
