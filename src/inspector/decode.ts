// Decoding of compact JWS tokens for inspection. Decoding checks structure only: it trusts
// nothing in the token and verifies no signature (see verify.ts for that).

import { KeywardError } from '../errors/index.js';

/** Tokens longer than this many characters are rejected before any decoding: 16 KiB. */
export const maxTokenLength = 16 * 1024;

/** The JOSE header of a token; the parameters the audit reads are typed, others pass through. */
export interface JwtHeader {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
  crit?: unknown;
  [parameter: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: Record<string, unknown>;
  /** The raw signature bytes (empty for `alg: none`). */
  signature: Uint8Array<ArrayBuffer>;
  /** The three base64url segments as they appear in the token. */
  segments: { header: string; payload: string; signature: string };
  /** `header.payload`, the bytes the signature covers (RFC 7515 section 5.1). */
  signingInput: string;
}

/**
 * Decodes a compact JWS token into its header, claims and signature. Accepts surrounding
 * whitespace, quotes and a `Bearer ` prefix, as tokens are often pasted from headers and logs.
 * Raises `invalid_token` with a message that names the problem: too long, wrong number of
 * segments, invalid base64url, invalid UTF-8, or a header or payload that is not a JSON object.
 */
export function decodeJwt(token: string): DecodedJwt {
  const compact = normaliseToken(token);
  const parts = compact.split('.');
  if (parts.length === 5) {
    throw invalid(
      'The token has 5 segments, so it is an encrypted JWE. Only signed JWS tokens can be inspected.',
    );
  }
  if (parts.length !== 3) {
    throw invalid(
      `The token has ${parts.length} segment${parts.length === 1 ? '' : 's'}, but a JWS has 3: header.payload.signature.`,
    );
  }

  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: parseJsonObject(decodeSegment(header, 'header'), 'header'),
    claims: parseJsonObject(decodeSegment(payload, 'payload'), 'payload'),
    signature: decodeSegment(signature, 'signature'),
    segments: { header, payload, signature },
    signingInput: `${header}.${payload}`,
  };
}

/** Trims whitespace, quotes and a `Bearer ` prefix, and rejects empty or oversized input. */
export function normaliseToken(token: string): string {
  if (token.length > maxTokenLength * 2) throw tooLong(token.length);
  const compact = token
    .trim()
    .replace(/^bearer\s+/i, '')
    .replace(/^(['"])(.*)\1$/s, '$2')
    .trim();
  if (compact === '') throw invalid('The token is empty.');
  if (compact.length > maxTokenLength) throw tooLong(compact.length);
  return compact;
}

/** Decodes one unpadded base64url segment (RFC 7515 section 2), rejecting any other alphabet. */
export function decodeSegment(segment: string, name: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) {
    throw invalid(`The ${name} segment is not valid base64url.`);
  }
  const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function parseJsonObject(bytes: Uint8Array, name: 'header' | 'payload'): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`The ${name} is not valid UTF-8.`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(`The ${name} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`The ${name} is JSON but not an object, so this is not a JWT.`);
  }
  return value as Record<string, unknown>;
}

function tooLong(length: number): KeywardError {
  return invalid(
    `The token is ${length} characters long, over the ${maxTokenLength}-character limit.`,
  );
}

function invalid(message: string): KeywardError {
  return new KeywardError('invalid_token', message);
}
