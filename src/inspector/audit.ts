import { auditClaims } from './claim-findings.js';
import { type DecodedJwt, decodeJwt } from './decode.js';
import { type Finding, serious, sortFindings } from './findings.js';
import { auditHeader } from './header-findings.js';
import { isSignedWithWeakSecret } from './weak-hmac.js';

export interface AuditOptions {
  /** The time to judge expiry against; default the current time. */
  now?: Date;
  /** When set, a missing or different `iss` is serious. */
  expectedIssuer?: string;
  /** When set, an `aud` that does not include it is serious. */
  expectedAudience?: string;
  /** When set, a different `typ` is a warning; keyward access tokens use `at+jwt`. */
  expectedTyp?: string;
}

/**
 * Audits a token without verifying its signature and returns findings, serious ones first.
 * Raises `invalid_token` (from decodeJwt) when the token cannot be decoded.
 */
export async function auditJwt(token: string, options: AuditOptions = {}): Promise<Finding[]> {
  return auditDecodedJwt(decodeJwt(token), options);
}

/** Audits an already decoded token; see auditJwt. */
export async function auditDecodedJwt(
  decoded: DecodedJwt,
  options: AuditOptions = {},
): Promise<Finding[]> {
  const findings = [
    ...auditHeader(decoded.header, options.expectedTyp),
    ...auditClaims(decoded.claims, { ...options, now: options.now ?? new Date() }),
  ];
  if (await isSignedWithWeakSecret(decoded)) {
    findings.push(
      serious(
        'weak_secret',
        'The token is signed with a well-known HMAC secret, so anyone can forge tokens. Replace ' +
          'the secret with a random one, such as the output of keyward secret generate.',
      ),
    );
  }
  return sortFindings(findings);
}

/** Tells whether any finding is serious, which is when `keyward token audit` exits with 1. */
export function hasSeriousFinding(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'serious');
}
