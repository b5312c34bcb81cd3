// Tokens built at test time with jose, with secrets generated for each run.

import * as jose from 'jose';
import { generateSecret } from '../../src/secrets/index.js';

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface TokenOptions {
  header?: jose.JWTHeaderParameters;
  claims?: jose.JWTPayload;
  secret?: string;
}

/** Signs an HS256 token with sensible defaults that produce no serious finding. */
export async function hmacToken(
  options: TokenOptions = {},
): Promise<{ token: string; secret: string }> {
  const secret = options.secret ?? generateSecret();
  const now = nowSeconds();
  const claims = {
    iss: 'https://auth.test',
    aud: 'api',
    sub: 'usr_1',
    iat: now,
    exp: now + 900,
    ...options.claims,
  };
  const token = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...options.header })
    .sign(new TextEncoder().encode(secret));
  return { token, secret };
}

/** Builds a compact token from raw parts without signing, for headers jose refuses to produce. */
export function rawToken(header: object, claims: object, signature = ''): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(claims)}.${signature}`;
}
