import type { FastifyReply } from 'fastify';
import { type ErrorCode, errorCodes, type KeywardError } from '../errors/index.js';
import { redactUrl } from './logger.js';

/** An RFC 9457 problem details body with keyward's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  errors?: { pointer: string; message: string }[];
}

const realm = 'keyward';

// RFC 6750 3.1 names three error values; every other 401 gets the bare challenge.
const bearerErrors: Partial<Record<ErrorCode, string>> = {
  invalid_request: 'invalid_request',
  invalid_token: 'invalid_token',
  invalid_api_key: 'invalid_token',
  insufficient_scope: 'insufficient_scope',
};

/** Builds the problem body for an error. Only public parts of the error are used. */
export function toProblem(error: KeywardError, instance?: string): Problem {
  const { status, title } = errorCodes[error.code];
  const problem: Problem = {
    type: `urn:keyward:problem:${error.code}`,
    title,
    status,
    code: error.code,
  };
  if (error.details.detail) {
    problem.detail = error.details.detail;
  }
  if (error.details.errors) {
    problem.errors = error.details.errors;
  }
  if (instance) {
    problem.instance = instance;
  }
  return problem;
}

/** Sets the RFC 6750 challenge and Retry-After headers that go with an error, then sends it. */
export function sendProblem(reply: FastifyReply, error: KeywardError): FastifyReply {
  const problem = toProblem(error, redactUrl(reply.request.url.split('?')[0]!));
  const bearerError = bearerErrors[error.code];
  if (problem.status === 401 || bearerError) {
    const parts = [`realm="${realm}"`];
    if (bearerError) {
      parts.push(`error="${bearerError}"`);
    }
    if (error.details.scope) {
      parts.push(`scope="${error.details.scope}"`);
    }
    reply.header('www-authenticate', `Bearer ${parts.join(', ')}`);
  }
  if (error.details.headers) {
    reply.headers(error.details.headers);
  }
  if (error.details.retryAfterMs !== undefined) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(error.details.retryAfterMs / 1000))));
  }
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
