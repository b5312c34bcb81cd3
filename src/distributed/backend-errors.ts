/**
 * Socket error codes of a connection that could not be made or was lost (Node's net and dns
 * modules). They mean the database or Redis is unreachable, not that the request was wrong.
 */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATE codes of a server that is unreachable, stopping or starting: class 08
 * (connection exception) is matched by prefix; 57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now, 53300 too_many_connections.
 */
const postgresCodes = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Messages of errors that carry no code: node-postgres (pg 8) for a lost or timed-out
 * connection, and ioredis (6) for a command that could not be sent or got no reply in time.
 */
const messagePatterns = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Connection is closed\.$/,
  /^Stream isn't writeable/,
  /^Command timed out$/,
];

/** Maximum depth of the `cause` chains followed. Wrappers rarely nest more than twice. */
const MAX_CAUSE_DEPTH = 4;

/**
 * Tells whether an error means that PostgreSQL or Redis could not be reached, as opposed to a
 * bug or a rejected query. Follows `cause` chains and the `errors` of an AggregateError (which
 * Node raises when every address of a host name refused the connection).
 */
export function isBackendUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return false;

  const { code, message, name, cause, errors } = error as Record<string, unknown>;
  if (typeof code === 'string' && matchesCode(code)) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && messagePatterns.some((pattern) => pattern.test(message))) {
    return true;
  }
  if (Array.isArray(errors) && errors.some((inner) => isBackendUnavailable(inner, depth + 1))) {
    return true;
  }
  return isBackendUnavailable(cause, depth + 1);
}

function matchesCode(code: string): boolean {
  return socketCodes.has(code) || postgresCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}
