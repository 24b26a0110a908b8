/**
 * Requests for a Host the server does not serve are refused (SPEC 9.8): a
 * page at a rebound DNS name (DNS rebinding) must not reach this server's
 * API or login with its own origin. Runs before authentication and before
 * any body is read, so nothing is processed for a foreign Host.
 *
 * The API answers 421 Misdirected Request as problem+json; the web pages a
 * plain 421 page. The Host is `request.host` (the Host header, or the
 * proxy's X-Forwarded-Host when TRUST_PROXY trusts that proxy).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { parseHost } from '../../config.js';
import { escapeHtml } from '../pages/html.js';
import { sendProblem } from './problem.js';

/** The default when the application is built without a configuration (tests, tools): the loopback names. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** A test of a Host header against the allowed entries: an entry without a port allows every port of that name. */
export function hostMatcher(allowed: readonly string[]): (host: string | undefined) => boolean {
  const entries = allowed.map((a) => {
    const parsed = parseHost(a);
    if (!parsed) throw new Error(`not a host name: ${JSON.stringify(a)}`);
    return parsed;
  });
  return (host) => {
    const h = host === undefined ? null : parseHost(host);
    return h !== null && entries.some((e) => e.name === h.name && (e.port === null || e.port === h.port));
  };
}

export default fp(async function hostsPlugin(app: FastifyInstance, opts: { allowedHosts?: readonly string[] | undefined }) {
  const allowed = hostMatcher(opts.allowedHosts ?? LOOPBACK_HOSTS);
  app.addHook('onRequest', async (request, reply) => {
    const host = request.host as string | undefined;
    if (allowed(host)) return;
    const shown = host ? JSON.stringify(host) : 'no Host header';
    const detail = `this server does not answer for ${shown}: the Host is not in ALLOWED_HOSTS`;
    if (request.url.startsWith('/api/')) return sendProblem(request, reply, 421, detail, undefined, {}, 'Misdirected Request');
    return reply
      .status(421)
      .header('content-security-policy', "default-src 'none'")
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Misdirected request</title></head><body><h1>Misdirected request</h1><p>${escapeHtml(detail)}.</p></body></html>\n`,
      );
  });
});
