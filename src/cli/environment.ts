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

/** Prints a short, secret-free message for an expected failure and exits; rethrows the rest. */
export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`keyward: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof KeywardError) {
    const detail = error.details.detail ? `: ${error.details.detail}` : '';
    process.stderr.write(`keyward: ${error.message}${detail}\n`);
    process.exit(1);
  }
  throw error;
}
