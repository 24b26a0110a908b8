/** Who is looking at a page: the session's user, or a redirect to /login, or a refusal. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../services/actor.js';
import { sessionUser } from '../plugins/session.js';
import { messagePage, type PageUser } from './html.js';

export const DASHBOARD_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];

export interface Viewer extends PageUser {
  userId: number;
  role: Role;
}

export function viewerOf(request: FastifyRequest): Viewer | null {
  const u = sessionUser(request);
  return u ? { userId: u.userId, username: u.username, role: u.role, stateIso3: u.stateIso3, csrf: u.session.csrf } : null;
}

/** Where a user lands after login: a State its account, the readers the dashboard. */
export function homeOf(role: Role): string {
  return role === 'state' ? '/account' : '/dashboard';
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
    const home = homeOf(viewer.role);
    const text = home === request.url.split('?')[0] ? 'Back to the start page' : viewer.role === 'state' ? 'Go to your account' : 'Go to the dashboard';
    void sendHtml(
      reply,
      403,
      messagePage(
        'Not available to your role',
        viewer.role === 'admin'
          ? 'The admin role manages users and settings from the command line and the API; it has no web page.'
          : `This page is not available to the ${viewer.role} role.`,
        viewer,
        viewer.role === 'admin' ? { href: '/docs/', text: 'API documentation' } : { href: home, text },
      ),
    );
    return null;
  }
  return viewer;
}
