// Findings about the JOSE header (RFC 7515 section 4.1, RFC 8725).

import type { JwtHeader } from './decode.js';
import { type Finding, serious, warning } from './findings.js';

/** The JWS algorithms registered for signatures (RFC 7518 section 3.1, RFC 8037). */
export const signatureAlgorithms = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'Ed25519',
] as const;

/**
 * Header parameters that carry or point to a verification key. A verifier that trusts them lets
 * the token choose its own key, which is how forged tokens get accepted (RFC 8725 section 3.10).
 */
const keyParameters = ['jwk', 'jku', 'x5u'] as const;

/** Audits the header: algorithm, type, embedded keys and critical extensions. */
export function auditHeader(header: JwtHeader, expectedTyp?: string): Finding[] {
  return [
    ...auditAlgorithm(header.alg),
    ...auditTyp(header.typ, expectedTyp),
    ...auditKeyParameters(header),
    ...auditCrit(header.crit),
  ];
}

function auditAlgorithm(alg: unknown): Finding[] {
  if (alg === undefined)
    return [serious('missing_alg', 'The header has no alg, so no verifier can accept it.')];
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return [serious('alg_none', 'alg is "none": the token is unsigned and anyone can forge it.')];
  }
  if (!signatureAlgorithms.includes(alg as (typeof signatureAlgorithms)[number])) {
    return [
      warning(
        'unknown_alg',
        `alg ${JSON.stringify(alg)} is not a registered JWS signature algorithm.`,
      ),
    ];
  }
  return [];
}

// RFC 7515 section 4.1.9: typ compares case-insensitively and may omit "application/".
function normaliseTyp(typ: string): string {
  return typ.toLowerCase().replace(/^application\//, '');
}

function auditTyp(typ: unknown, expectedTyp?: string): Finding[] {
  if (expectedTyp === undefined || expectedTyp === '') return [];
  if (typeof typ !== 'string') {
    return [warning('unexpected_typ', `The header has no typ, but ${expectedTyp} is expected.`)];
  }
  if (normaliseTyp(typ) === normaliseTyp(expectedTyp)) return [];
  return [
    warning(
      'unexpected_typ',
      `typ is ${JSON.stringify(typ)}, but ${expectedTyp} is expected. Checking typ stops one kind ` +
        'of token being accepted as another (keyward access tokens use at+jwt, RFC 9068).',
    ),
  ];
}

function auditKeyParameters(header: JwtHeader): Finding[] {
  const findings: Finding[] = keyParameters
    .filter((name) => header[name] !== undefined)
    .map((name) =>
      serious(
        'embedded_key',
        `The header carries ${name}, a key chosen by the token itself. A verifier must ignore it ` +
          'and use only keys it already trusts.',
      ),
    );
  if (header.x5c !== undefined) {
    findings.push(
      warning(
        'embedded_certificate',
        'The header carries an x5c certificate chain; trust it only after validating the chain.',
      ),
    );
  }
  return findings;
}

function auditCrit(crit: unknown): Finding[] {
  if (crit === undefined) return [];
  const names = Array.isArray(crit) ? crit.map(String).join(', ') : JSON.stringify(crit);
  return [
    warning(
      'crit',
      `The header marks extensions as critical (${names}). A verifier that does not understand ` +
        'every one must reject the token (RFC 7515 section 4.1.11).',
    ),
  ];
}
