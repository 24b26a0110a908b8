/** Who is looking at a page, in which language: the session's user, or a redirect to /login, or a refusal. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../services/actor.js';
import { cookie, sessionUser } from '../plugins/session.js';
import { messagePage, type PageCtx, type PageUser } from './html.js';
import { fromAcceptLanguage, isLang, t, type Lang } from './i18n/index.js';
import { DASHBOARD_ROLES } from './registry.js';

export { DASHBOARD_ROLES };

/** The cookie that remembers the language chosen on a page without a session (the login page). */
export const LANG_COOKIE = 'isu_lang';

export interface Viewer extends PageUser {
  userId: number;
  role: Role;
  /** The language the user chose, or null. */
  language: Lang | null;
  /** The language of the user's State (State users), or null. */
  stateLanguage: Lang | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of the page, set once per request by the pages' hook (./index.ts). */
    pageLang?: Lang;
  }
}

export function viewerOf(request: FastifyRequest): Viewer | null {
  const u = sessionUser(request);
  return u
    ? { userId: u.userId, username: u.username, role: u.role, stateIso3: u.stateIso3, csrf: u.session.csrf, language: u.language, stateLanguage: u.stateLanguage }
    : null;
}

/** The ?lang= of the request, when it is one of the three. */
export function requestedLang(request: FastifyRequest): Lang | null {
  const q = (request.query ?? {}) as Record<string, unknown>;
  return isLang(q.lang) ? q.lang : null;
}

/**
 * The page's language (SPEC 9.9): ?lang= on the URL; else the one the user
 * chose (remembered); else, for a State user, its State's language; else the
 * one chosen on the login page (cookie); else Accept-Language; else English.
 */
export function resolveLang(request: FastifyRequest, viewer: Viewer | null): Lang {
  const c = cookie(request, LANG_COOKIE);
  return (
    requestedLang(request) ??
    viewer?.language ??
    (viewer?.role === 'state' ? viewer.stateLanguage : null) ??
    (isLang(c) ? c : null) ??
    fromAcceptLanguage(request.headers['accept-language']) ??
    'en'
  );
}

/** The page context of a request: its language, its URL and its viewer. */
export function pageOf(request: FastifyRequest, viewer: Viewer | null = viewerOf(request)): PageCtx {
  return { lang: request.pageLang ?? resolveLang(request, viewer), url: request.url, user: viewer };
}

/** Where a user lands after login: a State its account, the admin its users, the readers the dashboard. */
export function homeOf(role: Role): string {
  return role === 'state' ? '/account' : role === 'admin' ? '/admin/users' : '/dashboard';
}

export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/**
 * The viewer when allowed; otherwise the reply is sent (303 to /login for a
 * visitor without a session, 403 for a role the page is not for) and null returned.
 */
export function requireViewer(request: FastifyRequest, reply: FastifyReply, roles: readonly Role[]): Viewer | null {
  const viewer = viewerOf(request);
  if (!viewer) {
    void reply.redirect('/login', 303);
    return null;
  }
  if (!roles.includes(viewer.role)) {
    const page = pageOf(request, viewer);
    const m = t(page.lang).errors;
    const home = homeOf(viewer.role);
    const text = home === request.url.split('?')[0] ? m.back : viewer.role === 'state' ? m.goAccount : m.goDashboard;
    const roleName = (t(page.lang).site.roles as Record<string, string>)[viewer.role] ?? viewer.role;
    void sendHtml(
      reply,
      403,
      messagePage(
        page,
        m.notForRole,
        viewer.role === 'admin' ? m.adminNoPage : m.roleRefused(roleName),
        viewer.role === 'admin' ? { href: '/docs/', text: m.apiDocs } : { href: home, text },
      ),
    );
    return null;
  }
  return viewer;
}

/** The actor of a write made from a page: the viewer, the request's id, and what it does (as the API's routes record it). */
export function actorOf(viewer: Viewer, request: FastifyRequest, action: string): Actor {
  return { userId: viewer.userId, username: viewer.username, role: viewer.role, stateIso3: viewer.stateIso3, requestId: request.id, action };
}
