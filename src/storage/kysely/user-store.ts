import type { Kysely, Selectable } from 'kysely';
import { KeywardError } from '../../errors/index.js';
import type { UserStore } from '../../users/store.js';
import type { UserRecord } from '../../users/types.js';
import type { Database, UsersTable } from '../schema.js';
import { isUniqueViolation } from './errors.js';

/** Users in SQLite or PostgreSQL through Kysely. */
export function createKyselyUserStore(db: Kysely<Database>): UserStore {
  return {
    async insertUser(user) {
      try {
        await db.insertInto('users').values(toRow(user)).execute();
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new KeywardError('email_taken', 'email already registered', {
            detail: 'Log in with this email, or sign up with another one.',
          });
        }
        throw error;
      }
    },

    async findUserByEmail(email) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async findUserById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },

    async updatePasswordHash(userId, passwordHash, now) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', userId)
        .execute();
    },
  };
}

function toRow(user: UserRecord): UsersTable {
  return {
    id: user.id,
    email: user.email,
    password_hash: user.passwordHash,
    scopes: JSON.stringify(user.scopes),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function fromRow(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
