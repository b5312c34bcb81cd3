/** Subject of an invalidation message: API keys, or sessions whose access tokens must stop. */
export type Topic = 'api-keys' | 'sessions';

export const topics: readonly Topic[] = ['api-keys', 'sessions'];

/** A decoded message: the sending instance and the ids it invalidated. */
export interface InvalidationMessage {
  origin: string;
  ids: string[];
}

/** Ids per message. `revokeAll` of a user with many sessions sends several messages. */
const MAX_IDS_PER_MESSAGE = 100;

/** Record ids are a type prefix, `_` and base64url; anything else is dropped on receipt. */
const ID_PATTERN = /^[a-z]{2,8}_[A-Za-z0-9_-]{1,64}$/;

/** Splits ids into groups that each fit one message. */
export function chunkIds(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_MESSAGE) {
    chunks.push(ids.slice(start, start + MAX_IDS_PER_MESSAGE));
  }
  return chunks;
}

/** Encodes one message as JSON: `{"origin":"…","ids":["key_…"]}`. */
export function encodeMessage(origin: string, ids: readonly string[]): string {
  return JSON.stringify({ origin, ids });
}

/**
 * Decodes a message, or returns undefined when it is not one. Anyone who can publish on the
 * Redis can send these, so the shape and every id are checked, and ids past the limit ignored.
 */
export function decodeMessage(text: string): InvalidationMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;

  const { origin, ids } = value as { origin?: unknown; ids?: unknown };
  if (typeof origin !== 'string' || !Array.isArray(ids)) return undefined;
  const valid = ids
    .slice(0, MAX_IDS_PER_MESSAGE)
    .filter((id): id is string => typeof id === 'string' && ID_PATTERN.test(id));
  return valid.length > 0 ? { origin, ids: valid } : undefined;
}
