import { describe, expect, it } from 'vitest';
import { isBackendUnavailable } from '../../src/distributed/backend-errors.js';

function withCode(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isBackendUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a connection exception (SQLSTATE 08006)', withCode('08006')],
    ['a failed connection (SQLSTATE 08001)', withCode('08001')],
    ['an administrator shutdown (57P01)', withCode('57P01')],
    ['a server still starting (57P03)', withCode('57P03')],
    ['too many connections (53300)', withCode('53300')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a pg connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a closed ioredis connection', new Error('Connection is closed.')],
    ['an ioredis command timeout', new Error('Command timed out')],
    ['a wrapped refusal', new Error('query failed', { cause: withCode('ECONNREFUSED') })],
    ['an AggregateError of refusals', new AggregateError([withCode('ECONNREFUSED')], 'all failed')],
  ])('accepts %s', (_case, error) => {
    expect(isBackendUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('rejects %s', (_case, error) => {
    expect(isBackendUnavailable(error)).toBe(false);
  });

  it('stops following a cyclic cause chain', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;

    expect(isBackendUnavailable(error)).toBe(false);
  });
});
