import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { authenticate, principalOf } from '../authenticate.js';
import { NewPassword, NoContent, Password, problems, RecordId } from '../schemas.js';
import type { AppServices } from '../services.js';

const PasswordChange = Type.Object(
  { currentPassword: Password, newPassword: NewPassword },
  { additionalProperties: false },
);
const SessionParams = Type.Object({ id: RecordId });

const SessionItem = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Password change and session management for the signed-in user (`/v1/auth/...`). */
export async function sessionRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  const { users, sessions } = services;
  const userOnly = authenticate(services, { only: 'user' });

  app.post<{ Body: Static<typeof PasswordChange> }>(
    '/v1/auth/password',
    {
      onRequest: userOnly,
      schema: {
        tags: ['auth'],
        body: PasswordChange,
        response: { 204: NoContent, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { userId } = principalOf(request);
      await users.changePassword(userId!, request.body.currentPassword, request.body.newPassword);
      // A changed password ends every session, so a thief holding a refresh token is logged out.
      const revoked = await sessions.revokeAll(userId!, 'password changed');
      request.log.info({ event: 'user.password_changed', userId, revoked }, 'password changed');
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/auth/sessions',
    {
      onRequest: userOnly,
      schema: {
        tags: ['auth'],
        response: { 200: Type.Object({ sessions: Type.Array(SessionItem) }) },
      },
    },
    async (request) => {
      const list = await sessions.list(principalOf(request).userId!);
      return {
        sessions: list.map((s) => ({
          id: s.id,
          createdAt: iso(s.createdAt),
          lastUsedAt: iso(s.lastUsedAt),
          expiresAt: iso(s.expiresAt),
          revokedAt: s.revokedAt === null ? null : iso(s.revokedAt),
          userAgent: s.userAgent,
        })),
      };
    },
  );

  app.delete<{ Params: Static<typeof SessionParams> }>(
    '/v1/auth/sessions/:id',
    {
      onRequest: userOnly,
      schema: {
        tags: ['auth'],
        params: SessionParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await sessions.revoke(principalOf(request).userId!, request.params.id);
      return reply.code(204).send();
    },
  );
}
