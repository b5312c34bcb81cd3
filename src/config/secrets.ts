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
export function resolveSecrets(config: Readonly<Config>): {
  secrets: ResolvedSecrets;
  warnings: SecretWarning[];
} {
  const problems: ConfigProblem[] = [];
  const warnings: SecretWarning[] = [];
  const jwt = { ...config.jwt };

  if (jwt.algorithm === 'HS256') {
    jwt.secret = requireSecret(
      config,
      'KEYWARD_JWT_SECRET',
      'jwt-secret',
      jwt.secret,
      problems,
      warnings,
    );
  }
  const apiKeyPepper = requireSecret(
    config,
    'KEYWARD_API_KEY_PEPPER',
    'api-key-pepper',
    config.apiKeys.pepper,
    problems,
    warnings,
  );

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { secrets: { jwt, apiKeyPepper }, warnings };
}

function requireSecret(
  config: Readonly<Config>,
  variable: string,
  fileName: string,
  value: string | undefined,
  problems: ConfigProblem[],
  warnings: SecretWarning[],
): string {
  const generate = 'make one with `keyward secret generate`';
  if (value === undefined) {
    if (config.production) {
      problems.push({ variable, message: `must be set in production: ${generate}` });
      return '';
    }
    const { secret, created } = loadOrCreateDevSecret(config.dataDir, fileName);
    warnings.push({
      variable,
      message: `is not set, so a development secret ${created ? 'was generated' : 'is read'} from ${config.dataDir}/${fileName}; set ${variable} before production`,
    });
    return secret;
  }

  // A pepper may carry a version prefix (`2:secret`); only the secret part is judged.
  const secretPart = variable === 'KEYWARD_API_KEY_PEPPER' ? value.replace(/^\d+:/, '') : value;
  const strength = checkSecretStrength(secretPart);
  if (strength.verdict === 'weak') {
    const message = `is weak (${strength.reasons.join('; ')}): ${generate}`;
    if (config.production) {
      problems.push({ variable, message });
    } else {
      warnings.push({ variable, message });
    }
  }
  return value;
}
