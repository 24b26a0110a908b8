/**
 * Web sessions of the pages (SPEC 5, 7): an in-memory store keyed by a random
 * 32-byte id, sent in the `isu_session` cookie (HttpOnly, SameSite=Strict,
 * Path=/, Secure over HTTPS). A session dies after 8 hours without a request,
 * after 24 hours in any case, at logout, and when its user is disabled or
 * gets a new password. Each session carries a CSRF
 * token that every cookie-authenticated change must present; a change whose
 * Origin or Referer names another host is refused outright. Failed logins
 * are counted per username and client address (refused past a limit) and per
 * address (slowed past a limit): LoginThrottle. "Client address" and "over
 * HTTPS" are Fastify's request.ip and request.protocol, which follow
 * X-Forwarded-For and X-Forwarded-Proto only with TRUST_PROXY (src/config.ts).
 *
 * Sessions do not survive a restart of the server: users log in again.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { states, users } from '../../db/schema.js';
import type { Lang } from '../../pdf/types.js';
import type { Role } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import type { AuthenticatedUser } from '../../services/users.js';

export const SESSION_COOKIE = 'isu_session';
/** Double-submit cookie of the login form (there is no session yet to hold its CSRF token). */
export const LOGIN_CSRF_COOKIE = 'isu_login_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const IDLE_MS = 8 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 24 * 60 * 60 * 1000;

export interface Session {
  id: string;
  userId: number;
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  /** Fingerprint of the password the session was opened with: a new password ends the session (UserLookup.stamp). */
  stamp?: string;
}

const randomId = () => crypto.randomBytes(32).toString('base64url');
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now) {}

  create(userId: number, stamp?: string): Session {
    this.sweep();
    const t = this.now();
    const session: Session = { id: randomId(), userId, csrf: randomId(), createdAt: t, lastSeenAt: t, ...(stamp !== undefined ? { stamp } : {}) };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (its idle clock restarts), or null. */
  get(id: string | undefined): Session | null {
    if (id === undefined || !ID_PATTERN.test(id)) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    const t = this.now();
    if (t - s.lastSeenAt > IDLE_MS || t - s.createdAt > ABSOLUTE_MS) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeenAt = t;
    return s;
  }

  destroy(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  /** Ends every session of a user (e.g. when the account is disabled). */
  destroyUser(userId: number): void {
    for (const [id, s] of this.sessions) if (s.userId === userId) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (t - s.lastSeenAt > IDLE_MS || t - s.createdAt > ABSOLUTE_MS) this.sessions.delete(id);
  }
}

/**
 * Failed logins (SPEC 9.8: throttling per username and client that cannot
 * lock a whole office out):
 * - per username and client address, `perUser` failures within the window
 *   refuse further logins for that username from that address (429) without
 *   checking the password, until the oldest failure leaves the window;
 * - per client address, past `perAddress` failures within the window (with
 *   any usernames) every login from there is slowed, never refused: the
 *   answer waits `delayStepMs`, one more step for every further
 *   `perAddress` failures, at most `maxDelayMs`. Spraying guesses over many
 *   usernames is braked; a colleague behind the same address still logs in.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    readonly perUser = 5,
    readonly perAddress = 30,
    readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
    readonly delayStepMs = 1000,
    readonly maxDelayMs = 10_000,
  ) {}

  private recent(key: string): number[] {
    const t = this.now();
    const list = (this.failures.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until a login for this username from this address may be tried again, or 0. */
  retryAfter(username: string, ip: string): number {
    const t = this.now();
    const list = this.recent(`u:${username}\u0000${ip}`);
    return list.length >= this.perUser ? Math.ceil((list[list.length - this.perUser]! + this.windowMs - t) / 1000) : 0;
  }

  /** Milliseconds a login from this address waits before its password is checked (0 below the address's limit). */
  delayMs(ip: string): number {
    const count = this.recent(`a:${ip}`).length;
    if (count < this.perAddress) return 0;
    return Math.min(this.maxDelayMs, this.delayStepMs * (1 + Math.floor((count - this.perAddress) / this.perAddress)));
  }

  fail(username: string, ip: string): void {
    const t = this.now();
    if (this.failures.size > 100_000) this.failures.clear(); // a flood of distinct keys must not exhaust memory
    for (const key of [`u:${username}\u0000${ip}`, `a:${ip}`]) {
      const list = this.recent(key);
      list.push(t);
      // Past the count at which the delay is at its cap, older entries change nothing: keep the list bounded.
      if (list.length > this.perAddress * (1 + Math.ceil(this.maxDelayMs / this.delayStepMs))) list.shift();
      this.failures.set(key, list);
    }
  }

  succeed(username: string, ip: string): void {
    this.failures.delete(`u:${username}\u0000${ip}`);
  }
}

/** The current state of a session's user, read from the database on every request. */
export type UserLookup = (userId: number) => {
  username: string;
  role: Role;
  stateIso3: string | null;
  disabled: boolean;
  stamp: string;
  /** The pages' language the user chose, or null (SPEC 9.9). */
  language?: Lang | null;
  /** The language of the user's State (a State user's default language). */
  stateLanguage?: Lang | null;
} | null;

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionStore;
    loginThrottle: LoginThrottle;
    sessionUserLookup: UserLookup;
  }
}

/** A fingerprint of a stored password hash (not the hash itself) that a session keeps to notice a new password. */
export function passwordStamp(passwordHash: string): string {
  return crypto.hash('sha256', passwordHash, 'base64url').slice(0, 22);
}

/** Cookies of the request (first value of each name). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(value));
      } catch {
        out.set(name, value);
      }
    }
  }
  return out;
}

export function cookie(request: FastifyRequest, name: string): string | undefined {
  return parseCookies(request.headers.cookie).get(name);
}

export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function serializeCookie(request: FastifyRequest, name: string, value: string, opts: { maxAge?: number; path?: string } = {}): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path ?? '/'}`,
    ...(opts.maxAge !== undefined ? [`Max-Age=${opts.maxAge}`] : []),
    'HttpOnly',
    'SameSite=Strict',
    ...(isHttps(request) ? ['Secure'] : []),
  ].join('; ');
}

/** Adds a Set-Cookie header (Fastify appends set-cookie values rather than replacing them). */
export function appendCookie(reply: FastifyReply, value: string): void {
  reply.header('set-cookie', value);
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: Session): void {
  appendCookie(reply, serializeCookie(request, SESSION_COOKIE, session.id));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  appendCookie(reply, serializeCookie(request, SESSION_COOKIE, '', { maxAge: 0 }));
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * False when the request names a foreign origin: its Origin header (or,
 * without one, its Referer) has another host than the request's Host.
 * A request naming neither passes here; the CSRF token still has to match.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const host = request.headers.host;
  const source = request.headers.origin ?? request.headers.referer;
  if (source === undefined) return true;
  if (source === 'null' || host === undefined) return false;
  try {
    // Both sides normalised by URL (a default port is dropped: "localhost:80" and "http://localhost" agree).
    return new URL(source).host === new URL(`${request.protocol}://${host}`).host;
  } catch {
    return false;
  }
}

export function tokensEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export interface SessionUser extends AuthenticatedUser {
  session: Session;
  language: Lang | null;
  stateLanguage: Lang | null;
}

/**
 * The user of the request's session cookie, re-read from the database (a
 * disabled user's sessions end; a changed role applies at once), or null.
 */
export function sessionUser(request: FastifyRequest): SessionUser | null {
  const app = request.server;
  if (!app.hasDecorator('sessions')) return null;
  const id = cookie(request, SESSION_COOKIE);
  const session = app.sessions.get(id);
  if (!session) return null;
  const user = app.sessionUserLookup(session.userId);
  if (!user || user.disabled || (session.stamp !== undefined && session.stamp !== user.stamp)) {
    app.sessions.destroy(session.id);
    return null;
  }
  return { userId: session.userId, username: user.username, role: user.role, stateIso3: user.stateIso3, session, language: user.language ?? null, stateLanguage: user.stateLanguage ?? null };
}

/** True when a cookie-authenticated change carries the session's CSRF token (header or form field) and comes from this site. */
export function csrfValid(request: FastifyRequest, session: Session, formToken?: string): boolean {
  if (!sameOrigin(request)) return false;
  const header = request.headers[CSRF_HEADER];
  const token = formToken ?? (typeof header === 'string' ? header : undefined);
  return tokensEqual(token, session.csrf);
}

export default fp(
  async function sessionPlugin(app: FastifyInstance, opts: { ctx: Ctx; sessions?: SessionStore; loginThrottle?: LoginThrottle }) {
    const store = opts.sessions ?? new SessionStore();
    const lookup: UserLookup = (userId) => {
      const row = opts.ctx.db
        .select({
          username: users.username,
          role: users.role,
          stateIso3: users.stateIso3,
          disabledAt: users.disabledAt,
          passwordHash: users.passwordHash,
          language: users.language,
          stateLanguage: states.language,
        })
        .from(users)
        .leftJoin(states, eq(states.iso3, users.stateIso3))
        .where(eq(users.id, userId))
        .get();
      return row
        ? {
            username: row.username,
            role: row.role,
            stateIso3: row.stateIso3,
            disabled: row.disabledAt !== null,
            stamp: passwordStamp(row.passwordHash),
            language: row.language ?? null,
            stateLanguage: row.stateLanguage ?? null,
          }
        : null;
    };
    app.decorate('sessions', store);
    app.decorate('sessionUserLookup', lookup);
    app.decorate('loginThrottle', opts.loginThrottle ?? new LoginThrottle());
    const timer = setInterval(() => store.sweep(), 10 * 60 * 1000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'isu-session' },
);
