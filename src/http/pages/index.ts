/**
 * The web pages (SPEC 5): /login, /logout, /dashboard, /account. Server-
 * rendered HTML with no script and no external asset (they work offline);
 * forms are plain HTML forms (application/x-www-form-urlencoded, parsed here
 * only, with a small body limit). Every page answer carries a strict
 * Content-Security-Policy (the one inline stylesheet is allowed by its hash)
 * and is not cached. Errors in these routes answer as HTML pages; the API
 * keeps its problem+json.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import accountPages from './account.js';
import dashboardPages from './dashboard.js';
import { sendHtml, viewerOf } from './guard.js';
import { messagePage, STYLE_HASH } from './html.js';
import loginPages from './login.js';
import paymentPages from './payments.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const FORM_LIMIT = 16 * 1024;

export default async function pages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  // The request log of a page names its viewer, as the API's does (issue 16, finding 12).
  app.addHook('preHandler', async (request, reply) => {
    const viewer = viewerOf(request);
    if (viewer) request.log = reply.log = request.log.child({ user: { username: viewer.username, role: viewer.role } });
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const viewer = viewerOf(request);
    if (error instanceof ServiceError) return sendHtml(reply, error.status, messagePage(error.title, error.message, viewer));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendHtml(reply, status, messagePage('Bad request', error.message, viewer));
    request.log.error({ err: error }, 'unhandled error in a page');
    return sendHtml(reply, 500, messagePage('Something went wrong', 'An internal error occurred; nothing was changed. The request id identifies it in the server log.', viewer));
  });

  await app.register(loginPages, { ctx });
  await app.register(dashboardPages, { ctx });
  await app.register(accountPages, { ctx });
  await app.register(paymentPages, { ctx });
}
