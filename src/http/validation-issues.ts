import type { FastifySchemaValidationError } from 'fastify';

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
 * field, with a message that tells the client to remove it.
 */
export function describeValidationIssues(
  errors: readonly FastifySchemaValidationError[],
  part: string | undefined,
): ValidationIssue[] {
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
