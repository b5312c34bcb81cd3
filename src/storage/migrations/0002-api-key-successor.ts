import type { Kysely } from 'kysely';

// A key has at most one successor: the unique index makes a second concurrent rotation of the
// same key fail, and it serves the successor lookup when a rotated key spends credits in its
// grace period. Both databases allow many NULLs in a unique index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('api_keys_rotated_from')
    .on('api_keys')
    .column('rotated_from')
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_keys_rotated_from').execute();
}
