import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, errorCodes, KeywardError } from '../errors/index.js';
import { sendProblem } from './problem.js';
import { apiHeaders } from './security-headers.js';

/** Time to receive a whole request, headers and body, in milliseconds (slow-loris defence). */
export const requestTimeoutMs = 30_000;

/**
 * Sends problem+json, with the API's security headers, for errors that Node's HTTP parser raises
 * before Fastify receives a request (a malformed request line, headers over the size limit, a
 * request that never completes), then closes the connection. Returns the status sent, or
 * undefined when the socket could no longer be written to.
 */
export function handleClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
): number | undefined {
  if (!socket.writable) {
    socket.destroy();
    return undefined;
  }
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'validation_failed';
  const { status, title } = errorCodes[code];
  const body = JSON.stringify({ type: `urn:keyward:problem:${code}`, title, status, code });
  const headers = Object.entries({
    ...apiHeaders,
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.join('')}\r\n${body}`);
  return status;
}

/** Sends problem+json for Fastify's own routing errors (a malformed URL, a path parameter too long). */
export function handleFrameworkError(
  _error: Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(
    reply,
    new KeywardError('validation_failed', 'malformed URL', {
      detail: 'The URL is malformed or a path parameter is too long.',
    }),
  );
}
