import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { SessionTokens } from '../../users/session-service.js';
import { limitPerClient } from '../client-limit.js';
import {
  Credentials,
  NoContent,
  problems,
  RefreshBody,
  SessionBody,
  SignUpBody,
} from '../schemas.js';
import type { AppServices } from '../services.js';

function toBody({ sessionId: _sessionId, ...body }: SessionTokens) {
  return body;
}

/** Sign-up, login, refresh and logout (`/v1/auth/*`). */
export async function authRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  const { users, sessions } = services;

  app.post<{ Body: Static<typeof SignUpBody> }>(
    '/v1/auth/signup',
    {
      onRequest: limitPerClient(services, 'signup'),
      schema: {
        tags: ['auth'],
        body: SignUpBody,
        response: { 201: SessionBody, ...problems(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await users.signUp(request.body.email, request.body.password);
      const session = await sessions.start(user, request.headers['user-agent']);
      request.log.info({ event: 'user.signed_up', userId: user.id }, 'user signed up');
      return reply.code(201).send(toBody(session));
    },
  );

  app.post<{ Body: Static<typeof Credentials> }>(
    '/v1/auth/login',
    {
      onRequest: limitPerClient(services, 'login'),
      schema: {
        tags: ['auth'],
        body: Credentials,
        response: { 200: SessionBody, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const user = await services.logIn(request.body.email, request.body.password, request.ip);
      const session = await sessions.start(user, request.headers['user-agent']);
      request.log.info({ event: 'user.logged_in', userId: user.id }, 'user logged in');
      return toBody(session);
    },
  );

  app.post<{ Body: Static<typeof RefreshBody> }>(
    '/v1/auth/refresh',
    {
      onRequest: limitPerClient(services, 'refresh'),
      schema: {
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: SessionBody, ...problems(400, 401, 429) },
      },
    },
    async (request) => toBody(await sessions.refresh(request.body.refreshToken)),
  );

  app.post<{ Body: Static<typeof RefreshBody> }>(
    '/v1/auth/logout',
    {
      schema: { tags: ['auth'], body: RefreshBody, response: { 204: NoContent, ...problems(400) } },
    },
    async (request, reply) => {
      await sessions.logOut(request.body.refreshToken);
      return reply.code(204).send();
    },
  );
}
