import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeValidationIssues } from '../../src/http/validation-issues.js';

const unknownField = (path: string): FastifySchemaValidationError => ({
  keyword: 'boolean',
  schemaPath: '#/properties/ratelimit/additionalProperties',
  instancePath: path,
  params: {},
  message: 'schema is false',
});
const extraAt = (path: string, names: string[]): FastifySchemaValidationError => ({
  keyword: 'additionalProperties',
  schemaPath: '#/properties/ratelimit',
  instancePath: path,
  params: { additionalProperties: names },
  message: 'must not have additional properties',
});
const removeIt = 'is not a field of this request. Remove it, or check its spelling.';

describe('describeValidationIssues', () => {
  it('reports a nested unknown field once', () => {
    const issues = describeValidationIssues(
      [unknownField('/ratelimit/limt'), extraAt('/ratelimit', ['limt'])],
      'body',
    );

    expect(issues).toEqual([{ pointer: '/ratelimit/limt', message: removeIt }]);
  });

  it('escapes names with a slash or a tilde', () => {
    const issues = describeValidationIssues(
      [unknownField('/a~1b~0c'), extraAt('', ['a/b~c'])],
      'body',
    );

    expect(issues).toEqual([{ pointer: '/a~1b~0c', message: removeIt }]);
  });

  it('keeps the parent error when a field has no error of its own', () => {
    const issues = describeValidationIssues([extraAt('', ['x'])], 'querystring');

    expect(issues).toEqual([
      { pointer: '/querystring', message: 'must not have additional properties' },
    ]);
  });

  it('keeps other errors with the part in the pointer', () => {
    const issues = describeValidationIssues(
      [
        {
          keyword: 'minimum',
          schemaPath: '#/properties/limit/minimum',
          instancePath: '/limit',
          params: { limit: 1 },
          message: 'must be >= 1',
        },
      ],
      'querystring',
    );

    expect(issues).toEqual([{ pointer: '/querystring/limit', message: 'must be >= 1' }]);
  });
});

describe('describeValidationIssues on unions', () => {
  const memberType = (path: string, type: string): FastifySchemaValidationError => ({
    keyword: 'type',
    schemaPath: '#/anyOf/1/type',
    instancePath: path,
    params: { type },
    message: `must be ${type}`,
  });
  const noMember = (path: string): FastifySchemaValidationError => ({
    keyword: 'anyOf',
    schemaPath: '#/anyOf',
    instancePath: path,
    params: {},
    message: 'must match a schema in anyOf',
  });

  it('keeps only the errors inside the member of the right type', () => {
    const issues = describeValidationIssues(
      [unknownField('/grace'), extraAt('', ['grace']), memberType('', 'null'), noMember('')],
      'body',
    );

    expect(issues).toEqual([{ pointer: '/grace', message: removeIt }]);
  });

  it('joins the member types when no member had the right type', () => {
    const issues = describeValidationIssues(
      [memberType('', 'object'), memberType('', 'null'), noMember('')],
      'body',
    );

    expect(issues).toEqual([{ pointer: '', message: 'must be object or null' }]);
  });

  it('narrows a union whose anyOf error was cut off', () => {
    const issues = describeValidationIssues(
      [unknownField('/a'), unknownField('/b'), memberType('', 'null')],
      'body',
    );

    expect(issues).toEqual([
      { pointer: '/a', message: removeIt },
      { pointer: '/b', message: removeIt },
    ]);
  });

  it('keeps the type error of a value that is not in a union', () => {
    const issues = describeValidationIssues([memberType('/name', 'string')], 'body');

    expect(issues).toEqual([{ pointer: '/name', message: 'must be string' }]);
  });

  it('keeps a format error of a nullable field', () => {
    const format: FastifySchemaValidationError = {
      keyword: 'format',
      schemaPath: '#/properties/expiresAt/anyOf/0/format',
      instancePath: '/expiresAt',
      params: { format: 'date-time' },
      message: 'must match format "date-time"',
    };
    const issues = describeValidationIssues(
      [format, memberType('/expiresAt', 'null'), noMember('/expiresAt')],
      'body',
    );

    expect(issues).toEqual([{ pointer: '/expiresAt', message: 'must match format "date-time"' }]);
  });
});
