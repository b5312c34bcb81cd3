import { SignJWT } from 'jose';

/** The secret of jwt.io's sample token: public, and so exactly what the audit flags. */
const sampleSecret = 'your-256-bit-secret';

/**
 * Signs an example token with the mistakes the audit reports most often: a well-known secret,
 * a 30-day lifetime, typ JWT for an access token and no audience.
 */
export async function makeExampleToken(now: Date): Promise<{ token: string; secret: string }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ scope: 'read:reports' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('https://auth.example.com')
    .setSubject('usr_01JEXAMPLE')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 30 * 86_400)
    .sign(new TextEncoder().encode(sampleSecret));
  return { token, secret: sampleSecret };
}
