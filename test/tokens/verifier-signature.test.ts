import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as signWith,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, generateSigningKey } from '../../src/tokens/index.js';
import {
  craftToken,
  createHs256Fixture,
  createPair,
  encodeSegment,
  expectRejected,
  header,
  hs256,
  randomSecret,
  tamperSignature,
  validClaims,
} from './helpers.js';

const claims = validClaims();

/** Signs with an arbitrary HMAC key, such as the text of a public key. */
const hmacWith = (key: string | Buffer) => (input: string) =>
  createHmac('sha256', key).update(input).digest('base64url');

/** Replaces the signature segment of a token with the given bytes. */
const withSignature = (token: string, signature: Buffer) =>
  `${token.slice(0, token.lastIndexOf('.'))}.${signature.toString('base64url')}`;

describe('HS256 signatures', () => {
  const { secret, kid, verify, issue } = createHs256Fixture();
  const valid = issue({ sub: 'usr_1', scope: '' }).token;

  it('rejects a tampered signature', () => {
    expectRejected(() => verify(tamperSignature(valid)), 'signature_invalid');
  });

  it('rejects a tampered payload under the original signature', () => {
    const [head, , signature] = valid.split('.');
    const payload = encodeSegment({ ...claims, sub: 'usr_admin' });
    expectRejected(() => verify(`${head}.${payload}.${signature}`), 'signature_invalid');
  });

  it.each([0, 1, 31, 33, 64])(
    'rejects a %i-byte signature without throwing elsewhere',
    (length) => {
      expectRejected(() => verify(withSignature(valid, randomBytes(length))), 'signature_invalid');
    },
  );

  it('rejects the right signature truncated or extended', () => {
    const signature = Buffer.from(valid.slice(valid.lastIndexOf('.') + 1), 'base64url');
    expectRejected(
      () => verify(withSignature(valid, signature.subarray(0, 16))),
      'signature_invalid',
    );
    const extended = Buffer.concat([signature, Buffer.alloc(1)]);
    expectRejected(() => verify(withSignature(valid, extended)), 'signature_invalid');
  });

  it('rejects a token signed with another secret under this kid', () => {
    const token = craftToken(header(kid), claims, hs256(randomSecret()));
    expectRejected(() => verify(token), 'signature_invalid');
  });

  it('accepts a token crafted with the same secret', () => {
    expect(verify(craftToken(header(kid), claims, hs256(secret))).sub).toBe('usr_1');
  });
});

describe('algorithm confusion', () => {
  const ed25519 = generateSigningKey('EdDSA');
  const keyring = createKeyring({ active: { alg: 'EdDSA', key: ed25519.privateKeyPem } });
  const { verify } = createPair(keyring);
  const publicPem = createPublicKey(ed25519.privateKeyPem).export({ format: 'pem', type: 'spki' });
  const hs256Header = header(ed25519.kid, { alg: 'HS256' });

  it.each([
    ['its public key PEM', publicPem],
    ['its public JWK text', JSON.stringify(keyring.publicJwks().keys[0])],
    ['its public JWKS text', JSON.stringify(keyring.publicJwks())],
    ['its raw public key bytes', Buffer.from(ed25519.publicJwk.x, 'base64url')],
  ])('rejects an HS256 token whose HMAC secret is %s', (_, key) => {
    expectRejected(() => verify(craftToken(hs256Header, claims, hmacWith(key))), 'alg_not_allowed');
  });

  it('rejects the public PEM as HMAC secret in a mixed keyring', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const mixed = createKeyring({
      active: { alg: 'HS256', secret: randomSecret() },
      verifyOnly: [{ alg: 'EdDSA', key: pem }],
    });
    const edKid = mixed.publicJwks().keys[0]!.kid;
    const token = craftToken(header(edKid, { alg: 'HS256' }), claims, hmacWith(pem));
    expectRejected(() => createPair(mixed).verify(token), 'alg_key_mismatch');
  });

  it('rejects an EdDSA token when ES256 is configured', () => {
    const p256 = generateSigningKey('ES256');
    const { verify: verifyEs256 } = createPair(
      createKeyring({ active: { alg: 'ES256', key: p256.privateKeyPem } }),
    );
    const signEd = (input: string) =>
      signWith(null, Buffer.from(input), ed25519.privateKeyPem).toString('base64url');
    const underOurKid = craftToken(header(p256.kid, { alg: 'EdDSA' }), claims, signEd);
    expectRejected(() => verifyEs256(underOurKid), 'alg_not_allowed');
    const underItsKid = craftToken(header(ed25519.kid, { alg: 'ES256' }), claims, signEd);
    expectRejected(() => verifyEs256(underItsKid), 'kid_unknown');
  });
});

describe('ES256 signatures', () => {
  const p256 = generateSigningKey('ES256');
  const keyring = createKeyring({ active: { alg: 'ES256', key: p256.privateJwk } });
  const { verify, issue } = createPair(keyring);
  const valid = issue({ sub: 'usr_1', scope: 'a' }).token;
  const signature = Buffer.from(valid.slice(valid.lastIndexOf('.') + 1), 'base64url');
  const order = Buffer.from(
    'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
    'hex',
  );

  it('rejects an all-zero signature (psychic signatures)', () => {
    expectRejected(() => verify(withSignature(valid, Buffer.alloc(64))), 'signature_invalid');
  });

  it('rejects a signature with r = 0 or s = 0', () => {
    const zeroR = Buffer.concat([Buffer.alloc(32), signature.subarray(32)]);
    const zeroS = Buffer.concat([signature.subarray(0, 32), Buffer.alloc(32)]);
    expectRejected(() => verify(withSignature(valid, zeroR)), 'signature_invalid');
    expectRejected(() => verify(withSignature(valid, zeroS)), 'signature_invalid');
  });

  it('rejects a signature with r = s = n, the group order', () => {
    expectRejected(
      () => verify(withSignature(valid, Buffer.concat([order, order]))),
      'signature_invalid',
    );
  });

  it('rejects a DER-encoded signature of the same token', () => {
    const input = valid.slice(0, valid.lastIndexOf('.'));
    const der = signWith('sha256', Buffer.from(input), p256.privateKeyPem);
    expectRejected(() => verify(withSignature(valid, der)), 'signature_invalid');
  });

  it('rejects a signature from another P-256 key under this kid', () => {
    const other = generateSigningKey('ES256');
    const token = craftToken(header(p256.kid, { alg: 'ES256' }), claims, (input) =>
      signWith('sha256', Buffer.from(input), {
        key: other.privateKeyPem,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64url'),
    );
    expectRejected(() => verify(token), 'signature_invalid');
  });

  it.each([0, 63, 65, 72])('rejects a %i-byte signature', (length) => {
    expectRejected(() => verify(withSignature(valid, randomBytes(length))), 'signature_invalid');
  });
});

describe('EdDSA signatures', () => {
  const ed25519 = generateSigningKey('EdDSA');
  const { verify, issue } = createPair(
    createKeyring({ active: { alg: 'EdDSA', key: ed25519.privateKeyPem } }),
  );
  const valid = issue({ sub: 'usr_1', scope: 'a' }).token;

  it('rejects an all-zero signature', () => {
    expectRejected(() => verify(withSignature(valid, Buffer.alloc(64))), 'signature_invalid');
  });

  it('rejects a tampered signature', () => {
    expectRejected(() => verify(tamperSignature(valid)), 'signature_invalid');
  });

  it.each([0, 32, 63, 65])('rejects a %i-byte signature', (length) => {
    expectRejected(() => verify(withSignature(valid, randomBytes(length))), 'signature_invalid');
  });
});
