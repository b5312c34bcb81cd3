// The rotation procedures of docs/rotation.md, step by step, on an injected clock.
import { describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateSigningKey,
  type JwtSettings,
  keyringOptionsFromSettings,
} from '../../src/tokens/index.js';
import { createPair, expectRejected, NOW_MS, randomSecret } from './helpers.js';

/** Access token lifetime (900 s) plus clock skew (30 s): the wait before an old key goes. */
const DROP_AFTER_MS = (900 + 30) * 1000;

function keyringFrom(settings: JwtSettings) {
  return createKeyring(keyringOptionsFromSettings(settings));
}

describe('HMAC secret rotation', () => {
  const secretA = randomSecret();
  const secretB = randomSecret();
  let clockMs = NOW_MS;
  const clock = () => clockMs;

  const beforeRotation = createPair(keyringFrom({ secret: secretA }), clock);
  const oldToken = beforeRotation.issue({ sub: 'usr_1', scope: 'keys:read' }).token;
  const kidA = keyringFrom({ secret: secretA }).active.kid;

  const rotatedKeyring = keyringFrom({ secret: secretB, previousSecrets: secretA });
  const afterRotation = createPair(rotatedKeyring, clock);

  it('keeps accepting a token signed with the previous secret', () => {
    clockMs = NOW_MS + 60_000;
    expect(afterRotation.verify(oldToken).sub).toBe('usr_1');
  });

  it('signs new tokens with the new secret and its kid', () => {
    const { token } = afterRotation.issue({ sub: 'usr_2', scope: '' });
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(kid).toBe(rotatedKeyring.active.kid);
    expect(kid).not.toBe(kidA);
    expect(afterRotation.verify(token).sub).toBe('usr_2');
  });

  it('rejects a still-valid old token if the previous secret is dropped too early', () => {
    clockMs = NOW_MS + 60_000;
    const tooEarly = createPair(keyringFrom({ secret: secretB }), clock);
    expectRejected(() => tooEarly.verify(oldToken), 'kid_unknown');
  });

  it('expires old tokens before secret A goes', () => {
    clockMs = NOW_MS + DROP_AFTER_MS;
    expectRejected(() => afterRotation.verify(oldToken), 'expired');

    const afterDrop = createPair(keyringFrom({ secret: secretB }), clock);
    expectRejected(() => afterDrop.verify(oldToken), 'kid_unknown');
    expect(afterDrop.verify(afterDrop.issue({ sub: 'usr_3', scope: '' }).token).sub).toBe('usr_3');
  });
});

describe('asymmetric signing key rotation', () => {
  const keyA = generateSigningKey('EdDSA');
  const keyB = generateSigningKey('EdDSA');
  let clockMs = NOW_MS;
  const clock = () => clockMs;

  const before = keyringFrom({ algorithm: 'EdDSA', signingKey: keyA.privateKeyPem });
  const oldToken = createPair(before, clock).issue({ sub: 'usr_1', scope: '' }).token;
  const rotated = keyringFrom({
    algorithm: 'EdDSA',
    signingKey: keyB.privateKeyPem,
    previousSigningKeys: JSON.stringify(before.publicJwks()),
  });

  it('publishes both public keys while the old one verifies', () => {
    expect(rotated.publicJwks().keys.map((key) => key.kid)).toEqual([keyB.kid, keyA.kid]);
    clockMs = NOW_MS + 60_000;
    expect(createPair(rotated, clock).verify(oldToken).sub).toBe('usr_1');
  });

  it('drops the old key from the JWKS after the lifetime plus skew', () => {
    clockMs = NOW_MS + DROP_AFTER_MS;
    const afterDrop = keyringFrom({ algorithm: 'EdDSA', signingKey: keyB.privateKeyPem });
    expect(afterDrop.publicJwks().keys.map((key) => key.kid)).toEqual([keyB.kid]);
    expectRejected(() => createPair(afterDrop, clock).verify(oldToken), 'kid_unknown');
  });

  it('can publish the next key before it signs', () => {
    const keyC = generateSigningKey('EdDSA');
    const announced = keyringFrom({
      algorithm: 'EdDSA',
      signingKey: keyB.privateKeyPem,
      previousSigningKeys: JSON.stringify({ keys: [keyC.publicJwk] }),
    });
    expect(announced.active.kid).toBe(keyB.kid);
    expect(announced.publicJwks().keys.map((key) => key.kid)).toEqual([keyB.kid, keyC.kid]);
  });
});
