import { randomBytes } from 'node:crypto';
import {
  createAccessTokenIssuer,
  createKeyring,
  keyringOptionsFromSettings,
} from '../../src/tokens/index.js';

/** Issues an access token with `secret` as if at `atMs`, for tests of expiry and forgery. */
export function issueTestToken(options: {
  secret: string;
  sub: string;
  scope?: string;
  atMs?: number;
  issuer: string;
  audience: string;
}): string {
  const keyring = createKeyring(
    keyringOptionsFromSettings({ algorithm: 'HS256', secret: options.secret }),
  );
  const issuer = createAccessTokenIssuer({
    keyring,
    issuer: options.issuer,
    audience: options.audience,
    ttlSeconds: 900,
    now: () => options.atMs ?? Date.now(),
  });
  return issuer.issue({ sub: options.sub, scope: options.scope ?? 'keys:read keys:write' }).token;
}

/** Makes a secret that no server under test uses, for forged tokens. */
export const strangerSecret = () => randomBytes(32).toString('base64url');
