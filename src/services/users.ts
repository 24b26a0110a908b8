/**
 * Users, roles and API tokens (SPEC 7). Passwords are stored as scrypt hashes,
 * API tokens as SHA-256 hashes; the secrets are shown once and never stored.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { writeAudit } from '../db/repositories/audit.js';
import { apiTokens, users } from '../db/schema.js';
import { cachedStatement, type DbOrTx } from '../db/client.js';
import { commitCache } from '../db/commit-cache.js';
import { ROLES, type Actor, type Role } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, fieldError, NotFoundError, ValidationError } from './errors.js';
import {
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
  password as passwordSchema,
  USERNAME_PATTERN,
  type TokenCreate,
  type TokenOut,
  type UserOut,
} from '../schemas/users.js';
import { findState } from './states.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = crypto.scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number.parseInt(n, 10),
    r: Number.parseInt(r, 10),
    p: Number.parseInt(p, 10),
  });
  return crypto.timingSafeEqual(expected, actual);
}

export function hashToken(token: string): string {
  return crypto.hash('sha256', token, 'hex');
}

export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

export function generateToken(): string {
  return `isu_${crypto.randomBytes(32).toString('base64url')}`;
}

export interface AuthenticatedUser {
  userId: number;
  username: string;
  role: Role;
  stateIso3: string | null;
}

export interface NewUser {
  username: string;
  role: Role;
  state?: string | null;
  /** Chosen password; generated when absent. */
  password?: string;
  /** Chosen API token (the demo's fixed tokens); generated when absent. */
  token?: string;
}

const USERNAME = USERNAME_PATTERN;

/** Milliseconds in a day. */
const DAY_MS = 24 * 60 * 60 * 1000;

/** When a token created at `now` expires: `expiresInDays` days later (default 365), or at `expiresAt` (a date: the end of that day, UTC). */
export function tokenExpiry(input: { expiresInDays?: number | undefined; expiresAt?: string | undefined }, now = Date.now()): string {
  if (input.expiresInDays !== undefined && input.expiresAt !== undefined) throw fieldError('expiresAt', 'give expiresInDays or expiresAt, not both');
  if (input.expiresAt !== undefined) {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(input.expiresAt) ? Date.parse(`${input.expiresAt}T00:00:00Z`) + DAY_MS : Date.parse(input.expiresAt);
    if (Number.isNaN(at)) throw fieldError('expiresAt', 'must be a date YYYY-MM-DD or an instant with its offset');
    if (at <= now) throw fieldError('expiresAt', 'must be in the future');
    if (at > now + MAX_TOKEN_DAYS * DAY_MS) throw fieldError('expiresAt', `must be at most ${MAX_TOKEN_DAYS} days ahead`);
    return new Date(at).toISOString();
  }
  const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw fieldError('expiresInDays', `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
  return new Date(now + days * DAY_MS).toISOString();
}

export function addUser(
  ctx: Ctx,
  actor: Actor,
  input: NewUser,
): { username: string; role: Role; state: string | null; password: string; token: string; tokenExpiresAt: string } {
  if (!USERNAME.test(input.username))
    throw new ValidationError([{ field: 'username', message: '2–64 lowercase letters, digits, dots, dashes or underscores' }]);
  if (!ROLES.includes(input.role)) throw new ValidationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
  const state = input.state ?? null;
  if (input.role === 'state' && !state) throw new ValidationError([{ field: 'state', message: 'a state user needs --state ISO3' }]);
  if (input.role !== 'state' && state) throw new ValidationError([{ field: 'state', message: 'only state users belong to a State' }]);
  const password = input.password ?? generatePassword();
  const token = input.token ?? generateToken();
  const tokenExpiresAt = tokenExpiry({});
  ctx.db.transaction(
    (tx) => {
      if (state && !findState(tx, state)) throw new ValidationError([{ field: 'state', message: `unknown State ${state}` }]);
      if (tx.select().from(users).where(eq(users.username, input.username)).get())
        throw new ConflictError(`user ${input.username} already exists`, { field: 'username' });
      const [user] = tx
        .insert(users)
        .values({ username: input.username, role: input.role, stateIso3: state, passwordHash: hashPassword(password) })
        .returning()
        .all();
      tx.insert(apiTokens).values({ userId: user!.id, tokenHash: hashToken(token), label: 'initial', expiresAt: tokenExpiresAt }).run();
      writeAudit(tx, actor, 'user', input.username, { role: input.role, state, tokenExpiresAt });
    },
    { behavior: 'immediate' },
  );
  return { username: input.username, role: input.role, state, password, token, tokenExpiresAt };
}

type UserRow = typeof users.$inferSelect;
type TokenRow = typeof apiTokens.$inferSelect;

function userOrThrow(db: DbOrTx, username: string): UserRow {
  const user = db.select().from(users).where(eq(users.username, username)).get();
  if (!user) throw new NotFoundError(`User ${username}`);
  return user;
}

/** When a token expires: its expires_at, or (none is written so) its default lifetime counted from its creation, as checkToken counts it. */
function effectiveExpiry(t: Pick<TokenRow, 'expiresAt' | 'createdAt'>): string {
  return t.expiresAt ?? new Date(Date.parse(t.createdAt) + DEFAULT_TOKEN_DAYS * DAY_MS).toISOString();
}

function tokenStatus(t: Pick<TokenRow, 'revokedAt' | 'expiresAt' | 'createdAt'>, now: number): TokenOut['status'] {
  if (t.revokedAt !== null) return 'revoked';
  return Date.parse(effectiveExpiry(t)) <= now ? 'expired' : 'active';
}

function userView(db: DbOrTx, u: UserRow, now = Date.now()): UserOut {
  const tokens = db.select({ revokedAt: apiTokens.revokedAt, expiresAt: apiTokens.expiresAt, createdAt: apiTokens.createdAt }).from(apiTokens).where(eq(apiTokens.userId, u.id)).all();
  return {
    username: u.username,
    role: u.role,
    state: u.stateIso3,
    status: u.disabledAt === null ? 'active' : 'disabled',
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
    activeTokens: tokens.filter((t) => tokenStatus(t, now) === 'active').length,
  };
}

function tokenView(t: TokenRow, username: string, now = Date.now()): TokenOut {
  return {
    id: t.id,
    username,
    label: t.label,
    status: tokenStatus(t, now),
    createdAt: t.createdAt,
    expiresAt: effectiveExpiry(t),
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  };
}

/** Every user, by username; no hash of any kind. */
export function listUsers(db: DbOrTx): UserOut[] {
  const now = Date.now();
  return db
    .select()
    .from(users)
    .orderBy(asc(users.username))
    .all()
    .map((u) => userView(db, u, now));
}

export function getUser(db: DbOrTx, username: string): UserOut {
  return userView(db, userOrThrow(db, username));
}

/** The users of the admin role that are not disabled. */
function activeAdmins(db: DbOrTx): number {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .all().length;
}

/** Refuses (409) a change that would leave no active admin: nobody could manage users or settings from the API any more. */
function keepAnAdmin(db: DbOrTx, u: UserRow, what: string): void {
  if (u.role === 'admin' && u.disabledAt === null && activeAdmins(db) <= 1)
    throw new ConflictError(`${u.username} is the last active admin: ${what} would leave nobody to manage users and settings; make another admin first`, {
      field: 'username',
    });
}

/**
 * Disables a user: its tokens and sessions stop working at once (they are
 * checked against the user on every request), its rows stay. 409 when it is
 * disabled already, or is the last active admin.
 */
export function disableUser(ctx: Ctx, actor: Actor, username: string, reason?: string): UserOut & { userId: number } {
  return ctx.db.transaction(
    (tx) => {
      const u = userOrThrow(tx, username);
      if (u.disabledAt !== null) throw new ConflictError(`user ${username} is disabled already (since ${u.disabledAt})`, { field: 'username' });
      keepAnAdmin(tx, u, 'disabling it');
      const at = new Date().toISOString();
      tx.update(users).set({ disabledAt: at }).where(eq(users.id, u.id)).run();
      writeAudit(tx, actor, 'user', username, { change: 'disabled', reason: reason ?? null });
      return { ...userView(tx, { ...u, disabledAt: at }), userId: u.id };
    },
    { behavior: 'immediate' },
  );
}

/** Enables a disabled user again: its tokens that are neither revoked nor expired work again. 409 when it is not disabled. */
export function enableUser(ctx: Ctx, actor: Actor, username: string, reason?: string): UserOut {
  return ctx.db.transaction(
    (tx) => {
      const u = userOrThrow(tx, username);
      if (u.disabledAt === null) throw new ConflictError(`user ${username} is not disabled`, { field: 'username' });
      tx.update(users).set({ disabledAt: null }).where(eq(users.id, u.id)).run();
      writeAudit(tx, actor, 'user', username, { change: 'enabled', reason: reason ?? null, disabledSince: u.disabledAt });
      return userView(tx, { ...u, disabledAt: null });
    },
    { behavior: 'immediate' },
  );
}

/** The rules of passwordBody, for callers that do not come through zod (the CLI reads the password from stdin). */
export function checkNewPassword(username: string, password: string): void {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw fieldError('password', parsed.error.issues[0]!.message);
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) throw fieldError('password', 'must not contain the username');
}

/**
 * Sets a user's password (the admin's reset, or the operator's at the CLI).
 * The user's web sessions end (each session remembers the password it was
 * opened with); its API tokens are separate credentials and keep working
 * unless revoked. The audit row never holds the password.
 */
export function setPassword(ctx: Ctx, actor: Actor, username: string, password: string): UserOut & { userId: number } {
  checkNewPassword(username, password);
  const hash = hashPassword(password);
  return ctx.db.transaction(
    (tx) => {
      const u = userOrThrow(tx, username);
      tx.update(users).set({ passwordHash: hash }).where(eq(users.id, u.id)).run();
      writeAudit(tx, actor, 'user', username, { change: 'password set' });
      return { ...userView(tx, u), userId: u.id };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Changes a user's role (and State: required for the state role, refused for
 * the others). It applies at once to its tokens and sessions. 409 when it
 * would demote the last active admin.
 */
export function setRole(ctx: Ctx, actor: Actor, username: string, input: { role: Role; state?: string | null | undefined }): UserOut {
  if (!ROLES.includes(input.role)) throw fieldError('role', `must be one of ${ROLES.join(', ')}`);
  const state = input.state ?? null;
  if (input.role === 'state' && !state) throw fieldError('state', 'a state user needs a State (ISO3)');
  if (input.role !== 'state' && state) throw fieldError('state', 'only state users belong to a State');
  return ctx.db.transaction(
    (tx) => {
      const u = userOrThrow(tx, username);
      if (state && !findState(tx, state)) throw fieldError('state', `unknown State ${state}`);
      if (input.role !== 'admin') keepAnAdmin(tx, u, `making it ${input.role}`);
      tx.update(users).set({ role: input.role, stateIso3: state }).where(eq(users.id, u.id)).run();
      writeAudit(tx, actor, 'user', username, { change: 'role set', role: input.role, state, previous: { role: u.role, state: u.stateIso3 } });
      return userView(tx, { ...u, role: input.role, stateIso3: state });
    },
    { behavior: 'immediate' },
  );
}

/** A user's tokens, newest first: label, dates and status, never the hash. */
export function listTokens(db: DbOrTx, username: string): TokenOut[] {
  const u = userOrThrow(db, username);
  const now = Date.now();
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, u.id))
    .orderBy(desc(apiTokens.id))
    .all()
    .map((t) => tokenView(t, u.username, now));
}

/**
 * A new API token for a user, shown once (only its SHA-256 is stored). It
 * expires after `expiresInDays` (default 365) or at `expiresAt`. A disabled
 * user gets none (409).
 */
export function createToken(ctx: Ctx, actor: Actor, username: string, opts: { label?: string | undefined } & Omit<TokenCreate, 'label'> = {}): TokenOut & { token: string } {
  const label = opts.label ?? 'api';
  const expiresAt = tokenExpiry(opts);
  const token = generateToken();
  const row = ctx.db.transaction(
    (tx) => {
      const user = userOrThrow(tx, username);
      if (user.disabledAt !== null) throw new ConflictError(`user ${username} is disabled: enable it before giving it a token`, { field: 'username' });
      const [t] = tx.insert(apiTokens).values({ userId: user.id, tokenHash: hashToken(token), label, expiresAt }).returning().all();
      writeAudit(tx, actor, 'api-token', String(t!.id), { username, label, expiresAt });
      return t!;
    },
    { behavior: 'immediate' },
  );
  return { ...tokenView(row, username), token };
}

/** Revokes a token for good (its row stays, with revokedAt). 404 unknown; 409 revoked already. */
export function revokeToken(ctx: Ctx, actor: Actor, id: number, reason?: string): TokenOut {
  return ctx.db.transaction(
    (tx) => {
      const t = tx.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
      if (!t) throw new NotFoundError(`Token ${id}`);
      const owner = tx.select({ username: users.username }).from(users).where(eq(users.id, t.userId)).get()!.username;
      if (t.revokedAt !== null) throw new ConflictError(`token ${id} was revoked already (at ${t.revokedAt})`, { field: 'id' });
      const at = new Date().toISOString();
      tx.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id)).run();
      writeAudit(tx, actor, 'api-token', String(id), { change: 'revoked', username: owner, label: t.label, reason: reason ?? null });
      return tokenView({ ...t, revokedAt: at }, owner);
    },
    { behavior: 'immediate' },
  );
}

/** What a bearer token is worth: its user (and the token's id), or expired, or nothing. */
export type TokenCheck = { user: Readonly<AuthenticatedUser>; tokenId: number } | { expired: true } | null;

interface TokenEntry {
  user: Readonly<AuthenticatedUser>;
  tokenId: number;
  expiresAtMs: number;
}

/**
 * Checks a bearer token. The database's answer is remembered until the next
 * commit (src/db/commit-cache.ts): creating or revoking a token, disabling a
 * user or changing its role commits. Expiry is compared with the clock on
 * every call. The cache is keyed by the token as presented (it lives only in
 * this process's memory, like the request that carried it); the database is
 * asked by the token's SHA-256, the only form stored.
 */
export function checkToken(ctx: Pick<Ctx, 'sqlite'>, token: string, now = Date.now()): TokenCheck {
  const entry = commitCache<Readonly<TokenEntry> | null>(ctx.sqlite, 'token').get(token, () => lookUpToken(ctx, hashToken(token)));
  if (!entry) return null;
  if (entry.expiresAtMs <= now) return { expired: true };
  return { user: entry.user, tokenId: entry.tokenId };
}

/** The user holding this bearer token (not revoked, not expired, user not disabled), or null. */
export function authenticateToken(ctx: Pick<Ctx, 'sqlite'>, token: string): Readonly<AuthenticatedUser> | null {
  const c = checkToken(ctx, token);
  return c && 'user' in c ? c.user : null;
}

function lookUpToken(ctx: Pick<Ctx, 'sqlite'>, tokenHash: string): Readonly<TokenEntry> | null {
  // A token without expires_at (none is written so) counts its default lifetime from its creation.
  const row = cachedStatement(
    ctx.sqlite,
    `SELECT u.id AS userId, u.username AS username, u.role AS role, u.state_iso3 AS stateIso3, t.id AS tokenId,
            COALESCE(t.expires_at, strftime('%Y-%m-%dT%H:%M:%fZ', t.created_at, '+${DEFAULT_TOKEN_DAYS} days')) AS expiresAt
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
  ).get(tokenHash) as (AuthenticatedUser & { tokenId: number; expiresAt: string }) | undefined;
  if (!row) return null;
  const { tokenId, expiresAt, ...user } = row;
  const expiresAtMs = Date.parse(expiresAt);
  return Object.freeze({ user: Object.freeze(user), tokenId, expiresAtMs: Number.isNaN(expiresAtMs) ? 0 : expiresAtMs });
}

/** How often at most a token's last use is written: a read must not cost a write each time (the balance route is benchmarked). */
export const LAST_USE_INTERVAL_MS = 60_000;
const lastUseWritten = new WeakMap<Ctx['sqlite'], Map<number, number>>();

/**
 * Records a token's use in api_tokens.last_used_at, at most once a minute per
 * token and process (the column is exact to that minute). A write the
 * database refuses at that moment (busy) is not an error of the request: it
 * is tried again at the next use. Not audited: it is a fact of use, not an
 * action. Returns whether it wrote.
 */
export function recordTokenUse(ctx: Pick<Ctx, 'sqlite'>, tokenId: number, now = Date.now()): boolean {
  let written = lastUseWritten.get(ctx.sqlite);
  if (!written) lastUseWritten.set(ctx.sqlite, (written = new Map()));
  const last = written.get(tokenId);
  if (last !== undefined && now - last < LAST_USE_INTERVAL_MS) return false;
  if (written.size > 100_000) written.clear();
  // Never wait for the write lock (busy_timeout would stall the whole server on a read): busy now, written at a later use.
  const busyTimeout = ctx.sqlite.pragma('busy_timeout', { simple: true }) as number;
  ctx.sqlite.pragma('busy_timeout = 0');
  try {
    cachedStatement(ctx.sqlite, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date(now).toISOString(), tokenId);
    written.set(tokenId, now);
    return true;
  } catch {
    return false;
  } finally {
    ctx.sqlite.pragma(`busy_timeout = ${Number(busyTimeout) || 0}`);
  }
}

let dummyHash: string | null = null;
/**
 * A hash with the parameters of hashPassword, of a random secret nobody
 * knows: an unknown or disabled username is checked against it, so that a
 * login does one scrypt of the same cost whether the username exists or not
 * (SPEC 9.8: the answer's timing tells nothing). Computed once; the server
 * computes it at start, so that not even the first such login costs more.
 */
export function dummyPasswordHash(): string {
  dummyHash ??= hashPassword(crypto.randomBytes(32).toString('base64url'));
  return dummyHash;
}

/**
 * The user with this username and password, or null. Known, unknown and
 * disabled usernames cost the same: exactly one scrypt verification.
 */
export function authenticatePassword(ctx: Ctx, username: string, password: string): AuthenticatedUser | null {
  const user = ctx.db.select().from(users).where(eq(users.username, username)).get();
  const usable = user !== undefined && user.disabledAt === null;
  const matches = verifyPassword(password, usable ? user.passwordHash : dummyPasswordHash());
  if (!usable || !matches) return null;
  return { userId: user.id, username: user.username, role: user.role, stateIso3: user.stateIso3 };
}

/**
 * Remembers the language of the web pages a user chose (SPEC 9.9). A
 * preference, not a change of rights or data: not audited.
 */
export function setUserLanguage(ctx: Pick<Ctx, 'db'>, userId: number, language: 'en' | 'fr' | 'es'): void {
  ctx.db.update(users).set({ language }).where(eq(users.id, userId)).run();
}
