import type { ApiKeyService } from '../apikeys/index.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../ratelimit/index.js';
import type { SessionService } from '../users/session-service.js';
import type { User } from '../users/types.js';
import type { UserService } from '../users/user-service.js';

/** Result of one readiness check of a backing service. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'failed'>;
}

/** Everything the HTTP layer calls. Built once by the application context. */
export interface AppServices {
  config: Readonly<Config>;
  users: UserService;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  authenticate: Authenticator;
  /** Logs a user in behind the login guard. Raises `invalid_credentials` or `login_throttled`. */
  logIn(email: string, password: string, clientAddress: string): Promise<User>;
  limiter: RateLimiter;
  metrics: Metrics;
  publicJwks(): { keys: object[] };
  checkReadiness(): Promise<ReadinessReport>;
}
