import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselySessionStore } from '../../src/storage/kysely/session-store.js';
import { createKyselyUserStore } from '../../src/storage/kysely/user-store.js';
import { createSessionService, type SessionService } from '../../src/users/session-service.js';
import type { User } from '../../src/users/types.js';
import { createUserService } from '../../src/users/user-service.js';
import { openTestSqlite, type TestDatabase } from '../helpers/databases.js';

describe('session service', () => {
  let database: TestDatabase;
  let sessions: SessionService;
  let user: User;
  let time = 1_700_000_000_000;
  const revoked: string[] = [];

  beforeAll(async () => {
    database = await openTestSqlite();
    const users = await createUserService({
      store: createKyselyUserStore(database.handle.db),
      defaultScopes: ['a', 'b'],
    });
    user = await users.signUp('session@example.com', 'correct horse battery staple');
    let counter = 0;
    sessions = createSessionService({
      store: createKyselySessionStore(database.handle.db),
      users,
      accessTokens: {
        issue: ({ sub, scope }) => ({ token: `at-${sub}-${scope}-${counter++}`, expiresIn: 900 }),
      },
      refreshTtlMs: 86_400_000,
      onRevoked: (ids) => revoked.push(...ids),
      now: () => time,
    });
  });
  afterAll(() => database.drop());

  it('starts a session with an opaque 256-bit refresh token', async () => {
    const tokens = await sessions.start(user, 'curl/8');
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.accessToken).toContain('a b');
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.expiresIn).toBe(900);
  });

  it('rotates the refresh token on every use', async () => {
    const first = await sessions.start(user);
    const second = await sessions.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    await expect(sessions.refresh(second.refreshToken)).resolves.toBeDefined();
  });

  it('revokes the whole family when a spent token comes back', async () => {
    const first = await sessions.start(user);
    const second = await sessions.refresh(first.refreshToken);
    const reuse = await sessions.refresh(first.refreshToken).catch((e) => e);
    expect(reuse.code).toBe('invalid_refresh_token');
    expect(reuse.details.reason).toBe('reused');
    expect(revoked).toContain(first.sessionId);
    const after = await sessions.refresh(second.refreshToken).catch((e) => e);
    expect(after.code).toBe('invalid_refresh_token');
  });

  it('revokes the family at logout', async () => {
    const tokens = await sessions.start(user);
    await sessions.logOut(tokens.refreshToken);
    expect((await sessions.refresh(tokens.refreshToken).catch((e) => e)).code).toBe(
      'invalid_refresh_token',
    );
  });

  it('rejects malformed and unknown refresh tokens', async () => {
    for (const token of ['', 'short', 'x'.repeat(43), '!'.repeat(43)]) {
      expect((await sessions.refresh(token).catch((e) => e)).code).toBe('invalid_refresh_token');
    }
  });

  it('rejects a refresh after the session lifetime', async () => {
    const tokens = await sessions.start(user);
    time += 86_400_001;
    const error = await sessions.refresh(tokens.refreshToken).catch((e) => e);
    expect(error.code).toBe('invalid_refresh_token');
  });

  it('lists sessions and revokes one only for its owner', async () => {
    const tokens = await sessions.start(user);
    const listed = await sessions.list(user.id);
    expect(listed.some((s) => s.id === tokens.sessionId)).toBe(true);
    expect((await sessions.revoke('usr_other', tokens.sessionId).catch((e) => e)).code).toBe(
      'not_found',
    );
    await sessions.revoke(user.id, tokens.sessionId);
    expect((await sessions.refresh(tokens.refreshToken).catch((e) => e)).code).toBe(
      'invalid_refresh_token',
    );
  });

  it('revokes every open session of a user', async () => {
    const a = await sessions.start(user);
    const b = await sessions.start(user);
    expect(await sessions.revokeAll(user.id, 'password changed')).toBeGreaterThanOrEqual(2);
    for (const tokens of [a, b]) {
      expect((await sessions.refresh(tokens.refreshToken).catch((e) => e)).code).toBe(
        'invalid_refresh_token',
      );
    }
  });
});
