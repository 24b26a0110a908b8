/**
 * Users and API tokens as the admin API and the CLI take and show them
 * (SPEC 7, 9.8). No password hash or token hash ever leaves: a token is shown
 * once, when created.
 */
import { z } from 'zod';
import { ROLES } from '../domain/actor.js';
import { iso3, isoDate, nonEmptyText } from './common.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export const username = z
  .string()
  .regex(USERNAME_PATTERN, { message: 'must be 2–64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit' })
  .meta({ example: 'j.doe' });

export const role = z.enum(ROLES).meta({ description: 'admin: users and settings; finance: all finance work; presidency, auditor: read; state: its own State' });

/** A new password: 12 to 1024 characters (length over composition, NIST SP 800-63B), not one character repeated. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;
export const password = z
  .string()
  .min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` })
  .refine((p) => new Set(p).size > 1, { message: 'must not be one character repeated' })
  .meta({ description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters, not the username, not one character repeated`, writeOnly: true });

export const usernameParams = z.object({ username });
export const tokenIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,11}$/, { message: 'must be a positive whole number' })
    .transform((s) => Number.parseInt(s, 10))
    .meta({ example: '12' }),
});

export const userOut = z
  .object({
    username: z.string(),
    role,
    state: z.string().nullable().meta({ description: 'The State of a state user (ISO3), else null' }),
    status: z.enum(['active', 'disabled']),
    disabledAt: z.string().nullable().meta({ description: 'When the user was disabled (UTC), else null' }),
    createdAt: z.string(),
    activeTokens: z.int().min(0).meta({ description: 'Tokens neither revoked nor expired' }),
  })
  .meta({ id: 'User' });
export type UserOut = z.infer<typeof userOut>;

export const userCreate = z
  .strictObject({
    username,
    role,
    state: iso3.nullable().optional().meta({ description: 'Required for a state user, refused for the other roles' }),
    password: password.optional().meta({ description: 'When absent a password is generated and answered once' }),
  })
  .meta({ id: 'UserCreate' });

export const userCreated = userOut
  .extend({
    password: z.string().optional().meta({ description: 'The generated password, shown once (absent when one was given)' }),
    token: z.string().meta({ description: 'The user’s first API token, shown once; only its hash is stored' }),
    tokenExpiresAt: z.string(),
  })
  .meta({ id: 'UserCreated' });

export const reasonBody = z
  .strictObject({ reason: nonEmptyText(500).optional().meta({ description: 'Why, for the audit log' }) })
  .meta({ id: 'Reason' });

export const passwordBody = z.strictObject({ password }).meta({ id: 'PasswordSet' });

export const roleBody = z
  .strictObject({
    role,
    state: iso3.nullable().optional().meta({ description: 'Required for the state role, refused for the others' }),
  })
  .meta({ id: 'RoleSet' });

export const tokenOut = z
  .object({
    id: z.int(),
    username: z.string(),
    label: z.string(),
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: z.string(),
    expiresAt: z.string().meta({ description: 'After this instant (UTC) the token is refused' }),
    lastUsedAt: z.string().nullable().meta({ description: 'Last successful use (UTC), recorded at most once a minute per token; null: never used' }),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type TokenOut = z.infer<typeof tokenOut>;

/** The longest lifetime a token may be given. */
export const MAX_TOKEN_DAYS = 3650;
export const DEFAULT_TOKEN_DAYS = 365;

const expiresAtInput = z
  .union([isoDate, z.iso.datetime({ offset: true })])
  .meta({ description: 'A date (the token works through that day, UTC) or an instant with its offset; in the future, at most 10 years ahead', example: '2027-06-30' });

export const tokenCreate = z
  .strictObject({
    label: nonEmptyText(100).optional().meta({ description: 'What the token is for (default "api")' }),
    expiresInDays: z.int().min(1).max(MAX_TOKEN_DAYS).optional().meta({ description: `Lifetime in days (default ${DEFAULT_TOKEN_DAYS})` }),
    expiresAt: expiresAtInput.optional(),
  })
  .refine((b) => b.expiresInDays === undefined || b.expiresAt === undefined, { message: 'give expiresInDays or expiresAt, not both', path: ['expiresAt'] })
  .meta({ id: 'TokenCreate' });
export type TokenCreate = z.infer<typeof tokenCreate>;

export const tokenCreated = tokenOut.extend({ token: z.string().meta({ description: 'The token, shown once; only its hash is stored' }) }).meta({ id: 'ApiTokenCreated' });
