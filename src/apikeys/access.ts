import { KeywardError } from '../errors/index.js';
import type { ApiKeyLogger } from './logger.js';
import type { ApiKeyRecord } from './model.js';
import type { ApiKeyStore } from './store.js';

/**
 * Caller of a lifecycle method: a user, who manages only their own keys, or an operator (the
 * CLI), who manages every key and creates service keys. A user principal fits the first form.
 * `log` receives the lifecycle lines of this call. A request logger there adds the request id.
 * Without it, the lines go to the service's logger.
 */
export type Actor = ({ type: 'user'; userId: string } | { type: 'operator'; name: string }) & {
  log?: ApiKeyLogger;
};

/** Returns the value for an event's `actor` column: the user id or the operator name. */
export function actorName(actor: Actor): string {
  return actor.type === 'user' ? actor.userId : actor.name;
}

/**
 * Loads a key that the actor may manage. Raises `not_found` for a missing key and for another
 * user's key alike, so a user cannot probe which key ids exist.
 */
export async function loadOwnedKey(
  store: ApiKeyStore,
  actor: Actor,
  keyId: string,
): Promise<ApiKeyRecord> {
  const record = await store.findKeyById(keyId);
  if (!record || (actor.type === 'user' && record.userId !== actor.userId)) {
    throw new KeywardError('not_found', 'api key not found', { detail: `No API key ${keyId}.` });
  }
  return record;
}
