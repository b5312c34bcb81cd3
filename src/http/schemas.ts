import { Type } from 'typebox';

/** Shared schemas of request and response bodies. Objects reject unknown fields. */
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  // No control characters: PostgreSQL text cannot hold NUL, and the rest only spoof logs.
  pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]+$',
  description: 'Email address',
});
export const Password = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: '8 to 1024 characters',
});
/** A new password: 8 to 1024 characters (NIST SP 800-63B); the service also rejects common ones. */
export const NewPassword = Type.String({ minLength: 8, maxLength: 1024 });
/** The empty body of a 204 response, for the OpenAPI document. */
export const NoContent = Type.Null({ description: 'No content' });
export const RefreshToken = Type.String({ minLength: 1, maxLength: 512 });

/**
 * A record id in a path (`key_…`, `ses_…`). The pattern keeps NUL and other bytes that
 * PostgreSQL text cannot hold away from the store, so they get 400, not 500.
 */
export const RecordId = Type.String({ pattern: '^[a-z]{3}_[A-Za-z0-9_-]{1,60}$', maxLength: 64 });

export const SignUpBody = Type.Object(
  { email: Email, password: NewPassword },
  { additionalProperties: false },
);
export const Credentials = Type.Object(
  { email: Email, password: Password },
  { additionalProperties: false },
);
export const RefreshBody = Type.Object(
  { refreshToken: RefreshToken },
  { additionalProperties: false },
);

export const SessionBody = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String() }),
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Access-token lifetime in seconds' }),
});

export const ProblemBody = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })),
    ),
  },
  { description: 'RFC 9457 problem details' },
);

/** Problem responses for the given statuses, for a route's `response` schema. */
export function problems(...statuses: number[]): Record<number, typeof ProblemBody> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemBody]));
}
