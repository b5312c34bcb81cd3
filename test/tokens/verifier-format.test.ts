import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES } from '../../src/tokens/index.js';
import {
  craftToken,
  createHs256Fixture,
  encodeSegment,
  expectRejected,
  header,
  hs256,
  validClaims,
} from './helpers.js';

const { secret, kid, verify, issue } = createHs256Fixture();
const sign = hs256(secret);
const valid = issue({ sub: 'usr_1', scope: 'keys:read' }).token;
const [headerSegment, payloadSegment, signatureSegment] = valid.split('.') as [
  string,
  string,
  string,
];

/** Signs a token whose payload segment is given verbatim, so only that segment is odd. */
function withPayloadSegment(segment: string): string {
  const input = `${headerSegment}.${segment}`;
  return `${input}.${sign(input)}`;
}

describe('access token size and shape', () => {
  it('accepts a token it issued', () => {
    expect(verify(valid).sub).toBe('usr_1');
  });

  it('rejects a token over 8192 bytes before decoding it', () => {
    const padding = 'a'.repeat(MAX_TOKEN_BYTES);
    const token = craftToken(header(kid), validClaims({ pad: padding }), sign);
    expect(token.length).toBeGreaterThan(MAX_TOKEN_BYTES);
    expectRejected(() => verify(token), 'token_too_large');
  });

  it('rejects 8193 dots without scanning them as parts', () => {
    expectRejected(() => verify('.'.repeat(MAX_TOKEN_BYTES + 1)), 'token_too_large');
  });

  it('accepts a signed token of exactly 8192 bytes', () => {
    // Unpadded base64url is never 1 mod 4 long, so the header and the claims both vary.
    const sized = (spaces: number, pad: number) => {
      const headerJson = JSON.stringify(header(kid)).replace('{', `{${' '.repeat(spaces)}`);
      return craftToken(headerJson, validClaims({ pad: 'x'.repeat(pad) }), sign);
    };
    const estimate = Math.floor(((MAX_TOKEN_BYTES - sized(0, 0).length) * 3) / 4);
    const candidates = [];
    for (let spaces = 0; spaces < 3; spaces++) {
      for (let pad = estimate - 4; pad <= estimate + 4; pad++) candidates.push(sized(spaces, pad));
    }
    const token = candidates.find((candidate) => candidate.length === MAX_TOKEN_BYTES);
    expect(token).toBeDefined();
    expect(verify(token!).sub).toBe('usr_1');
  });

  it('rejects a value that is not a string', () => {
    expectRejected(() => verify(undefined as unknown as string), 'not_a_string');
    expectRejected(() => verify(Buffer.from(valid) as unknown as string), 'not_a_string');
  });

  it.each([
    ['one part', headerSegment],
    ['two parts', `${headerSegment}.${payloadSegment}`],
    ['four parts', `${valid}.${signatureSegment}`],
    ['five parts (JWE compact form)', `${headerSegment}.a.b.c.d`],
    ['an empty string', ''],
  ])('rejects a token of %s', (_, token) => {
    expectRejected(() => verify(token), 'malformed_compact_serialization');
  });
});

describe('access token base64url', () => {
  it.each([
    ['padding', `${payloadSegment}==`],
    ['a plus sign', `+${payloadSegment.slice(1)}`],
    ['a slash', `/${payloadSegment.slice(1)}`],
    ['a space', `${payloadSegment.slice(0, 8)} ${payloadSegment.slice(8)}`],
    ['a line break', `${payloadSegment}\n`],
    ['a non-ASCII letter', `${payloadSegment.slice(0, 8)}é${payloadSegment.slice(8)}`],
  ])('rejects a payload segment with %s', (_, segment) => {
    expectRejected(() => verify(withPayloadSegment(segment)), 'malformed_base64url');
  });

  it('rejects a payload segment with non-zero trailing bits', () => {
    // "{}" is e30 canonically; e31 decodes to the same bytes with a stray low bit.
    expectRejected(() => verify(withPayloadSegment('e31')), 'malformed_base64url');
  });

  it('rejects a payload segment whose length is 1 mod 4', () => {
    const segment = encodeSegment(validClaims());
    const odd =
      segment.length % 4 === 1
        ? segment
        : `${segment}${'A'.repeat((5 - (segment.length % 4)) % 4)}`;
    expect(odd.length % 4).toBe(1);
    expectRejected(() => verify(withPayloadSegment(odd)), 'malformed_base64url');
  });

  it('rejects a header segment that is not canonical base64url', () => {
    const token = `${headerSegment}=.${payloadSegment}.${signatureSegment}`;
    expectRejected(() => verify(token), 'malformed_base64url');
  });

  it('rejects a signature segment with padding', () => {
    expectRejected(() => verify(`${valid}=`), 'malformed_base64url');
  });

  it('rejects a signature segment with non-zero trailing bits', () => {
    // 32 bytes take 43 characters; the last one carries 4 bits and 2 zero bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signatureSegment.at(-1)!);
    const noisy = `${signatureSegment.slice(0, -1)}${alphabet[last | 1]}`;
    expect(Buffer.from(noisy, 'base64url')).toEqual(Buffer.from(signatureSegment, 'base64url'));
    expectRejected(
      () => verify(`${headerSegment}.${payloadSegment}.${noisy}`),
      'malformed_base64url',
    );
  });
});

describe('access token JSON', () => {
  it('rejects claims that are not valid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"iss":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expectRejected(() => verify(withPayloadSegment(bytes.toString('base64url'))), 'malformed_utf8');
  });

  it('rejects a header that is not valid UTF-8', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const token = `${bytes.toString('base64url')}.${payloadSegment}.${signatureSegment}`;
    expectRejected(() => verify(token), 'malformed_utf8');
  });

  it('rejects claims that begin with a byte order mark', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify(validClaims())),
    ]);
    expectRejected(() => verify(withPayloadSegment(bytes.toString('base64url'))), 'malformed_json');
  });

  it('rejects claims that are not JSON', () => {
    expectRejected(() => verify(withPayloadSegment(encodeSegment('{"iss":'))), 'malformed_json');
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"claims"'],
    ['a number', '42'],
  ])('rejects claims that are %s', (_, json) => {
    expectRejected(() => verify(craftToken(header(kid), json, sign)), 'not_a_json_object');
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"HS256"'],
  ])('rejects a header that is %s', (_, json) => {
    expectRejected(() => verify(craftToken(json, validClaims(), sign)), 'not_a_json_object');
  });

  it('rejects duplicate claim names', () => {
    const json = JSON.stringify(validClaims()).replace(/}$/, `,"sub":"usr_admin"}`);
    expectRejected(() => verify(craftToken(header(kid), json, sign)), 'duplicate_member');
  });

  it('rejects duplicate claim names spelled with escapes', () => {
    const json = JSON.stringify(validClaims()).replace(/}$/, `,"\\u0073ub":"usr_admin"}`);
    expectRejected(() => verify(craftToken(header(kid), json, sign)), 'duplicate_member');
  });

  it('rejects duplicate claim names with commas inside strings', () => {
    const json = JSON.stringify(validClaims({ scope: 'a,b' })).replace(/}$/, `,"iss":"x,y"}`);
    expectRejected(() => verify(craftToken(header(kid), json, sign)), 'duplicate_member');
  });

  it('rejects duplicate header parameters', () => {
    const json = `{"alg":"HS256","typ":"at+jwt","kid":"${kid}","alg":"HS256"}`;
    expectRejected(() => verify(craftToken(json, validClaims(), sign)), 'duplicate_member');
  });

  it('accepts repeated names inside nested values and commas inside strings', () => {
    const claims = validClaims({
      aud: ['a,b', 'https://api.example.test'],
      ext: { x: 1, y: { x: 2 } },
    });
    expect(verify(craftToken(header(kid), claims, sign)).sub).toBe('usr_1');
  });

  it('accepts JSON whitespace between members', () => {
    const json = JSON.stringify(validClaims(), null, 2).replaceAll('\n', '\r\n');
    expect(verify(craftToken(header(kid), json, sign)).sub).toBe('usr_1');
  });
});
