import { randomBytes } from 'node:crypto';

/** Kind of record id. The prefix shows what an id refers to (`usr_…`, `key_…`). */
export type IdPrefix = 'usr' | 'ses' | 'key';

/** Makes a new id: the prefix, an underscore and 128 random bits in base64url (22 characters). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
