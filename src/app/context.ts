import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createApiKeyService, looksLikeApiKey, peppersFromSettings } from '../apikeys/index.js';
import { createAuthenticator } from '../auth/authenticator.js';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import type { AppServices } from '../http/services.js';
import { createMemoryStore, createRateLimiter } from '../ratelimit/index.js';
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
import { createMemoryLoginStore } from '../users/memory-login-store.js';
import { createSessionService } from '../users/session-service.js';
import { createUserService } from '../users/user-service.js';
import { loginBackoff } from './login-backoff.js';

/** The running application: its services and how to shut them down. */
export interface AppContext {
  services: AppServices;
  /** Flushes batched writes and closes pools. Safe to call once. */
  close(): Promise<void>;
}

/**
 * Builds every service from the configuration: resolves secrets, opens and migrates the
 * database, and wires the domain modules together. Raises ConfigError for invalid settings.
 */
export async function createAppContext(config: Readonly<Config>, logger: Logger): Promise<AppContext> {
  const { secrets, warnings } = resolveSecrets(config);
  for (const warning of warnings) {
    logger.warn({ event: 'config.weak_secret', variable: warning.variable }, `${warning.variable} ${warning.message}`);
  }

  const keyring = await createKeyring(await keyringOptionsFromSettings(secrets.jwt));
  const handle = openDatabase(parseDatabaseUrl(config.databaseUrl));
  await migrateToLatest(handle);

  const limiter = createRateLimiter({ store: createMemoryStore(), onStoreError: config.rateLimits.onStoreError, logger });
  const users = await createUserService({ store: createKyselyUserStore(handle.db), defaultScopes: config.userScopes });
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
  });
  const loginGuard = createLoginGuard({ store: createMemoryLoginStore(), ...loginBackoff });
  const apiKeys = createApiKeyService({
    store: createKyselyApiKeyStore(handle.db),
    peppers: peppersFromSettings(secrets.apiKeyPepper, config.apiKeys.previousPeppers),
    limiter,
    defaultRateLimit: config.rateLimits.perKey,
    userRateLimit: config.rateLimits.perUser,
    environment: config.apiKeys.environment,
    logger,
  });
  const verifyAccessToken = createAccessTokenVerifier({
    keyring,
    issuer: config.issuer,
    audience: config.audience,
    clockSkewSeconds: config.clockSkewSeconds,
  });

  const services: AppServices = {
    config,
    users,
    sessions,
    apiKeys,
    limiter,
    authenticate: createAuthenticator({
      verifyAccessToken,
      verifyApiKey: (key) => apiKeys.verifyKey(key),
      looksLikeApiKey,
    }),
    logIn: (email, password, clientAddress) =>
      loginGuard.guard(email, clientAddress, () => users.logIn(email, password)),
    publicJwks: () => keyring.publicJwks(),
    async checkReadiness() {
      const database = await sql`select 1`.execute(handle.db).then(
        () => 'ok' as const,
        () => 'failed' as const,
      );
      return { ready: database === 'ok', checks: { database } };
    },
  };

  let closed = false;
  return {
    services,
    async close() {
      if (closed) return;
      closed = true;
      await apiKeys.flush();
      await handle.close();
    },
  };
}
