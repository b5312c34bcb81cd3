import { type Config, loadConfig } from '../config/config.js';
import { withEnvFile } from '../config/env-file.js';
import { ConfigError } from '../config/variables.js';
import { KeywardError } from '../errors/index.js';

/** Reads the configuration for a CLI command; prints the problems and exits 2 when invalid. */
export function configFromEnvironment(): Readonly<Config> {
  try {
    return loadConfig(withEnvFile(process.env));
  } catch (error) {
    exitWithError(error);
  }
}

/**
 * Prints a one-line, secret-free message for a failure and exits: 2 for invalid settings,
 * 1 for anything else. No stack trace: the message names what failed (a port in use, an
 * unreachable database) and its cause.
 */
export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`keyward: ${error.message}\n`);
    process.exit(2);
  }
  const settingsProblem = error instanceof KeywardError && error.code === 'validation_failed';
  process.stderr.write(`keyward: ${describe(error)}\n`);
  process.exit(settingsProblem ? 2 : 1);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail =
    error instanceof KeywardError && error.details.detail ? `: ${error.details.detail}` : '';
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${detail}${cause}`;
}
