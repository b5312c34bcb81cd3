import { KeywardError } from '../errors/index.js';

// RFC 5321 caps a forward path at 256 octets including the angle brackets, so an address has
// at most 254 characters. The pattern checks shape only; whether the mailbox exists is not ours
// to know.
const maxEmailLength = 254;
// Control characters (C0, DEL, C1) are excluded too: PostgreSQL text cannot hold NUL, and the
// others only serve to spoof an address in a log or a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;
const emailPattern = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:.]{2,}$/;

/** Tells whether text contains a C0 or C1 control character or DEL. */
export function hasControlCharacters(text: string): boolean {
  return controlCharacters.test(text);
}

/**
 * Trims and lower-cases an email address and checks its shape.
 * Raises `validation_failed` for an address that cannot be valid.
 */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length > maxEmailLength || !emailPattern.test(email) || controlCharacters.test(email)) {
    throw new KeywardError('validation_failed', 'invalid email address', {
      errors: [{ pointer: '/email', message: 'must be an email address such as ada@example.com' }],
    });
  }
  return email;
}
