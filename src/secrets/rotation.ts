import { KeywardError } from '../errors/index.js';
import { type GenerateSecretOptions, generateSecret } from './generate.js';

/** The two settings that carry HMAC secrets over a rotation. */
export interface SecretRotation {
  /** New value of KEYWARD_JWT_SECRET, which signs from now on. */
  secret: string;
  /** New value of KEYWARD_JWT_PREVIOUS_SECRETS: verify-only secrets, newest first. */
  previousSecrets: string[];
}

/**
 * Generates a new signing secret and moves the current one to the front of the previous
 * secrets, so tokens it signed stay valid until they expire. Raises as buildRotation does.
 */
export function rotateSecret(
  current: string,
  previous: readonly string[],
  options: GenerateSecretOptions = {},
): SecretRotation {
  return buildRotation(generateSecret(options), current, previous);
}

/**
 * Builds the rotation to `next` from the current and previous secrets. Previous secrets are
 * comma-separated in the environment, so raises `validation_failed` when a secret contains a
 * comma, and also when there is no current secret.
 */
export function buildRotation(
  next: string,
  current: string,
  previous: readonly string[],
): SecretRotation {
  if (current.trim() === '') {
    throw new KeywardError('validation_failed', 'There is no current secret to rotate.');
  }
  if ([next, current, ...previous].some((secret) => secret.includes(','))) {
    throw new KeywardError(
      'validation_failed',
      'A secret contains a comma, which KEYWARD_JWT_PREVIOUS_SECRETS uses as its separator.',
    );
  }

  const previousSecrets = [current, ...previous].filter((secret) => secret !== '');
  return { secret: next, previousSecrets };
}

/** Splits a KEYWARD_JWT_PREVIOUS_SECRETS value into its secrets, ignoring blanks. */
export function parsePreviousSecrets(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
}

/** Formats a rotation as the two `.env` lines to paste. */
export function formatRotationEnv(rotation: SecretRotation): string {
  return (
    `KEYWARD_JWT_SECRET=${rotation.secret}\n` +
    `KEYWARD_JWT_PREVIOUS_SECRETS=${rotation.previousSecrets.join(',')}\n`
  );
}

/**
 * Reads a secret as pasted: surrounding whitespace goes, and a `.env` line such as
 * `KEYWARD_JWT_SECRET="..."` gives up its value without the name and quotes. Only an uppercase
 * name counts as a variable, and base64 padding (`abcd==`) is never taken for an assignment.
 */
export function parseSecretInput(text: string): string {
  const trimmed = text.trim();
  const line = /^(?:export\s+)?[A-Z_][A-Z0-9_]*=(?!=*$)(.*)$/s.exec(trimmed);
  const value = line ? line[1]!.trim() : trimmed;
  const quoted = /^(['"])(.*)\1$/s.exec(value);
  return quoted ? quoted[2]! : value;
}
