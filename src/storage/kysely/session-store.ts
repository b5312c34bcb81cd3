import type { Kysely, Selectable, Transaction } from 'kysely';
import type { SessionStore } from '../../users/store.js';
import type { RefreshTokenRecord, Session } from '../../users/types.js';
import type { Database, SessionsTable } from '../schema.js';

/** Sessions and refresh tokens in SQLite or PostgreSQL through Kysely. */
export function createKyselySessionStore(db: Kysely<Database>): SessionStore {
  return {
    async insertSession(session, token) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('sessions').values(toSessionRow(session)).execute();
        await trx.insertInto('refresh_tokens').values(toTokenRow(token)).execute();
      });
    },

    rotateRefreshToken(oldHash, next, now) {
      return db.transaction().execute((trx) => rotate(trx, oldHash, next, now));
    },

    async findSessionByTokenHash(hash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
        .selectAll('sessions')
        .where('refresh_tokens.hash', '=', hash)
        .executeTakeFirst();
      return row && fromSessionRow(row);
    },

    async findSession(id) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && fromSessionRow(row);
    },

    async listSessions(userId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(fromSessionRow);
    },

    async revokeSession(id, reason, now) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: now, revoked_reason: reason })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokeUserSessions(userId, reason, now) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: now, revoked_reason: reason })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

// The conditional update is the race guard: of two transactions spending the same token, only
// one finds `spent_at is null` (PostgreSQL re-checks the row after the other commits; SQLite
// serialises writers), so exactly one gets a successor.
async function rotate(
  trx: Transaction<Database>,
  oldHash: string,
  next: Omit<RefreshTokenRecord, 'sessionId'>,
  now: number,
) {
  const token = await trx
    .selectFrom('refresh_tokens')
    .select(['session_id', 'expires_at'])
    .where('hash', '=', oldHash)
    .executeTakeFirst();
  if (!token) {
    return { status: 'not_found' } as const;
  }

  const spent = await trx
    .updateTable('refresh_tokens')
    .set({ spent_at: now })
    .where('hash', '=', oldHash)
    .where('spent_at', 'is', null)
    .executeTakeFirst();
  const session = fromSessionRow(
    await trx
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', token.session_id)
      .executeTakeFirstOrThrow(),
  );
  if (spent.numUpdatedRows === 0n) {
    return { status: 'reused', session } as const;
  }
  if (token.expires_at <= now || session.revokedAt !== null || session.expiresAt <= now) {
    return { status: 'inactive', session } as const;
  }

  // A successor never outlives its session, so rotation cannot extend a login forever.
  const expiresAt = Math.min(next.expiresAt, session.expiresAt);
  await trx
    .insertInto('refresh_tokens')
    .values(toTokenRow({ ...next, expiresAt, sessionId: session.id }))
    .execute();
  await trx
    .updateTable('sessions')
    .set({ last_used_at: now })
    .where('id', '=', session.id)
    .execute();
  return { status: 'rotated', session: { ...session, lastUsedAt: now } } as const;
}

function toSessionRow(session: Session): SessionsTable {
  return {
    id: session.id,
    user_id: session.userId,
    created_at: session.createdAt,
    last_used_at: session.lastUsedAt,
    expires_at: session.expiresAt,
    revoked_at: session.revokedAt,
    revoked_reason: session.revokedReason,
    user_agent: session.userAgent,
  };
}

function toTokenRow(token: RefreshTokenRecord) {
  return {
    hash: token.hash,
    session_id: token.sessionId,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    spent_at: token.spentAt,
  };
}

function fromSessionRow(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    userAgent: row.user_agent,
  };
}
