import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createApiKeyService, looksLikeApiKey, peppersFromSettings } from '../apikeys/index.js';
import { createAuthenticator, frozenUserPrincipal } from '../auth/authenticator.js';
import { cacheVerifiedTokens } from '../auth/token-cache.js';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import { createCoordination } from '../distributed/coordination.js';
import { createReadinessCheck } from '../distributed/readiness.js';
import { rejectRevokedSessions, skipRevokedSessions } from '../distributed/session-denylist.js';
import type { AppServices } from '../http/services.js';
import { createMetrics } from '../observability/metrics.js';
import { createRateLimiter } from '../ratelimit/index.js';
import { openDatabase } from '../storage/database.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { createKyselyApiKeyStore } from '../storage/kysely/api-key-store.js';
import { createKyselySessionStore } from '../storage/kysely/session-store.js';
import { createKyselyUserStore } from '../storage/kysely/user-store.js';
import { migrateToLatest } from '../storage/migrate.js';
import {
  createAccessTokenIssuer,
  createAccessTokenVerifier,
  createKeyring,
  keyringOptionsFromSettings,
} from '../tokens/index.js';
import { createLoginGuard } from '../users/login-guard.js';
import { createSessionService } from '../users/session-service.js';
import { createUserService } from '../users/user-service.js';
import { countDecisions, countVerifications } from './counted.js';
import { loginBackoff } from './login-backoff.js';

/** The running application: its services and how to shut them down. */
export interface AppContext {
  services: AppServices;
  /** Flushes batched writes, then closes Redis connections and pools. Safe to call once. */
  close(): Promise<void>;
}

/** How long closing waits for Redis to acknowledge QUIT, in milliseconds. */
const redisCloseTimeoutMs = 2000;

/**
 * Builds every service from the configuration: resolves secrets, opens and migrates the
 * database, connects to Redis when configured, and wires the domain modules together. With
 * `generateSecrets: false` (the CLI) a missing development secret is an error, not a new one.
 * Raises ConfigError for invalid settings.
 */
export async function createAppContext(
  config: Readonly<Config>,
  logger: Logger,
  options: { generateSecrets?: boolean } = {},
): Promise<AppContext> {
  for (const { variable, suggestion } of config.unknownVariables) {
    const hint = suggestion
      ? `; did you mean ${suggestion}?`
      : '; see the configuration table in README.md';
    logger.warn(
      { event: 'config.unknown_variable', variable },
      `${variable} is not a keyward setting and is ignored${hint}`,
    );
  }
  const { secrets, warnings } = resolveSecrets(config, options);
  for (const warning of warnings) {
    logger.warn(
      { event: 'config.secret_warning', variable: warning.variable },
      `${warning.variable} ${warning.message}`,
    );
  }

  const keyring = createKeyring(keyringOptionsFromSettings(secrets.jwt));
  const handle = openDatabase(parseDatabaseUrl(config.databaseUrl), { logger });
  await migrateToLatest(handle);
  const shared = await createCoordination({
    redisUrl: config.redisUrl,
    logger,
    // A token issued just before a revocation is accepted until `exp` plus the clock skew.
    sessionDenylistTtlMs: (config.accessTokenTtlSeconds + config.clockSkewSeconds) * 1000,
  });

  const metrics = createMetrics();
  const limiter = countDecisions(
    createRateLimiter({
      store: shared.rateLimitStore,
      onStoreError: config.rateLimits.onStoreError,
      logger,
    }),
    metrics,
  );
  const users = await createUserService({
    store: createKyselyUserStore(handle.db),
    defaultScopes: config.userScopes,
  });
  const accessTokens = createAccessTokenIssuer({
    keyring,
    issuer: config.issuer,
    audience: config.audience,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const sessions = createSessionService({
    store: createKyselySessionStore(handle.db),
    users,
    accessTokens,
    refreshTtlMs: config.refreshTokenTtlSeconds * 1000,
    onRevoked: (sessionIds) => shared.sessionsRevoked(sessionIds),
  });
  const loginGuard = createLoginGuard({ store: shared.loginStore, ...loginBackoff });
  const apiKeys = createApiKeyService({
    store: createKyselyApiKeyStore(handle.db),
    peppers: peppersFromSettings(secrets.apiKeyPepper, config.apiKeys.previousPeppers),
    limiter,
    defaultRateLimit: config.rateLimits.perKey,
    userRateLimit: config.rateLimits.perUser,
    environment: config.apiKeys.environment,
    logger,
    ...(shared.apiKeyBus ? { invalidationBus: shared.apiKeyBus } : {}),
  });
  shared.watchApiKeys(apiKeys);
  countVerifications(apiKeys, metrics);
  // The cache sits inside the denylist check, so a revoked session is rejected on a cache hit.
  const verifiedTokens = cacheVerifiedTokens(
    createAccessTokenVerifier({
      keyring,
      issuer: config.issuer,
      audience: config.audience,
      clockSkewSeconds: config.clockSkewSeconds,
    }),
    {
      clockSkewSeconds: config.clockSkewSeconds,
      // Built once per token, so a request with a cached token allocates no principal.
      derive: (claims) => ({ sid: claims.sid, principal: frozenUserPrincipal(claims) }),
    },
  );
  const verifyAccessToken = rejectRevokedSessions(verifiedTokens.verify, shared.isSessionRevoked);
  const findCachedToken = skipRevokedSessions(verifiedTokens.lookup, shared.isSessionRevoked);

  const services: AppServices = {
    config,
    users,
    sessions,
    apiKeys,
    limiter,
    metrics,
    authenticate: createAuthenticator({
      verifyAccessToken,
      lookupAccessToken: (token) => findCachedToken(token)?.principal,
      verifyApiKey: (key) => apiKeys.admitKey(key),
      looksLikeApiKey,
    }),
    logIn: (email, password, clientAddress) =>
      loginGuard.guard(email, clientAddress, () => users.logIn(email, password)),
    publicJwks: () => keyring.publicJwks(),
    checkReadiness: createReadinessCheck({
      database: () => sql`select 1`.execute(handle.db),
      ...shared.probes,
    }),
  };

  let closed = false;
  return {
    services,
    async close() {
      if (closed) return;
      closed = true;
      // Batched writes go to the database first. Redis has nothing to flush.
      await apiKeys.close();
      await shared.close(redisCloseTimeoutMs);
      await handle.close();
    },
  };
}
