import { rejectToken } from './reject.js';

// Fatal: invalid UTF-8 is an error instead of U+FFFD (RFC 7515 section 5.2).
// ignoreBOM keeps a byte order mark in the text, where JSON.parse rejects it (RFC 8259 8.1).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Parses the bytes of a JOSE header or claims set and returns the top-level object.
 * Rejects invalid UTF-8, invalid JSON, a value that is not an object, and duplicate member
 * names, which JSON.parse would resolve silently to the last one (RFC 7515 section 4 and
 * RFC 7519 section 4 allow rejecting them). Raises KeywardError `invalid_token`.
 */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  const text = decodeUtf8(bytes);
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return rejectToken('not_a_json_object');
  }

  const members = value as Record<string, unknown>;
  if (hasDuplicateMember(text, Object.keys(members).length)) rejectToken('duplicate_member');
  return members;
}

/**
 * Tells whether the top-level object in valid JSON `text` names a member twice. JSON.parse
 * defines an own property for each distinct name (`__proto__` included), so `distinctNames`
 * equals the members in the text exactly when no name repeats, however it is escaped.
 *
 * Fast path: the text has at least as many commas as top-level separators, which number one
 * less than its members. So if it has only `distinctNames - 1` commas in all, it cannot have
 * more members than distinct names. This applies to typical claims, whose strings contain no
 * commas. Counting commas with indexOf took about a quarter of the time of the full scan on
 * a 195-byte claims set (Node 20.20).
 */
export function hasDuplicateMember(text: string, distinctNames: number): boolean {
  let commas = 0;
  for (let index = text.indexOf(','); index !== -1; index = text.indexOf(',', index + 1)) {
    commas++;
  }
  if (commas === distinctNames - 1) return false;
  return countTopLevelMembers(text) !== distinctNames;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return rejectToken('malformed_utf8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return rejectToken('malformed_json');
  }
}

/**
 * Counts the members of the top-level object in valid JSON `text`. Only the top level is
 * counted because only top-level members are read.
 *
 * Strings are skipped with indexOf, so the character loop runs only over the short stretches
 * between strings. That took about half the time of a loop over every character on a
 * 195-byte claims set (Node 20.20).
 */
export function countTopLevelMembers(text: string): number {
  let depth = 0;
  let commas = 0;
  let sawMember = false;
  let position = 0;

  for (;;) {
    const quote = text.indexOf('"', position);
    const runEnd = quote === -1 ? text.length : quote;
    for (let index = position; index < runEnd; index++) {
      const code = text.charCodeAt(index);
      if (code === COMMA) {
        if (depth === 1) commas++;
      } else if (code === 0x7b || code === 0x5b) {
        depth++;
      } else if (code === 0x7d || code === 0x5d) {
        depth--;
      }
    }
    if (quote === -1) break;

    if (depth === 1) sawMember = true;
    position = skipString(text, quote) + 1;
  }
  return sawMember ? commas + 1 : 0;
}

/** Returns the index of the quote that closes the string opened at `openQuote`. */
function skipString(text: string, openQuote: number): number {
  let close = text.indexOf('"', openQuote + 1);
  while (isEscaped(text, close)) {
    close = text.indexOf('"', close + 1);
  }
  return close;
}

/** Tells whether the character at `index` follows an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(index - 1 - backslashes) === BACKSLASH) backslashes++;
  return (backslashes & 1) === 1;
}
