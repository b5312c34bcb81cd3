import { hash, verify } from '@node-rs/argon2';
import { KeywardError } from '../errors/index.js';
import { isKnownWeakSecret } from '../secrets/index.js';

// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. @node-rs/argon2 runs the
// hash on libuv's thread pool, so the event loop keeps serving while a password is hashed.
const argon2idOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Password length bounds in characters (NIST SP 800-63B: at least 8, no composition rules). */
export const minPasswordLength = 8;
export const maxPasswordLength = 1024;

/**
 * Raises `validation_failed` unless the password has an acceptable length and is not a commonly
 * used value. NIST SP 800-63B 3.1.1.2 requires checks against known and repetitive passwords
 * and context-specific words such as the user's email, in place of composition rules.
 */
export function checkPasswordPolicy(password: string, email?: string): void {
  checkPasswordLength(password);
  const lowered = password.toLowerCase();
  const mailbox = email?.split('@')[0];
  const repetitive = new Set(lowered).size <= 2;
  if (isKnownWeakSecret(password) || repetitive || lowered === email || lowered === mailbox) {
    throw new KeywardError('validation_failed', 'password too common', {
      errors: [
        {
          pointer: '/password',
          message:
            'is a commonly used or easily guessed password; choose a longer, less common one',
        },
      ],
    });
  }
}

function checkPasswordLength(password: string): void {
  const length = [...password].length;
  if (length < minPasswordLength || length > maxPasswordLength) {
    throw new KeywardError('validation_failed', 'invalid password length', {
      errors: [
        {
          pointer: '/password',
          message: `must be ${minPasswordLength} to ${maxPasswordLength} characters long`,
        },
      ],
    });
  }
}

/** Hashes a password with argon2id and returns the PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2idOptions);
}

/** Checks a password against a PHC string; false for a wrong password or a damaged hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}
