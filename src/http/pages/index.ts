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
import { setUserLanguage } from '../../services/users.js';
import { appendCookie, serializeCookie } from '../plugins/session.js';
import { LANG_COOKIE, pageOf, requestedLang, resolveLang, sendHtml, viewerOf } from './guard.js';
import { messagePage, STYLE_HASH } from './html.js';
import { serviceMessageIn } from './service-messages.js';
import { t } from './i18n/index.js';
import loginPages from './login.js';
import paymentPages from './payments.js';
import adminPages from './admin.js';
import bankDetailsPages from './bank-details.js';
import reportPages from './reports.js';
import auditPages from './audit.js';
import invoicePages from './invoices.js';
import reminderPages from './reminders.js';
import reservePages from './reserve.js';
import expenditurePages from './expenditures.js';
import bankPages from './bank.js';
import budgetPages from './budgets.js';
import periodPages from './periods.js';
import statePages from './states.js';

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
  // The page's language is settled here, once; a ?lang= is remembered: for the
  // user in the database, for a visitor without a session in a cookie (a year).
  app.addHook('preHandler', async (request, reply) => {
    const viewer = viewerOf(request);
    if (viewer) request.log = reply.log = request.log.child({ user: { username: viewer.username, role: viewer.role } });
    request.pageLang = resolveLang(request, viewer);
    const chosen = requestedLang(request);
    if (chosen && viewer && viewer.language !== chosen) setUserLanguage(ctx, viewer.userId, chosen);
    else if (chosen && !viewer) appendCookie(reply, serializeCookie(request, LANG_COOKIE, chosen, { maxAge: 365 * 24 * 3600 }));
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
    const page = pageOf(request);
    const m = t(page.lang).errors;
    // The message of a refusal comes from the service (English, like the API's problem details), said in the page's language when an area knows it; its title is the page's.
    if (error instanceof ServiceError) return sendHtml(reply, error.status, messagePage(page, m.status[error.status] ?? error.title, serviceMessageIn(page.lang, error.message)));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendHtml(reply, status, messagePage(page, m.status[status] ?? m.badRequest, error.message));
    request.log.error({ err: error }, 'unhandled error in a page');
    return sendHtml(reply, 500, messagePage(page, m.wentWrong, m.internal));
  });

  await app.register(loginPages, { ctx });
  await app.register(dashboardPages, { ctx });
  await app.register(accountPages, { ctx });
  await app.register(paymentPages, { ctx });
  await app.register(adminPages, { ctx });
  await app.register(bankDetailsPages, { ctx });
  await app.register(reportPages, { ctx });
  await app.register(auditPages, { ctx });
  await app.register(invoicePages, { ctx });
  await app.register(reminderPages, { ctx });
  await app.register(bankPages, { ctx });
  await app.register(reservePages, { ctx });
  await app.register(expenditurePages, { ctx });
  await app.register(budgetPages, { ctx });
  await app.register(periodPages, { ctx });
  await app.register(statePages, { ctx });
}
