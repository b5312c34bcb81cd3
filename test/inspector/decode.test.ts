import { describe, expect, it } from 'vitest';
import { decodeJwt, maxTokenLength } from '../../src/inspector/index.js';
import { hmacToken, rawToken } from './tokens.js';

function decodeError(token: string): { code: string; message: string } {
  try {
    decodeJwt(token);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('decodeJwt accepted the token');
}

describe('decodeJwt', () => {
  it('returns header, claims, signature and segments', async () => {
    const { token } = await hmacToken({ claims: { sub: 'usr_42' } });
    const decoded = decodeJwt(token);

    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(decoded.claims.sub).toBe('usr_42');
    expect(decoded.signature).toHaveLength(32);
    expect(`${decoded.signingInput}.${decoded.segments.signature}`).toBe(token);
  });

  it('accepts a Bearer prefix, quotes and whitespace', async () => {
    const { token } = await hmacToken();

    expect(decodeJwt(`  Bearer ${token}\n`).segments.signature).toBe(token.split('.')[2]);
    expect(decodeJwt(`"${token}"`).claims.sub).toBe('usr_1');
  });

  it('decodes an unsigned token with an empty signature', () => {
    expect(decodeJwt(rawToken({ alg: 'none' }, { sub: 'x' })).signature).toHaveLength(0);
  });

  it('rejects empty input', () => {
    expect(decodeError('   ')).toMatchObject({
      code: 'invalid_token',
      message: 'The token is empty.',
    });
  });

  it('rejects the wrong number of segments', () => {
    expect(decodeError('abc.def')).toMatchObject({
      code: 'invalid_token',
      message: 'The token has 2 segments, but a JWS has 3: header.payload.signature.',
    });
  });

  it('names an encrypted JWE', () => {
    expect(decodeError('a.b.c.d.e').message).toContain('encrypted JWE');
  });

  it('rejects invalid base64url', () => {
    expect(decodeError('ab+c.e30.sig')).toMatchObject({
      code: 'invalid_token',
      message: 'The header segment is not valid base64url.',
    });
    expect(decodeError('e30.e30=.sig').message).toBe('The payload segment is not valid base64url.');
    expect(decodeError('e30.e30.a').message).toBe('The signature segment is not valid base64url.');
  });

  it('rejects a payload that is not JSON', () => {
    const payload = Buffer.from('hello').toString('base64url');

    expect(decodeError(`e30.${payload}.`).message).toBe('The payload is not valid JSON.');
  });

  it('rejects JSON that is not an object', () => {
    const header = Buffer.from('[1]').toString('base64url');

    expect(decodeError(`${header}.e30.`).message).toBe(
      'The header is JSON but not an object, so this is not a JWT.',
    );
  });

  it('rejects invalid UTF-8', () => {
    const header = Buffer.from([0xff, 0xfe]).toString('base64url');

    expect(decodeError(`${header}.e30.`).message).toBe('The header is not valid UTF-8.');
  });

  it('rejects tokens over 16 KiB', () => {
    const claims = { data: 'x'.repeat(maxTokenLength) };

    expect(decodeError(rawToken({ alg: 'HS256' }, claims, 'sig'))).toMatchObject({
      code: 'invalid_token',
    });
    expect(decodeError(rawToken({ alg: 'HS256' }, claims, 'sig')).message).toContain(
      'over the 16384-character limit',
    );
  });

  it('keeps the token out of its messages', () => {
    const token = rawToken({ alg: 'HS256' }, { secret: 'hunter2' }, '!!');

    expect(decodeError(token).message).not.toContain('hunter2');
    expect(decodeError(token).message).not.toContain(token);
  });
});
