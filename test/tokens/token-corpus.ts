// Generated access tokens for the jose cross-check and the fuzz tests. Each token comes with
// the facts needed to judge it without keyward's code: whether it was signed by the right key
// and which of keyward's stricter-than-jose rules it breaks.
import { createHmac, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import fc from 'fast-check';
import { createKeyring, generateSigningKey } from '../../src/tokens/index.js';
import { AUDIENCE, encodeSegment, ISSUER, NOW_SECONDS, randomSecret } from './helpers.js';

const hmacSecret = randomSecret();
const ed25519 = generateSigningKey('EdDSA');
const p256 = generateSigningKey('ES256');
const otherHmacSecret = randomSecret();
const otherEd25519 = generateSigningKey('EdDSA');
const otherP256 = generateSigningKey('ES256');

/** HS256 signs; an Ed25519 and a P-256 key only verify, so kid and alg confusion can be tried. */
export const keyring = createKeyring({
  active: { alg: 'HS256', secret: hmacSecret },
  verifyOnly: [
    { alg: 'EdDSA', key: ed25519.publicJwk },
    { alg: 'ES256', key: p256.publicJwk },
  ],
});
export const ALGORITHMS = ['HS256', 'EdDSA', 'ES256'];
const hmacKid = keyring.active.kid;

/** The keys jose resolves by kid, the way keyward does. */
const joseKeys = new Map<string, KeyObject | Uint8Array>([
  [hmacKid, Buffer.from(hmacSecret)],
  [ed25519.kid, createPublicKey(ed25519.privateKeyPem)],
  [p256.kid, createPublicKey(p256.privateKeyPem)],
]);

/** jose's key resolver: unknown or missing kids fail as in keyward. */
export function joseKey(header: { kid?: unknown }): KeyObject | Uint8Array {
  const key = typeof header.kid === 'string' ? joseKeys.get(header.kid) : undefined;
  if (!key) throw new Error('unknown kid');
  return key;
}

const publicPem = createPublicKey(ed25519.privateKeyPem).export({
  format: 'pem',
  type: 'spki',
}) as string;

const HMAC_HASHES: Record<string, string> = { HS384: 'sha384', HS512: 'sha512' };

type Signer = 'right' | 'otherKey' | 'publicPemAsHmac' | 'empty' | 'random';

/** Signs per the header's alg with the right key family, or deliberately wrong. */
function signatureFor(alg: unknown, signer: Signer, input: string): string {
  if (signer === 'empty') return '';
  if (signer === 'random') return randomBytes(64).toString('base64url');
  if (signer === 'publicPemAsHmac')
    return createHmac('sha256', publicPem).update(input).digest('base64url');

  const right = signer === 'right';
  const data = Buffer.from(input);
  if (alg === 'EdDSA')
    return sign(null, data, (right ? ed25519 : otherEd25519).privateKeyPem).toString('base64url');
  if (alg === 'ES256') {
    const key = (right ? p256 : otherP256).privateKeyPem;
    return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  }
  const hash = HMAC_HASHES[String(alg)] ?? 'sha256';
  return createHmac(hash, right ? hmacSecret : otherHmacSecret)
    .update(input)
    .digest('base64url');
}

/** Mostly `valid`, sometimes one of `invalid`: most tokens break zero, one or two rules. */
function mostly<T>(valid: fc.Arbitrary<T>, ...invalid: T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { arbitrary: valid, weight: 14 },
    { arbitrary: fc.constantFrom(...invalid), weight: 1 },
  );
}

/** NOW_SECONDS plus each offset; undefined stays undefined. */
const at = (...offsets: (number | undefined)[]) =>
  offsets.map((value) => (value === undefined ? undefined : NOW_SECONDS + value));

/** Header parameters beyond alg, typ and kid, all outside keyward's allowlist. */
const extraHeaders = [
  { cty: 'JWT' },
  { crit: ['exp'] },
  { b64: false },
  { jwk: ed25519.publicJwk },
  { x5t: 'AAAA' },
  { zip: 'DEF' },
  { foo: 1 },
];

/** A key and the alg it is used with; the corpus has all three private keys. */
const validKey = fc.constantFrom(
  { alg: 'HS256', kid: hmacKid },
  { alg: 'HS256', kid: hmacKid },
  { alg: 'EdDSA', kid: ed25519.kid },
  { alg: 'ES256', kid: p256.kid },
);

export const tokenSpec = fc.record({
  key: validKey,
  alg: mostly(
    fc.constant<string | undefined>(undefined),
    'HS256',
    'EdDSA',
    'ES256',
    'HS384',
    'HS512',
    'none',
    'NONE',
    'RS256',
    'hs256',
  ),
  kid: mostly(
    fc.constant<string | undefined>(undefined),
    hmacKid,
    ed25519.kid,
    p256.kid,
    'unknown',
    '',
  ),
  dropKid: mostly(fc.constant(false), true),
  typ: mostly(
    fc.constantFrom<string | undefined>('at+jwt', 'AT+JWT', 'application/at+jwt'),
    'JWT',
    'jwt',
    undefined,
  ),
  extraHeader: mostly(fc.constant<object>({}), ...extraHeaders),
  iss: mostly(fc.constant<unknown>(ISSUER), `${ISSUER}/`, ISSUER.toUpperCase(), undefined, 1),
  aud: mostly(
    fc.constantFrom<unknown>(AUDIENCE, [AUDIENCE], ['x', AUDIENCE]),
    ['x'],
    'x',
    undefined,
    [AUDIENCE, 1],
    [],
  ),
  sub: mostly(fc.constant<unknown>('usr_1'), '', undefined, 5),
  jti: mostly(fc.constant<unknown>('j1'), '', undefined),
  scope: mostly(fc.constantFrom<unknown>('a b', undefined), 5, ['a']),
  iat: mostly(
    fc.constantFrom<unknown>(...at(-100, 0, 29, 30)),
    ...at(31, 3600, undefined, -NOW_SECONDS - 5, 0.5),
    '1',
  ),
  exp: mostly(
    fc.constantFrom<unknown>(...at(-29, 1, 900)),
    ...at(-31, -30, undefined, 1.5),
    'x',
    1e12,
    null,
  ),
  nbf: mostly(fc.constantFrom<unknown>(...at(undefined, -10, 30)), ...at(31), 'x', -1),
  extraClaims: mostly(
    fc.constantFrom('', ',"admin":true', ',"__proto__":{"sub":"usr_admin"}', ',"constructor":{}'),
    '',
  ),
  duplicateClaim: mostly(fc.constant(false), true),
  signer: mostly(fc.constant<Signer>('right'), 'otherKey', 'publicPemAsHmac', 'empty', 'random'),
});
export type TokenSpec = typeof tokenSpec extends fc.Arbitrary<infer T> ? T : never;

/** A generated token and what is known about it independently of keyward. */
export interface GeneratedToken {
  token: string;
  /** Signed with the key that the kid names, in the algorithm of that key. */
  signedByRightKey: boolean;
  /** Breaks a rule where keyward is deliberately stricter than jose. */
  stricter: boolean;
}

export function buildToken(spec: TokenSpec): GeneratedToken {
  const alg = spec.alg ?? spec.key.alg;
  const kid = spec.dropKid ? undefined : (spec.kid ?? spec.key.kid);
  const header = withoutUndefined({ alg, typ: spec.typ, kid, ...spec.extraHeader });
  const claims = withoutUndefined({
    iss: spec.iss,
    aud: spec.aud,
    sub: spec.sub,
    jti: spec.jti,
    scope: spec.scope,
    iat: spec.iat,
    exp: spec.exp,
    nbf: spec.nbf,
  });
  let json = JSON.stringify(claims).replace(/}$/, `${spec.extraClaims}}`).replace('{,', '{');
  if (spec.duplicateClaim) json = json.replace(/}$/, ',"sub":"usr_admin"}');

  const input = `${encodeSegment(header)}.${encodeSegment(json)}`;
  const token = `${input}.${signatureFor(alg, spec.signer, input)}`;
  const keyAlg =
    kid === hmacKid
      ? 'HS256'
      : kid === ed25519.kid
        ? 'EdDSA'
        : kid === p256.kid
          ? 'ES256'
          : undefined;
  return {
    token,
    signedByRightKey: spec.signer === 'right' && alg === keyAlg,
    stricter: isStricter(spec),
  };
}

/** Rules where keyward rejects what jose (v6) accepts; see docs/tokens.md. */
function isStricter(spec: TokenSpec): boolean {
  const isTime = (value: unknown) =>
    value === undefined ||
    (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 253_402_300_799);
  return (
    Object.keys(spec.extraHeader).length > 0 ||
    spec.duplicateClaim ||
    !isTime(spec.iat) ||
    !isTime(spec.exp) ||
    !isTime(spec.nbf) ||
    (typeof spec.iat === 'number' && spec.iat > NOW_SECONDS + 30) ||
    (Array.isArray(spec.aud) && spec.aud.some((member) => typeof member !== 'string')) ||
    spec.sub === '' ||
    typeof spec.sub === 'number' ||
    spec.jti === '' ||
    (spec.scope !== undefined && typeof spec.scope !== 'string')
  );
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Tells whether every segment is canonical unpadded base64url, judged by the alphabet and the
 * unused low bits of the last character (RFC 4648 section 3.5), not by keyward's decoder.
 */
export function segmentsAreCanonical(token: string): boolean {
  return token.split('.').every((segment) => {
    if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return false;
    // A group of 2 or 3 characters leaves 4 or 2 low bits unused; a full group leaves none.
    const unusedBits = [0, 0, 4, 2][segment.length % 4]!;
    const last = ALPHABET.indexOf(segment.at(-1) ?? 'A');
    return (last & ((1 << unusedBits) - 1)) === 0;
  });
}
