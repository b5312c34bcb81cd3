// GET / and /assets/*: the tools page (secret generator, strength check, JWT inspector),
// served from the bundle that `npm run build:page` writes to src/page/generated.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { KeywardError } from '../../errors/index.js';
import { sendProblem } from '../problem.js';
import { htmlHeaders } from '../security-headers.js';

/**
 * The page runs only its own script and stylesheet and may connect nowhere, so a pasted secret
 * or token cannot leave the browser even through injected markup.
 */
export const pageContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The files the page may load, with their media types; every other name is a 404. */
const assets: Record<string, string> = {
  'page.js': 'text/javascript; charset=utf-8',
  'page.css': 'text/css; charset=utf-8',
};

export interface PageRoutesOptions {
  /** Folder holding the built page; default src/page/generated next to this source tree. */
  directory?: string;
}

const defaultDirectory = fileURLToPath(new URL('../../page/generated/', import.meta.url));

/**
 * Registers `GET /` and `GET /assets/:name`, with the page's own CSP on every response. Responds
 * with 503 problem+json (`service_unavailable`) when the bundle has not been built.
 */
export async function pageRoutes(app: FastifyInstance, options: PageRoutesOptions = {}) {
  const directory = options.directory ?? defaultDirectory;

  // This plugin is encapsulated, so the hook sets these headers on the page's routes only. It
  // runs after the API's security-header hook and replaces its deny-all policy.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', pageContentSecurityPolicy);
    reply.headers(htmlHeaders);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-cache');
  });

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    sendPageFile(reply, join(directory, 'index.html'), 'text/html; charset=utf-8'),
  );

  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { schema: { hide: true } },
    async (request, reply) => {
      const type = Object.hasOwn(assets, request.params.name)
        ? assets[request.params.name]
        : undefined;
      if (type === undefined) {
        return sendProblem(reply, new KeywardError('not_found', 'unknown page asset'));
      }
      return sendPageFile(reply, join(directory, request.params.name), type);
    },
  );
}

async function sendPageFile(
  reply: FastifyReply,
  path: string,
  type: string,
): Promise<FastifyReply> {
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return sendProblem(reply, notBuilt());
  }
  return reply.type(type).send(body);
}

function notBuilt(): KeywardError {
  return new KeywardError('service_unavailable', 'page bundle missing', {
    detail: 'The tools page has not been built. Run `npm run build:page`, then reload.',
  });
}
