import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkSecretStrength } from '../secrets/index.js';
import type { Config, JwtSettings } from './config.js';
import { loadOrCreateDevSecret } from './dev-secrets.js';
import { ConfigError, type ConfigProblem } from './variables.js';

/** The secrets a process runs with, after development defaults are filled in. */
export interface ResolvedSecrets {
  jwt: JwtSettings;
  apiKeyPepper: string;
}

/** A start-up warning about secrets, for the caller to log. */
export interface SecretWarning {
  variable: string;
  message: string;
}

/**
 * Fills in secrets that development may leave unset (stored beside the database) and checks
 * strength. In production an unset, short or guessable secret raises a ConfigError; in
 * development it becomes a warning.
 */
export function resolveSecrets(
  config: Readonly<Config>,
  options: { generateSecrets?: boolean } = {},
): {
  secrets: ResolvedSecrets;
  warnings: SecretWarning[];
} {
  const problems: ConfigProblem[] = [];
  const warnings: SecretWarning[] = [];
  const generate = options.generateSecrets ?? true;
  const jwt = { ...config.jwt };

  if (jwt.algorithm === 'HS256') {
    jwt.secret = requireSecret(config, 'KEYWARD_JWT_SECRET', 'jwt-secret', jwt.secret, {
      problems,
      warnings,
      generate,
    });
  }
  const apiKeyPepper = requireSecret(
    config,
    'KEYWARD_API_KEY_PEPPER',
    'api-key-pepper',
    config.apiKeys.pepper,
    { problems, warnings, generate },
  );

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { secrets: { jwt, apiKeyPepper }, warnings };
}

interface Findings {
  problems: ConfigProblem[];
  warnings: SecretWarning[];
  /** Whether a missing development secret may be created, rather than reported. */
  generate: boolean;
}

function requireSecret(
  config: Readonly<Config>,
  variable: string,
  fileName: string,
  value: string | undefined,
  findings: Findings,
): string {
  const { problems, warnings } = findings;
  const howToMake = 'make one with `keyward secret generate`';
  if (value === undefined) {
    if (config.production) {
      problems.push({ variable, message: `must be set in production: ${howToMake}` });
      return '';
    }
    const path = join(config.dataDir, fileName);
    // A second process (the CLI) must use the server's secret: inventing its own would make
    // keys it creates unusable by the server.
    if (!findings.generate && !existsSync(path)) {
      problems.push({
        variable,
        message: `is not set and ${path} does not exist: set it to the value the server uses`,
      });
      return '';
    }
    const { secret, created } = loadOrCreateDevSecret(config.dataDir, fileName);
    warnings.push({
      variable,
      message: `is not set, so a development secret ${created ? 'was generated and saved to' : 'is read from'} ${path}; set ${variable} before production`,
    });
    return secret;
  }

  // A pepper may carry a version prefix (`2:secret`); only the secret part is judged.
  const secretPart = variable === 'KEYWARD_API_KEY_PEPPER' ? value.replace(/^\d+:/, '') : value;
  const strength = checkSecretStrength(secretPart);
  if (strength.verdict === 'weak') {
    const message = `is weak (${strength.reasons.join('; ')}): ${howToMake}`;
    if (config.production) {
      problems.push({ variable, message });
    } else {
      warnings.push({ variable, message });
    }
  }
  return value;
}
