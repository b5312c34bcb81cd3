import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKeywardError } from '../../src/errors/index.js';
import { newId } from '../../src/ids.js';
import { createKyselySessionStore } from '../../src/storage/kysely/session-store.js';
import { createKyselyUserStore } from '../../src/storage/kysely/user-store.js';
import type { Session, UserRecord } from '../../src/users/types.js';
import type { TestDatabase } from '../helpers/databases.js';

const hour = 3_600_000;

function makeUser(): UserRecord {
  return {
    id: newId('usr'),
    email: `${randomBytes(4).toString('hex')}@example.com`,
    passwordHash: '$argon2id$placeholder',
    scopes: ['keys:read'],
    createdAt: 1_000,
    updatedAt: 1_000,
  };
}

function makeSession(userId: string, now: number): Session {
  return {
    id: newId('ses'),
    userId,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + hour,
    revokedAt: null,
    revokedReason: null,
    userAgent: 'test',
  };
}

const token = (hash: string, sessionId: string, now: number) => ({
  hash,
  sessionId,
  createdAt: now,
  expiresAt: now + hour,
  spentAt: null,
});

/** Defines the user and session store tests, which run unchanged against every database. */
export function userSessionStoreSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`user and session stores on ${name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.drop();
    });
    const users = () => createKyselyUserStore(database.handle.db);
    const sessions = () => createKyselySessionStore(database.handle.db);

    it('finds a user by email and id', async () => {
      const user = makeUser();
      await users().insertUser(user);
      expect(await users().findUserByEmail(user.email)).toEqual(user);
      expect(await users().findUserById(user.id)).toEqual(user);
      expect(await users().findUserByEmail('nobody@example.com')).toBeUndefined();
    });

    it('raises email_taken for a second user with the same email', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const error = await users()
        .insertUser({ ...makeUser(), email: user.email })
        .catch((e) => e);
      expect(isKeywardError(error, 'email_taken')).toBe(true);
    });

    it('rotates a refresh token once and reports reuse', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const session = makeSession(user.id, 1_000);
      await sessions().insertSession(session, token('a', session.id, 1_000));

      const first = await sessions().rotateRefreshToken(
        'a',
        { hash: 'b', createdAt: 2_000, expiresAt: 9e12, spentAt: null },
        2_000,
      );
      expect(first.status).toBe('rotated');
      const again = await sessions().rotateRefreshToken(
        'a',
        { hash: 'c', createdAt: 3_000, expiresAt: 9e12, spentAt: null },
        3_000,
      );
      expect(again.status).toBe('reused');
      expect(await sessions().findSessionByTokenHash('c')).toBeUndefined();
    });

    it('lets exactly one of parallel rotations win', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const session = makeSession(user.id, 1_000);
      await sessions().insertSession(session, token('p0', session.id, 1_000));

      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          sessions().rotateRefreshToken(
            'p0',
            { hash: `p1-${i}`, createdAt: 2_000, expiresAt: 9e12, spentAt: null },
            2_000,
          ),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rotated')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'reused')).toHaveLength(7);
    });

    it('caps a successor at the session expiry and spends expired tokens as inactive', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const session = makeSession(user.id, 1_000);
      await sessions().insertSession(session, token('e0', session.id, 1_000));

      const late = session.expiresAt + 1;
      const outcome = await sessions().rotateRefreshToken(
        'e0',
        { hash: 'e1', createdAt: late, expiresAt: late + hour, spentAt: null },
        late,
      );
      expect(outcome.status).toBe('inactive');
    });

    it('revokes sessions one at a time and all of a user', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const one = makeSession(user.id, 1_000);
      const two = makeSession(user.id, 2_000);
      await sessions().insertSession(one, token(`r1-${one.id}`, one.id, 1_000));
      await sessions().insertSession(two, token(`r2-${two.id}`, two.id, 2_000));

      expect(await sessions().revokeSession(one.id, 'test', 3_000)).toBe(true);
      expect(await sessions().revokeSession(one.id, 'test', 3_000)).toBe(false);
      expect(await sessions().revokeUserSessions(user.id, 'test', 4_000)).toBe(1);
      const listed = await sessions().listSessions(user.id);
      expect(listed.map((s) => s.id)).toEqual([two.id, one.id]);
      expect(listed.every((s) => s.revokedAt !== null)).toBe(true);
    });

    it('refuses a rotation in a revoked session', async () => {
      const user = makeUser();
      await users().insertUser(user);
      const session = makeSession(user.id, 1_000);
      await sessions().insertSession(session, token(`v0-${session.id}`, session.id, 1_000));
      await sessions().revokeSession(session.id, 'test', 1_500);
      const outcome = await sessions().rotateRefreshToken(
        `v0-${session.id}`,
        { hash: `v1-${session.id}`, createdAt: 2_000, expiresAt: 9e12, spentAt: null },
        2_000,
      );
      expect(outcome.status).toBe('inactive');
    });
  });
}
