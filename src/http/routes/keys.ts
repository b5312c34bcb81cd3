import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Actor, ApiKeyView, IssuedApiKey } from '../../apikeys/index.js';
import { KeywardError } from '../../errors/index.js';
import { authenticate, principalOf } from '../authenticate.js';
import { NoContent, problems, RecordId } from '../schemas.js';
import type { AppServices } from '../services.js';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 32 });
const RateLimit = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, description: 'Requests per window' }),
    windowMs: Type.Integer({ minimum: 1, description: 'Window length in milliseconds' }),
    burst: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Maximum burst (default limit)' }),
    ),
  },
  { additionalProperties: false },
);
const Metadata = Type.Object(
  {},
  { additionalProperties: true, description: 'JSON object, at most 4 KB' },
);

const keyProperties = {
  id: Type.String(),
  name: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  start: Type.String({ description: 'Prefix and first characters, for recognising the key' }),
  scopes: Type.Array(Type.String()),
  metadata: Metadata,
  status: Type.Union(['active', 'disabled', 'expired', 'revoked'].map((s) => Type.Literal(s))),
  createdAt: DateTime,
  updatedAt: DateTime,
  expiresAt: NullableDateTime,
  lastUsedAt: NullableDateTime,
  revokedAt: NullableDateTime,
  disabledAt: NullableDateTime,
  rotatedFrom: Type.Union([Type.String(), Type.Null()]),
  credits: Type.Union([
    Type.Object({
      remaining: Type.Integer(),
      refill: Type.Union([
        Type.Object({ amount: Type.Integer(), interval: Type.String() }),
        Type.Null(),
      ]),
    }),
    Type.Null(),
  ]),
  ratelimit: Type.Union([RateLimit, Type.Null()]),
};
const KeyBody = Type.Object(keyProperties);
const IssuedBody = Type.Object({
  ...keyProperties,
  key: Type.String({ description: 'The plaintext key, returned only in this response' }),
});

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Optional(Scopes),
    expiresAt: Type.Optional(DateTime),
    metadata: Type.Optional(Metadata),
    ratelimit: Type.Optional(RateLimit),
  },
  { additionalProperties: false },
);
const RotateBody = Type.Object(
  { gracePeriodMs: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
const KeyParams = Type.Object({ id: RecordId });
// Strings, parsed by `queryNumber`. An integer schema would let TypeBox's conversion read "5.5"
// as 5 and "0x10" as 16.
const EventsQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: 'Events per page, 1 to 200 (default 50)' })),
  before: Type.Optional(Type.String({ description: 'Return events with ids below this one' })),
});

/** Largest `before` cursor: 15 digits, within the safe integers. */
const maxEventId = 999_999_999_999_999;

/**
 * Returns a query parameter of decimal digits as a number, or undefined when it is absent.
 * Raises `validation_failed` at `/querystring/NAME` unless it is a whole number from 1 to `max`.
 */
function queryNumber(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^[1-9][0-9]{0,14}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value <= max)) {
    const message = `must be a whole number from 1 to ${max}`;
    throw new KeywardError('validation_failed', 'invalid query parameter', {
      detail: `${name} ${message}, written in decimal digits.`,
      errors: [{ pointer: `/querystring/${name}`, message }],
    });
  }
  return value;
}
const EventsBody = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.Integer(),
      keyId: Type.String(),
      type: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
      actor: Type.Union([Type.String(), Type.Null()]),
      createdAt: DateTime,
    }),
  ),
});
const VerifyBody = Type.Object(
  {
    key: Type.String({ maxLength: 1024 }),
    cost: Type.Optional(Type.Integer({ minimum: 0, description: 'Credits to spend (default 1)' })),
    requiredScopes: Type.Optional(Scopes),
  },
  { additionalProperties: false },
);
const VerifyAnswer = Type.Object({
  valid: Type.Boolean(),
  code: Type.String(),
  keyId: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  expiresAt: NullableDateTime,
  credits: Type.Union([Type.Object({ remaining: Type.Integer() }), Type.Null()]),
  ratelimit: Type.Union([
    Type.Object({
      limit: Type.Integer(),
      remaining: Type.Integer(),
      resetAt: DateTime,
      scope: Type.Union([Type.Literal('key'), Type.Literal('owner')], {
        description: "Whose limit: the key's own, or its owner's across all their keys",
      }),
    }),
    Type.Null(),
  ]),
  retryAfterMs: Type.Optional(Type.Integer()),
});

type WithId = { Params: Static<typeof KeyParams> };

/**
 * Returns the signed-in user as the actor of a key operation, with the user's scopes. Its log
 * lines go to the request's logger, so they carry the request id.
 */
function userActor(request: FastifyRequest): Actor & { scopes: readonly string[] } {
  const principal = principalOf(request);
  return { type: 'user', userId: principal.userId!, scopes: principal.scopes, log: request.log };
}

function issuedBody({ key, plaintextKey }: IssuedApiKey): ApiKeyView & { key: string } {
  return { ...key, key: plaintextKey };
}

/**
 * API key management for the signed-in user (`/v1/keys...`), and `POST /v1/keys/verify` for
 * backend services holding a key with the scope `keys:verify`.
 */
export async function keyRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  const { apiKeys } = services;
  const reader = authenticate(services, { only: 'user', scopes: ['keys:read'] });
  const writer = authenticate(services, { only: 'user', scopes: ['keys:write'] });
  const tags = ['keys'];
  const denied = problems(400, 401, 403, 404, 429);

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/v1/keys',
    {
      onRequest: writer,
      schema: { tags, body: CreateBody, response: { 201: IssuedBody, ...denied } },
    },
    async (request, reply) => {
      const actor = userActor(request);
      const { expiresAt, ...rest } = request.body;
      const input = {
        ...rest,
        metadata: rest.metadata as Record<string, unknown> | undefined,
        expiresAt: expiresAt === undefined ? null : Date.parse(expiresAt),
      };
      const issued = await apiKeys.create(actor, { ...input, ownerScopes: actor.scopes });
      return reply.code(201).send(issuedBody(issued));
    },
  );

  app.get(
    '/v1/keys',
    {
      onRequest: reader,
      schema: { tags, response: { 200: Type.Object({ keys: Type.Array(KeyBody) }), ...denied } },
    },
    async (request) => ({ keys: await apiKeys.list(userActor(request)) }),
  );

  app.get<WithId>(
    '/v1/keys/:id',
    {
      onRequest: reader,
      schema: { tags, params: KeyParams, response: { 200: KeyBody, ...denied } },
    },
    async (request) => apiKeys.get(userActor(request), request.params.id),
  );

  app.post<WithId & { Body: Static<typeof RotateBody> | null }>(
    '/v1/keys/:id/rotate',
    {
      onRequest: writer,
      schema: {
        tags,
        params: KeyParams,
        // Fastify validates a request without a body as null, and the body is optional here.
        body: Type.Union([RotateBody, Type.Null()]),
        response: { 201: IssuedBody, ...denied },
      },
    },
    async (request, reply) => {
      const gracePeriodMs = request.body?.gracePeriodMs;
      const options = gracePeriodMs === undefined ? {} : { gracePeriodMs };
      const issued = await apiKeys.rotate(userActor(request), request.params.id, options);
      return reply.code(201).send(issuedBody(issued));
    },
  );

  app.delete<WithId>(
    '/v1/keys/:id',
    {
      onRequest: writer,
      schema: { tags, params: KeyParams, response: { 204: NoContent, ...denied } },
    },
    async (request, reply) => {
      await apiKeys.revoke(userActor(request), request.params.id);
      return reply.code(204).send();
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post<WithId>(
      `/v1/keys/:id/${action}`,
      {
        onRequest: writer,
        schema: { tags, params: KeyParams, response: { 200: KeyBody, ...denied } },
      },
      async (request) => apiKeys[action](userActor(request), request.params.id),
    );
  }

  app.get<WithId & { Querystring: Static<typeof EventsQuery> }>(
    '/v1/keys/:id/events',
    {
      onRequest: reader,
      schema: {
        tags,
        params: KeyParams,
        querystring: EventsQuery,
        response: { 200: EventsBody, ...denied },
      },
    },
    async (request) => {
      const limit = queryNumber('limit', request.query.limit, 200);
      const before = queryNumber('before', request.query.before, maxEventId);
      const page = {
        ...(limit === undefined ? {} : { limit }),
        ...(before === undefined ? {} : { before }),
      };
      return { events: await apiKeys.events(userActor(request), request.params.id, page) };
    },
  );

  // A malformed or unknown key is not the caller's error, so it returns 200 with `NOT_FOUND`.
  app.post<{ Body: Static<typeof VerifyBody> }>(
    '/v1/keys/verify',
    {
      onRequest: authenticate(services, { only: 'api_key', scopes: ['keys:verify'] }),
      schema: {
        tags,
        body: VerifyBody,
        response: { 200: VerifyAnswer, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { key, ...options } = request.body;
      const { decision: _decision, ...result } = await apiKeys.verifyKey(key, options);
      return result;
    },
  );
}
