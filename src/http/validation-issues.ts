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
 * field, with a message to remove it. The errors of a union's members are
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
 * Rewrites the errors of values that matched no member of a union (`anyOf`). The validator
 * reports every member that failed, plus "must match a schema in anyOf". When a member of the
 * right type failed inside the value, only that member's errors are narrowed, so `{ "grace": 1 }`
 * for an object or null is one unknown field, not also "must be null". When no member had the
 * right type, the members' type errors become one: "must be object or null". The rules do not
 * need the "anyOf" error, which is missing when the validator stopped at its bound. A schema
 * that is not a union has no other error where its type failed, so the rules leave it alone.
 */
function collapseUnions(
  errors: readonly FastifySchemaValidationError[],
): FastifySchemaValidationError[] {
  const narrowed = errors.filter((error) => error.keyword !== 'anyOf');
  const typePaths = new Set(
    narrowed.filter((error) => error.keyword === 'type').map((error) => error.instancePath),
  );
  for (const path of typePaths) {
    const types = narrowed.filter(
      (error) => error.instancePath === path && error.keyword === 'type',
    );
    const others = narrowed.some(
      (error) =>
        (error.instancePath === path && error.keyword !== 'type') ||
        error.instancePath.startsWith(`${path}/`),
    );
    if (!others && types.length === 1) continue;
    for (const error of types) narrowed.splice(narrowed.indexOf(error), 1);
    if (others) continue;
    const names = types.map((error) => String((error.params as { type?: unknown }).type));
    narrowed.push({
      keyword: 'type',
      instancePath: path,
      schemaPath: '',
      params: { type: names },
      message: `must be ${names.join(' or ')}`,
    });
  }
  return narrowed;
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
