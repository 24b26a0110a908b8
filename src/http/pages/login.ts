/**
 * /login, /logout and /. The login form carries a CSRF token in a hidden
 * field and in a short-lived cookie (double submit: there is no session yet);
 * logout carries the session's token. A post whose Origin or Referer names
 * another host is refused. Failed logins are throttled per username and
 * client address (LoginThrottle): past the limit the answer is 429 and the
 * password is not even checked; an address with many failures over any
 * usernames is only slowed. Both routes take a small body only (finding 7 of
 * issue 16): LOGIN_BODY_LIMIT and LOGOUT_BODY_LIMIT, whatever the media type.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../services/context.js';
import { authenticatePassword, dummyPasswordHash } from '../../services/users.js';
import {
  appendCookie,
  clearSessionCookie,
  cookie,
  CSRF_FIELD,
  csrfValid,
  LOGIN_CSRF_COOKIE,
  sameOrigin,
  serializeCookie,
  SESSION_COOKIE,
  setSessionCookie,
  tokensEqual,
} from '../plugins/session.js';
import { setUserLanguage } from '../../services/users.js';
import { homeOf, LANG_COOKIE, pageOf, sendHtml, viewerOf } from './guard.js';
import { html, layout, messagePage, type PageCtx } from './html.js';
import { isLang, t, type Catalogue } from './i18n/index.js';

/** The login form's rules, with the messages in the page's language (each names its field). */
const loginFormIn = (m: Catalogue['login']) =>
  z.object({
    username: z.string().trim().toLowerCase().min(1, { message: m.enterUsername }).max(64, { message: m.usernameTooLong }),
    password: z.string().min(1, { message: m.enterPassword }).max(1024, { message: m.passwordTooLong }),
    [CSRF_FIELD]: z.string().max(100).optional(),
  });

const logoutForm = z.object({ [CSRF_FIELD]: z.string().max(100).optional() });

/** A login form: username (64) and password (1024 characters, up to 12 bytes each when percent-encoded) with room to spare. */
export const LOGIN_BODY_LIMIT = 16 * 1024;
/** A logout form carries only the session's CSRF token. */
export const LOGOUT_BODY_LIMIT = 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const loginQuery = z.object({ out: z.literal('1').optional(), expired: z.literal('1').optional() });

function loginPage(p: PageCtx, o: { csrf: string; username?: string; error?: string; info?: string }): string {
  const m = t(p.lang).login;
  return layout(p, {
    title: m.title,
    body: html`<div class="login">
  <h1>${m.title}</h1>
  <p class="muted">${m.who}</p>
  ${o.info ? html`<p class="info" role="status">${o.info}</p>` : ''}
  ${o.error ? html`<p class="notice" role="alert" id="login-error">${o.error}</p>` : ''}
  <form method="post" action="/login" novalidate${o.error ? html` aria-describedby="login-error"` : ''}>
    <input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}">
    <div class="field"><label for="username">${m.username}</label>
      <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${o.username ?? ''}"${o.username ? '' : html` autofocus`}></div>
    <div class="field"><label for="password">${m.password}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${o.username ? html` autofocus` : ''}></div>
    <button class="primary" type="submit">${m.submit}</button>
  </form>
</div>`,
  });
}

/** A fresh login CSRF token, set in its cookie (valid one hour, for /login only). */
function issueLoginCsrf(request: FastifyRequest, reply: FastifyReply): string {
  const token = crypto.randomBytes(32).toString('base64url');
  appendCookie(reply, serializeCookie(request, LOGIN_CSRF_COOKIE, token, { maxAge: 3600, path: '/login' }));
  return token;
}

const refuse = (request: FastifyRequest, reply: FastifyReply, why: (m: Catalogue['errors']) => string) => {
  const page = pageOf(request, null);
  const m = t(page.lang).errors;
  return sendHtml(reply, 403, messagePage(page, m.refused, why(m), { href: '/login', text: m.goLogin }));
};

export default async function loginPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  dummyPasswordHash(); // the unknown-username path's hash, ready before the first login

  app.get('/', { schema: hide }, async (request, reply) => {
    const viewer = viewerOf(request);
    return reply.redirect(viewer ? homeOf(viewer.role) : '/login', 303);
  });

  app.get('/login', { schema: hide }, async (request, reply) => {
    const viewer = viewerOf(request);
    if (viewer) return reply.redirect(homeOf(viewer.role), 303);
    const page = pageOf(request, null);
    const q = loginQuery.safeParse(request.query);
    const info = q.success && q.data.out ? t(page.lang).login.loggedOut : undefined;
    return sendHtml(reply, 200, loginPage(page, { csrf: issueLoginCsrf(request, reply), ...(info ? { info } : {}) }));
  });

  app.post('/login', { schema: hide, bodyLimit: LOGIN_BODY_LIMIT }, async (request, reply) => {
    if (!sameOrigin(request)) return refuse(request, reply, (m) => m.crossSite);
    const page = pageOf(request, null);
    const m = t(page.lang);
    const parsed = loginFormIn(m.login).safeParse(request.body ?? {});
    const posted = (request.body ?? {}) as Record<string, unknown>;
    const csrf = typeof posted[CSRF_FIELD] === 'string' ? posted[CSRF_FIELD] : undefined;
    const expected = cookie(request, LOGIN_CSRF_COOKIE);
    if (expected === undefined || !tokensEqual(csrf, expected))
      return refuse(request, reply, (e) => e.loginExpired);
    if (!parsed.success) {
      const username = typeof posted.username === 'string' ? posted.username.slice(0, 64) : '';
      return sendHtml(reply, 422, loginPage(page, { csrf: issueLoginCsrf(request, reply), username, error: parsed.error.issues.map((i) => i.message).join(' ') }));
    }
    const { username, password } = parsed.data;
    const wait = app.loginThrottle.retryAfter(username, request.ip);
    if (wait > 0) {
      const minutes = Math.max(1, Math.ceil(wait / 60));
      return sendHtml(
        reply.header('retry-after', String(wait)),
        429,
        messagePage(page, m.errors.tooMany, m.errors.tooManyText(minutes), { href: '/login', text: m.errors.goLogin }),
      );
    }
    // An address with many recent failures (any usernames) is slowed, not refused.
    const delay = app.loginThrottle.delayMs(request.ip);
    if (delay > 0) await sleep(delay);
    const user = authenticatePassword(ctx, username, password);
    if (!user) {
      app.loginThrottle.fail(username, request.ip);
      request.log.info({ username }, 'failed login');
      return sendHtml(reply, 401, loginPage(page, { csrf: issueLoginCsrf(request, reply), username, error: m.login.wrong }));
    }
    app.loginThrottle.succeed(username, request.ip);
    app.sessions.destroy(cookie(request, SESSION_COOKIE)); // no session fixation: always a new id
    const session = app.sessions.create(user.userId, app.sessionUserLookup(user.userId)?.stamp);
    setSessionCookie(request, reply, session);
    // A language chosen on the login page becomes the user's, unless the user already chose one.
    const chosen = cookie(request, LANG_COOKIE);
    if (isLang(chosen) && !app.sessionUserLookup(user.userId)?.language) setUserLanguage(ctx, user.userId, chosen);
    appendCookie(reply, serializeCookie(request, LOGIN_CSRF_COOKIE, '', { maxAge: 0, path: '/login' }));
    request.log.info({ username: user.username, role: user.role }, 'login');
    return reply.redirect(homeOf(user.role), 303);
  });

  app.post('/logout', { schema: hide, bodyLimit: LOGOUT_BODY_LIMIT }, async (request, reply) => {
    if (!sameOrigin(request)) return refuse(request, reply, (m) => m.crossSite);
    const viewer = viewerOf(request);
    if (!viewer) {
      clearSessionCookie(request, reply);
      return reply.redirect('/login', 303);
    }
    const form = logoutForm.safeParse(request.body ?? {});
    const session = app.sessions.get(cookie(request, SESSION_COOKIE));
    if (!form.success || !session || !csrfValid(request, session, form.data[CSRF_FIELD] ?? ''))
      return sendHtml(reply, 403, messagePage(pageOf(request, viewer), t(pageOf(request, viewer).lang).errors.refused, t(pageOf(request, viewer).lang).errors.logoutToken));
    app.sessions.destroy(session.id);
    clearSessionCookie(request, reply);
    return reply.redirect('/login?out=1', 303);
  });
}
