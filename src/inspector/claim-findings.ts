// Findings about the registered claims (RFC 7519 section 4.1) and the token's times.

import { type Finding, info, serious, warning } from './findings.js';
import { describeDuration, describeRelative, formatNumericDate } from './time.js';

/** Lifetimes (exp − iat) longer than this are reported: 24 hours, in seconds. */
export const maxReasonableLifetimeSeconds = 24 * 3_600;

/** NumericDates above this (the year 5138) are almost surely milliseconds, not seconds. */
const millisecondThreshold = 1e11;

export interface ClaimAuditOptions {
  now: Date;
  expectedIssuer?: string;
  expectedAudience?: string;
}

/** Audits the time claims, the issuer and the audience. */
export function auditClaims(
  claims: Record<string, unknown>,
  options: ClaimAuditOptions,
): Finding[] {
  return [
    ...auditTimes(claims, options.now),
    ...auditIssuer(claims.iss, options.expectedIssuer),
    ...auditAudience(claims.aud, options.expectedAudience),
  ];
}

/** Reads a NumericDate claim, or returns a finding when it is present but not usable. */
function readTime(claims: Record<string, unknown>, name: string): number | Finding | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return serious(
      'invalid_time',
      `${name} is not a NumericDate (a number of seconds since 1970).`,
    );
  }
  if (value > millisecondThreshold) {
    return serious(
      'invalid_time',
      `${name} looks like milliseconds; NumericDate values are seconds since 1970.`,
    );
  }
  return value;
}

function auditTimes(claims: Record<string, unknown>, now: Date): Finding[] {
  const times = {
    exp: readTime(claims, 'exp'),
    nbf: readTime(claims, 'nbf'),
    iat: readTime(claims, 'iat'),
  };
  const invalid = Object.values(times).filter((t): t is Finding => typeof t === 'object');
  const [exp, nbf, iat] = [times.exp, times.nbf, times.iat].map((t) =>
    typeof t === 'number' ? t : undefined,
  );
  return [
    ...invalid,
    ...auditExpiry(exp, claims.exp === undefined, now),
    ...auditNotBefore(nbf, now),
    ...auditIssuedAt(iat, now),
    ...auditLifetime(exp, iat, now),
  ];
}

function auditExpiry(exp: number | undefined, missing: boolean, now: Date): Finding[] {
  if (missing) return [serious('missing_exp', 'The token has no exp claim, so it never expires.')];
  if (exp === undefined) return [];
  const when = `${describeRelative(exp, now)} (${formatNumericDate(exp) ?? exp})`;
  if (exp <= now.getTime() / 1000) return [serious('expired', `The token expired ${when}.`)];
  return [info('expires', `The token expires ${when}.`)];
}

function auditNotBefore(nbf: number | undefined, now: Date): Finding[] {
  if (nbf === undefined || nbf <= now.getTime() / 1000) return [];
  const when = `${describeRelative(nbf, now)} (${formatNumericDate(nbf) ?? nbf})`;
  return [serious('not_yet_valid', `The token is not valid yet: its nbf is ${when}.`)];
}

function auditIssuedAt(iat: number | undefined, now: Date): Finding[] {
  if (iat === undefined) return [];
  const when = `${describeRelative(iat, now)} (${formatNumericDate(iat) ?? iat})`;
  if (iat > now.getTime() / 1000 + 60) {
    return [
      warning(
        'issued_in_future',
        `The token says it was issued ${when}; the issuer's clock may be wrong.`,
      ),
    ];
  }
  return [info('issued', `The token was issued ${when}.`)];
}

function auditLifetime(exp: number | undefined, iat: number | undefined, now: Date): Finding[] {
  if (exp === undefined) return [];
  const lifetime = exp - (iat ?? now.getTime() / 1000);
  if (lifetime <= maxReasonableLifetimeSeconds) return [];
  const basis = iat === undefined ? 'from now until exp' : 'from iat to exp';
  return [
    warning(
      'long_lifetime',
      `The token lives ${describeDuration(lifetime)} (${basis}). Access tokens should live minutes, ` +
        'not days, because they cannot be revoked; keyward issues them for 15 minutes by default.',
    ),
  ];
}

function auditIssuer(iss: unknown, expected?: string): Finding[] {
  if (iss === undefined) {
    const severity = expected ? serious : warning;
    return [
      severity(
        'missing_iss',
        'The token has no iss claim, so a verifier cannot tell who issued it.',
      ),
    ];
  }
  if (expected && iss !== expected) {
    return [
      serious(
        'unexpected_iss',
        `iss is ${JSON.stringify(iss)}, but ${JSON.stringify(expected)} is expected.`,
      ),
    ];
  }
  return [];
}

function auditAudience(aud: unknown, expected?: string): Finding[] {
  if (aud === undefined) {
    const severity = expected ? serious : warning;
    return [
      severity(
        'missing_aud',
        'The token has no aud claim, so any service that trusts the issuer accepts it.',
      ),
    ];
  }
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (expected && !audiences.includes(expected)) {
    return [
      serious(
        'unexpected_aud',
        `aud is ${JSON.stringify(aud)}, which does not include ${JSON.stringify(expected)}.`,
      ),
    ];
  }
  return [];
}
