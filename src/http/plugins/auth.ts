/**
 * Authentication (Bearer API tokens, or the session cookie of the web pages)
 * and authorization. Every /api route declares `config.access`; the app
 * refuses to start with one that does not.
 * A `state` user reaches only routes that allow its own State, and another
 * State's resources answer 404 so that it learns nothing of them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor, Role } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import { checkToken, recordTokenUse, type AuthenticatedUser } from '../../services/users.js';
import { sendProblem } from './problem.js';
import { csrfValid, SAFE_METHODS, sessionUser } from './session.js';

export type Access =
  | { public: true }
  | {
      /** Roles that may call the route (for any State). */
      roles: readonly Role[];
      /**
       * Where a `state` user may call it too: 'param' when the route's
       * `:iso3` parameter must be the user's own State; 'resource' when the
       * service scopes what it returns to the user's State (scopeOf(actor))
       * and answers 404 for anything else.
       */
      ownState?: 'param' | 'resource';
    };

/** Every /api route with its rule, as registered: the authorization matrix test is built from it. */
export interface AccessRule {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessTable: AccessRule[];
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const READERS: readonly Role[] = ['finance', 'presidency', 'auditor'];
export const FINANCE: readonly Role[] = ['finance'];

function bearer(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header);
  return m ? m[1]! : null;
}

export function actionOf(request: FastifyRequest, routeUrl = request.routeOptions.url): string {
  return `${request.method} ${routeUrl ?? request.url}`;
}

export default fp(async function authPlugin(app: FastifyInstance, opts: { ctx: Ctx }) {
  app.decorateRequest('actor', null);

  const accessTable: AccessRule[] = [];
  app.decorate('accessTable', accessTable);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
    if (route.url.startsWith('/api/'))
      for (const method of [route.method].flat()) if (method !== 'HEAD') accessTable.push({ method, url: route.url, access: route.config!.access! });
  });

  // Requests without valid credentials are limited per client address (SPEC 7); authenticated work is not.
  const unauthLimit = Number.parseInt(process.env.ISU_UNAUTH_LIMIT ?? '', 10) || 120;
  const unauthWindowMs = 60_000;
  const failures = new Map<string, { count: number; since: number }>();
  const unauthorized = (request: FastifyRequest, reply: FastifyReply, detail: string) => {
    const now = Date.now();
    const f = failures.get(request.ip);
    const entry = f && now - f.since < unauthWindowMs ? f : { count: 0, since: now };
    entry.count++;
    failures.set(request.ip, entry);
    if (failures.size > 10_000) for (const [ip, v] of failures) if (now - v.since >= unauthWindowMs) failures.delete(ip);
    if (entry.count > unauthLimit) {
      reply.header('retry-after', String(Math.ceil((entry.since + unauthWindowMs - now) / 1000)));
      return sendProblem(request, reply, 429, `too many unauthenticated requests from this address; try again in a minute`);
    }
    return sendProblem(request, reply, 401, detail);
  };

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions; // a getter that builds a new object: read once
    const access = route.config?.access;
    if (!access || 'public' in access) return;
    const token = bearer(request);
    let user: Readonly<AuthenticatedUser> | null;
    if (token === undefined) {
      // No Authorization header: the session cookie of the web pages, if any.
      // A change made with the cookie must carry the session's CSRF token
      // (X-CSRF-Token) and must not come from another site.
      const fromSession = sessionUser(request);
      if (!fromSession) return unauthorized(request, reply, 'authentication required: send Authorization: Bearer <token>');
      if (!SAFE_METHODS.has(request.method) && !csrfValid(request, fromSession.session))
        return sendProblem(request, reply, 403, 'a change authenticated by the session cookie needs the X-CSRF-Token of the session and a same-site origin');
      const { session: _session, ...rest } = fromSession;
      user = rest;
    } else {
      const check = token === null ? null : checkToken(opts.ctx, token);
      if (!check) return unauthorized(request, reply, 'the bearer token is not valid');
      if ('expired' in check) return unauthorized(request, reply, 'the bearer token has expired; ask an admin for a new one');
      user = check.user;
      recordTokenUse(opts.ctx, check.tokenId);
    }
    request.actor = { userId: user.userId, username: user.username, role: user.role, stateIso3: user.stateIso3, requestId: request.id, action: actionOf(request, route.url) };
    // Every later log line of the request, the response's "request completed" among them, names who made it (issue 16, finding 12).
    request.log = reply.log = request.log.child({ user: { username: user.username, role: user.role } });
    if (access.roles.includes(user.role)) return;
    if (user.role === 'state' && access.ownState === 'resource') return;
    if (user.role === 'state' && access.ownState === 'param') {
      const iso3 = (request.params as { iso3?: string }).iso3;
      if (iso3 !== undefined && iso3 === user.stateIso3) return;
      return sendProblem(request, reply, 404, `no such resource`);
    }
    return sendProblem(request, reply, 403, `the ${user.role} role may not ${request.method === 'GET' ? 'read' : 'change'} this resource`);
  });
});
