import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// The headers the OWASP REST Security Cheat Sheet lists for JSON APIs, built once because they
// are the same on every response. @fastify/helmet builds its set per request, which cost two
// thirds of a bare route's throughput here (bench/http.ts, Node 20 on 2 cores). Each header
// costs about 0.4 µs of server CPU per response, so headers that do nothing for a JSON body
// are sent only where they act. X-Frame-Options guards pages with controls a framing site
// could trick a user into clicking, and a JSON body has none, so only the page and /docs send
// it (`htmlHeaders`). Referrer-Policy is set by the page, because a JSON body links nothing.
// Cross-Origin-Resource-Policy is left out: no cookies are used, so a cross-origin no-cors
// request carries no credential and gets only a 401.
export const apiHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** Headers of the HTML that keyward serves (the page and /docs), besides their own CSP. */
export const htmlHeaders: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Strict-Transport-Security, sent only on responses that travel over HTTPS. */
export const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

/**
 * Sets the API's security headers on every response, errors included. Routes that serve HTML
 * (the page, the docs) replace the Content-Security-Policy and Cache-Control with their own.
 * RFC 6797 section 7.2 forbids Strict-Transport-Security on plain HTTP, so it is sent only when
 * the request came over TLS, directly or through a trusted proxy that sets X-Forwarded-Proto.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    setApiHeaders(request, reply);
    done();
  });
}

/** Sets `apiHeaders`, and Strict-Transport-Security when the request came over HTTPS. */
export function setApiHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(apiHeaders);
  if (request.protocol === 'https') {
    reply.header('strict-transport-security', strictTransportSecurity);
  }
}

/** An onRequest hook that adds `htmlHeaders`, for routes that serve HTML. */
export function setHtmlHeaders(
  _request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  reply.headers(htmlHeaders);
  done();
}
