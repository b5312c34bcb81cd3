import type { FastifySchemaValidationError } from 'fastify';

/**
 * Most errors the validator collects for one request part. TypeBox stops there (its default is
 * 8), which bounds the work a malicious body can cause.
 */
export const maxValidationErrors = 20;

/** One problem of a request part, as listed in `errors` of a 400 response. */
export interface ValidationIssue {
  /** JSON Pointer (RFC 6901) to the value, prefixed by the part (`/querystring`) unless it is the body. */
  pointer: string;
  message: string;
}

/**
 * Turns the validator's errors into issues a client can act on. A field that a closed schema
 * does not accept is reported by the validator twice: once at the field as "schema is false",
 * and once at its parent as "must not have additional properties". Both become one issue at the
 * field, whose message asks the client to remove it. The errors of a union's members are
 * narrowed first (`collapseUnions`).
 */
export function describeValidationIssues(
  validatorErrors: readonly FastifySchemaValidationError[],
  part: string | undefined,
): ValidationIssue[] {
  const errors = collapseUnions(validatorErrors);
  const prefix = part === undefined || part === 'body' ? '' : `/${part}`;
  const issues: ValidationIssue[] = [];
  const unknownFields = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
      unknownFields.add(error.instancePath);
      issues.push({
        pointer: prefix + error.instancePath,
        message: 'is not a field of this request. Remove it, or check its spelling.',
      });
    }
  }
  for (const error of errors) {
    if (error.keyword === 'boolean' && unknownFields.has(error.instancePath)) continue;
    if (error.keyword === 'additionalProperties' && reportedEach(error, unknownFields)) continue;
    issues.push({ pointer: prefix + error.instancePath, message: error.message ?? 'is invalid' });
  }
  return issues;
}

/**
 * Rewrites the errors of each value that matched no member of a union (`anyOf`). The validator
 * reports every member that failed, plus "must match a schema in anyOf". When a member of the
 * right type failed inside the value, only that member's errors are kept, so `{ "grace": 1 }`
 * for an object or null is one unknown field, not also "must be null". When no member had the
 * right type, the members' type errors become one: "must be object or null".
 */
function collapseUnions(
  errors: readonly FastifySchemaValidationError[],
): FastifySchemaValidationError[] {
  const unionPaths = new Set(
    errors.filter((error) => error.keyword === 'anyOf').map((error) => error.instancePath),
  );
  if (unionPaths.size === 0) return [...errors];

  const isMemberError = (error: FastifySchemaValidationError) =>
    unionPaths.has(error.instancePath) && (error.keyword === 'anyOf' || error.keyword === 'type');
  const kept = errors.filter((error) => !isMemberError(error));
  for (const path of unionPaths) {
    const inside = kept.some(
      (error) => error.instancePath === path || error.instancePath.startsWith(`${path}/`),
    );
    if (inside) continue;
    const types = errors
      .filter((error) => error.instancePath === path && error.keyword === 'type')
      .map((error) => String((error.params as { type?: unknown }).type));
    kept.push({
      keyword: 'type',
      instancePath: path,
      schemaPath: '',
      params: { type: types },
      message:
        types.length > 0 ? `must be ${types.join(' or ')}` : 'must match one of the allowed forms',
    });
  }
  return kept;
}

/** Tells whether every extra property of an `additionalProperties` error has an issue of its own. */
function reportedEach(error: FastifySchemaValidationError, unknownFields: Set<string>): boolean {
  const names = (error.params as { additionalProperties?: unknown }).additionalProperties;
  const list = Array.isArray(names) ? names : [names];
  return list.every(
    (name) =>
      typeof name === 'string' && unknownFields.has(`${error.instancePath}/${escapePointer(name)}`),
  );
}

/** Escapes a property name for a JSON Pointer (RFC 6901 section 3). */
function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
