import { dirname, resolve } from 'node:path';
import { parseRateLimit, type RateLimitPolicy } from '../ratelimit/index.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { ConfigError, unreadVariables, VariableReader } from './variables.js';

export type NodeEnv = 'development' | 'production' | 'test';

/** The validated, frozen settings of one keyward process. Secrets stay as given. */
export interface Config {
  nodeEnv: NodeEnv;
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string;
  /** Folder for generated development secrets: beside a SQLite file, else `./data`. */
  dataDir: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  clockSkewSeconds: number;
  jwt: JwtSettings;
  apiKeys: { pepper?: string; previousPeppers?: string; environment: 'live' | 'test' };
  rateLimits: {
    /** Default limit of each API key without a limit of its own. */
    perKey: RateLimitPolicy;
    /** Limit across all keys of one user; none when unset. */
    perUser?: RateLimitPolicy;
    /** Limit per client address on the sign-up, login and refresh routes. */
    perClientOnAuth: RateLimitPolicy;
    onStoreError: 'allow' | 'deny';
  };
  redisUrl?: string;
  /** Value for Fastify's `trustProxy`: false, or addresses and CIDR ranges of trusted proxies. */
  trustProxy: false | string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Scopes every new user gets. */
  userScopes: string[];
  /**
   * KEYWARD_* variables in the environment that keyward does not read, most likely misspelt,
   * with the closest setting name when one is near. Start-up logs a warning for each.
   */
  unknownVariables: { variable: string; suggestion?: string }[];
}

/** Raw signing settings, passed to the key ring which validates the keys themselves. */
export interface JwtSettings {
  algorithm: 'HS256' | 'EdDSA' | 'ES256';
  secret?: string;
  previousSecrets?: string;
  signingKey?: string;
  signingKeyFile?: string;
  previousSigningKeys?: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates every setting from `env`. Raises a ConfigError that names each invalid
 * variable and the fix; the error never contains the value of a secret.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Readonly<Config> {
  const read = new VariableReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const port = read.integer('PORT', 8080, 0, 65_535);
  const host = read.string('HOST') ?? '127.0.0.1';
  const databaseUrl = read.string('KEYWARD_DATABASE_URL') ?? 'sqlite:./data/keyward.db';
  const location = read.parsed('KEYWARD_DATABASE_URL', parseDatabaseUrl, undefined, true);

  const config: Config = {
    nodeEnv,
    production: nodeEnv === 'production',
    port,
    host,
    databaseUrl,
    dataDir:
      location?.dialect === 'sqlite' && location.filename !== ':memory:'
        ? dirname(location.filename)
        : resolve('data'),
    // A fixed default, not the listen address: a token must survive a change of port.
    issuer: read.string('KEYWARD_ISSUER') ?? 'keyward',
    audience: read.string('KEYWARD_AUDIENCE') ?? 'keyward',
    accessTokenTtlSeconds: read.integer('KEYWARD_ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: read.integer(
      'KEYWARD_REFRESH_TOKEN_TTL_SECONDS',
      30 * 86_400,
      300,
      365 * 86_400,
    ),
    // RFC 7519 allows "some small leeway"; more than a minute would mostly extend stolen tokens.
    clockSkewSeconds: read.integer('KEYWARD_CLOCK_SKEW_SECONDS', 30, 0, 60),
    jwt: readJwtSettings(read),
    apiKeys: {
      pepper: read.string('KEYWARD_API_KEY_PEPPER'),
      previousPeppers: read.string('KEYWARD_API_KEY_PREVIOUS_PEPPERS'),
      environment: read.oneOf('KEYWARD_API_KEY_ENVIRONMENT', ['live', 'test'], 'live'),
    },
    rateLimits: {
      perKey: read.parsed('KEYWARD_RATE_LIMIT', parseRateLimit, parseRateLimit('600/60s')),
      perUser: read.parsed('KEYWARD_USER_RATE_LIMIT', parseRateLimit, undefined),
      perClientOnAuth: read.parsed(
        'KEYWARD_AUTH_RATE_LIMIT',
        parseRateLimit,
        parseRateLimit('30/60s'),
      ),
      onStoreError: read.oneOf('KEYWARD_RATE_LIMIT_ON_STORE_ERROR', ['allow', 'deny'], 'allow'),
    },
    redisUrl: read.string('KEYWARD_REDIS_URL'),
    trustProxy: readTrustProxy(read),
    logLevel: read.oneOf('KEYWARD_LOG_LEVEL', logLevels, nodeEnv === 'test' ? 'warn' : 'info'),
    userScopes: (read.string('KEYWARD_USER_SCOPES') ?? 'keys:read keys:write').split(/[\s,]+/),
    unknownVariables: [],
  };
  checkRedisUrl(read, config.redisUrl);
  // Every setting has been read by now, so what is left over is unknown.
  config.unknownVariables = unreadVariables(env, read, 'KEYWARD_');

  if (read.problems.length > 0) {
    throw new ConfigError(read.problems);
  }
  return deepFreeze(config);
}

function readJwtSettings(read: VariableReader): JwtSettings {
  return {
    algorithm: read.oneOf('KEYWARD_JWT_ALGORITHM', ['HS256', 'EdDSA', 'ES256'], 'HS256'),
    secret: read.string('KEYWARD_JWT_SECRET'),
    previousSecrets: read.string('KEYWARD_JWT_PREVIOUS_SECRETS'),
    signingKey: read.string('KEYWARD_JWT_SIGNING_KEY'),
    signingKeyFile: read.string('KEYWARD_JWT_SIGNING_KEY_FILE'),
    previousSigningKeys: read.string('KEYWARD_JWT_PREVIOUS_SIGNING_KEYS'),
  };
}

function readTrustProxy(read: VariableReader): false | string[] {
  const text = read.string('KEYWARD_TRUST_PROXY');
  if (text === undefined) {
    return false;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  // Trusting every hop would let any client choose its own address for the login limits.
  if (entries.some((entry) => entry === '*' || entry === 'true' || entry === '0.0.0.0/0')) {
    read.problem('KEYWARD_TRUST_PROXY', 'must list the proxy addresses or CIDR ranges, not "all"');
    return false;
  }
  if (entries.some((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))) {
    read.problem('KEYWARD_TRUST_PROXY', 'must be comma-separated IP addresses or CIDR ranges');
    return false;
  }
  return entries;
}

function checkRedisUrl(read: VariableReader, url: string | undefined): void {
  if (url !== undefined && !/^rediss?:\/\//.test(url)) {
    read.problem('KEYWARD_REDIS_URL', 'must start with redis:// or rediss://');
  }
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) {
      deepFreeze(child);
    }
  }
  return Object.freeze(value);
}
