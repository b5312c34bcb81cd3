import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type {
  ApiKeyRecord,
  CreditState,
  NewApiKeyEvent,
  RefillInterval,
} from '../../apikeys/model.js';
import type { ApiKeyChanges, ApiKeyStore, KeyRotation } from '../../apikeys/store.js';
import type { ApiKeyEventsTable, ApiKeysTable, Database } from '../schema.js';
import { isUniqueViolation } from './errors.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Builds the store of API keys and their audit events in SQLite or PostgreSQL through Kysely.
 * Both databases run the same queries. Credit spending relies on single-statement conditional
 * updates, which are atomic on both.
 */
export function createKyselyApiKeyStore(db: Kysely<Database>): ApiKeyStore {
  return {
    async insertKey(record, events) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('api_keys').values(toRow(record)).execute();
        await insertEvents(trx, events);
      });
    },

    async findKeyById(id) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async findKeyByHashes(hashes) {
      if (hashes.length === 0) {
        return undefined;
      }
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('hash', 'in', hashes)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async listKeys(userId) {
      let query = db.selectFrom('api_keys').selectAll();
      if (userId !== undefined) {
        query = query.where('user_id', userId === null ? 'is' : '=', userId);
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(fromRow);
    },

    updateKey(id, changes, events) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('api_keys')
          .set(changesToRow(changes))
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (!row) {
          return undefined;
        }
        await insertEvents(trx, events);
        return fromRow(row);
      });
    },

    async rotateKey(rotation) {
      try {
        return await db.transaction().execute((trx) => rotate(trx, rotation));
      } catch (error) {
        // The unique index on rotated_from (migration 0002) stops a second concurrent rotation.
        if (isUniqueViolation(error)) {
          return undefined;
        }
        throw error;
      }
    },

    async rehashKey(id, oldHash, hash, hashVersion) {
      await db
        .updateTable('api_keys')
        .set({ hash, hash_version: hashVersion })
        .where('id', '=', id)
        .where('hash', '=', oldHash)
        .execute();
    },

    async spendCredits(id, cost, required, refillPeriodStart) {
      if (refillPeriodStart !== undefined) {
        await refill(db, id, refillPeriodStart);
      }
      const spent = await db
        .updateTable('api_keys')
        .set({ credits_remaining: sql<number>`credits_remaining - ${cost}` })
        .where('id', '=', id)
        .where('credits_remaining', '>=', required)
        .returning('credits_remaining')
        .executeTakeFirst();
      if (spent) {
        return { spent: true, remaining: spent.credits_remaining! };
      }
      const current = await db
        .selectFrom('api_keys')
        .select('credits_remaining')
        .where('id', '=', id)
        .executeTakeFirst();
      if (current?.credits_remaining == null) {
        return undefined;
      }
      return { spent: false, remaining: current.credits_remaining };
    },

    async findSuccessor(id) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('rotated_from', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async touchLastUsed(entries) {
      if (entries.length === 0) {
        return;
      }
      // One transaction per batch: on SQLite that is one commit instead of one per key.
      await db.transaction().execute(async (trx) => {
        for (const { id, lastUsedAt } of entries) {
          await trx
            .updateTable('api_keys')
            .set({ last_used_at: lastUsedAt })
            .where('id', '=', id)
            .where((eb) =>
              eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', lastUsedAt)]),
            )
            .execute();
        }
      });
    },

    insertEvents: (events) => insertEvents(db, events),

    async listEvents(keyId, limit, beforeId) {
      let query = db.selectFrom('api_key_events').selectAll().where('key_id', '=', keyId);
      if (beforeId !== undefined) {
        query = query.where('id', '<', beforeId);
      }
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        keyId: row.key_id,
        type: row.type as NewApiKeyEvent['type'],
        reason: row.reason,
        actor: row.actor,
        createdAt: row.created_at,
      }));
    },
  };
}

/**
 * Locks the old key by updating it first, so its credits are read after any concurrent spend,
 * then inserts the successor with those credits and leaves the old key with none and no refill.
 */
async function rotate(trx: Transaction<Database>, rotation: KeyRotation) {
  const { oldId, successor, graceEndsAt } = rotation;
  const old = await trx
    .updateTable('api_keys')
    .set({
      expires_at: sql<number>`case when expires_at is not null and expires_at < ${graceEndsAt} then expires_at else ${graceEndsAt} end`,
      updated_at: successor.createdAt,
    })
    .where('id', '=', oldId)
    .where('revoked_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('api_keys as next')
            .select('next.id')
            .whereRef('next.rotated_from', '=', 'api_keys.id'),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  if (!old) {
    return undefined;
  }

  const stored: ApiKeyRecord = { ...successor, credits: fromRow(old).credits };
  await trx.insertInto('api_keys').values(toRow(stored)).execute();
  if (old.credits_remaining !== null) {
    await trx
      .updateTable('api_keys')
      .set({ credits_remaining: 0, refill_amount: null, refill_interval: null })
      .where('id', '=', oldId)
      .execute();
  }
  await insertEvents(trx, rotation.events);
  return stored;
}

/** Raises the credits to the refill amount once per period, even with concurrent callers. */
async function refill(db: Db, id: string, periodStart: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({
      credits_remaining: sql<number>`case when credits_remaining < refill_amount then refill_amount else credits_remaining end`,
      refilled_at: periodStart,
    })
    .where('id', '=', id)
    .where('refill_amount', 'is not', null)
    .where((eb) => eb.or([eb('refilled_at', 'is', null), eb('refilled_at', '<', periodStart)]))
    .execute();
}

async function insertEvents(db: Db, events: readonly NewApiKeyEvent[]): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const rows: Omit<ApiKeyEventsTable, 'id'>[] = events.map((event) => ({
    key_id: event.keyId,
    type: event.type,
    reason: event.reason,
    actor: event.actor,
    created_at: event.createdAt,
  }));
  await db.insertInto('api_key_events').values(rows).execute();
}

function toRow(record: ApiKeyRecord): ApiKeysTable {
  const { credits, ratelimit } = record;
  return {
    id: record.id,
    user_id: record.userId,
    name: record.name,
    prefix: record.prefix,
    start: record.start,
    hash: record.hash,
    hash_version: record.hashVersion,
    scopes: JSON.stringify(record.scopes),
    metadata: JSON.stringify(record.metadata),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    expires_at: record.expiresAt,
    last_used_at: record.lastUsedAt,
    revoked_at: record.revokedAt,
    disabled_at: record.disabledAt,
    rotated_from: record.rotatedFrom,
    credits_remaining: credits?.remaining ?? null,
    refill_amount: credits?.refill?.amount ?? null,
    refill_interval: credits?.refill?.interval ?? null,
    refilled_at: credits?.refilledAt ?? null,
    ...ratelimitToRow(ratelimit),
  };
}

function ratelimitToRow(ratelimit: ApiKeyRecord['ratelimit']) {
  return {
    ratelimit_limit: ratelimit?.limit ?? null,
    ratelimit_window_ms: ratelimit?.windowMs ?? null,
    ratelimit_burst: ratelimit?.burst ?? null,
  };
}

function changesToRow(changes: ApiKeyChanges): Updateable<ApiKeysTable> {
  const row: Updateable<ApiKeysTable> = { updated_at: changes.updatedAt };
  if (changes.name !== undefined) row.name = changes.name;
  if (changes.metadata !== undefined) row.metadata = JSON.stringify(changes.metadata);
  if (changes.expiresAt !== undefined) row.expires_at = changes.expiresAt;
  if (changes.revokedAt !== undefined) row.revoked_at = changes.revokedAt;
  if (changes.disabledAt !== undefined) row.disabled_at = changes.disabledAt;
  if (changes.ratelimit !== undefined) Object.assign(row, ratelimitToRow(changes.ratelimit));
  return row;
}

function fromRow(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    start: row.start,
    hash: row.hash,
    hashVersion: row.hash_version,
    scopes: JSON.parse(row.scopes) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    disabledAt: row.disabled_at,
    rotatedFrom: row.rotated_from,
    credits: creditsFromRow(row),
    ratelimit:
      row.ratelimit_limit === null || row.ratelimit_window_ms === null
        ? null
        : {
            limit: row.ratelimit_limit,
            windowMs: row.ratelimit_window_ms,
            ...(row.ratelimit_burst === null ? {} : { burst: row.ratelimit_burst }),
          },
  };
}

function creditsFromRow(row: Selectable<ApiKeysTable>): CreditState | null {
  if (row.credits_remaining === null) {
    return null;
  }
  const refill =
    row.refill_amount === null || row.refill_interval === null
      ? null
      : { amount: row.refill_amount, interval: row.refill_interval as RefillInterval };
  return { remaining: row.credits_remaining, refill, refilledAt: row.refilled_at };
}
