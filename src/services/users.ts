/**
 * Users, roles and API tokens (SPEC 7). Passwords are stored as scrypt hashes,
 * API tokens as SHA-256 hashes; the secrets are shown once and never stored.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { writeAudit } from '../db/repositories/audit.js';
import { apiTokens, users } from '../db/schema.js';
import { cachedStatement } from '../db/client.js';
import { commitCache } from '../db/commit-cache.js';
import { ROLES, type Actor, type Role } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
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

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function addUser(ctx: Ctx, actor: Actor, input: NewUser): { username: string; role: Role; state: string | null; password: string; token: string } {
  if (!USERNAME.test(input.username))
    throw new ValidationError([{ field: 'username', message: '2–64 lowercase letters, digits, dots, dashes or underscores' }]);
  if (!ROLES.includes(input.role)) throw new ValidationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
  const state = input.state ?? null;
  if (input.role === 'state' && !state) throw new ValidationError([{ field: 'state', message: 'a state user needs --state ISO3' }]);
  if (input.role !== 'state' && state) throw new ValidationError([{ field: 'state', message: 'only state users belong to a State' }]);
  const password = input.password ?? generatePassword();
  const token = input.token ?? generateToken();
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
      tx.insert(apiTokens).values({ userId: user!.id, tokenHash: hashToken(token), label: 'initial' }).run();
      writeAudit(tx, actor, 'user', input.username, { role: input.role, state });
    },
    { behavior: 'immediate' },
  );
  return { username: input.username, role: input.role, state, password, token };
}

export function createToken(ctx: Ctx, actor: Actor, username: string, label = 'cli'): { username: string; token: string } {
  const token = generateToken();
  ctx.db.transaction(
    (tx) => {
      const user = tx.select().from(users).where(eq(users.username, username)).get();
      if (!user || user.disabledAt) throw new NotFoundError(`User ${username}`);
      tx.insert(apiTokens).values({ userId: user.id, tokenHash: hashToken(token), label }).run();
      writeAudit(tx, actor, 'api-token', username, { label });
    },
    { behavior: 'immediate' },
  );
  return { username, token };
}

/**
 * The user holding this bearer token, or null. The answer is remembered until
 * the next commit (src/db/commit-cache.ts): creating or revoking a token, or
 * disabling a user, commits. The cache is keyed by the token as presented
 * (it lives only in this process's memory, like the request that carried
 * it); the database is asked by the token's SHA-256, the only form stored.
 */
export function authenticateToken(ctx: Pick<Ctx, 'sqlite'>, token: string): Readonly<AuthenticatedUser> | null {
  return commitCache<Readonly<AuthenticatedUser> | null>(ctx.sqlite, 'token').get(token, () => lookUpToken(ctx, hashToken(token)));
}

function lookUpToken(ctx: Pick<Ctx, 'sqlite'>, tokenHash: string): Readonly<AuthenticatedUser> | null {
  const row = cachedStatement(
    ctx.sqlite,
    `SELECT u.id AS userId, u.username AS username, u.role AS role, u.state_iso3 AS stateIso3
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
  ).get(tokenHash) as AuthenticatedUser | undefined;
  return row ? Object.freeze(row) : null;
}

/**
 * A hash with the parameters of hashPassword, of a random secret nobody
 * knows: an unknown or disabled username is checked against it, so that a
 * login does one scrypt of the same cost whether the username exists or not
 * (SPEC 9.8: the answer's timing tells nothing). Computed once, on first use.
 */
let dummyHash: string | null = null;
function dummyPasswordHash(): string {
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
