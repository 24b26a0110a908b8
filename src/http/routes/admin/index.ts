/**
 * User and token administration (SPEC 9.8), for the admin role only:
 * /api/v1/admin/users… and /api/v1/admin/tokens…. Every change is audited by
 * its service; no password or token hash ever leaves, and a new token is
 * answered once. A disabled user's tokens and sessions stop at once; a new
 * password ends the user's sessions.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { addUser, checkNewPassword, createToken, disableUser, enableUser, getUser, listTokens, listUsers, revokeToken, setPassword, setRole } from '../../../services/users.js';
import {
  passwordBody,
  reasonBody,
  roleBody,
  tokenCreate,
  tokenCreated,
  tokenIdParams,
  tokenOut,
  userCreate,
  userCreated,
  userOut,
  usernameParams,
} from '../../../schemas/users.js';

const ADMIN = ['admin'] as const;
const tags = ['admin'];

const adminRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/users',
    {
      config: { access: { roles: ADMIN } },
      schema: { operationId: 'listUsers', tags, summary: 'Every user: role, State, status and active tokens (no hashes)', response: { 200: z.array(userOut) } },
    },
    async () => listUsers(ctx.db),
  );

  app.post(
    '/users',
    {
      config: { access: { roles: ADMIN }, throws: [409, 422] },
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Add a user with a first API token (expires in 365 days); the token, and a generated password, are answered once (a chosen password follows the rules of a new one)',
        body: userCreate,
        response: { 201: userCreated },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.password !== undefined) checkNewPassword(b.username, b.password);
      const r = addUser(ctx, request.actor!, { username: b.username, role: b.role, state: b.state ?? null, ...(b.password !== undefined ? { password: b.password } : {}) });
      const user = getUser(ctx.db, r.username);
      return reply.code(201).send({ ...user, ...(b.password === undefined ? { password: r.password } : {}), token: r.token, tokenExpiresAt: r.tokenExpiresAt });
    },
  );

  app.get(
    '/users/:username',
    {
      config: { access: { roles: ADMIN }, throws: [404] },
      schema: { operationId: 'getUser', tags, summary: 'One user', params: usernameParams, response: { 200: userOut } },
    },
    async (request) => getUser(ctx.db, request.params.username),
  );

  app.post(
    '/users/:username/disable',
    {
      config: { access: { roles: ADMIN }, throws: [404, 409] },
      schema: {
        operationId: 'disableUser',
        tags,
        summary: 'Disable a user: its tokens and sessions stop working at once (409: disabled already, or the last active admin)',
        params: usernameParams,
        body: reasonBody,
        response: { 200: userOut },
      },
    },
    async (request) => {
      const { userId, ...user } = disableUser(ctx, request.actor!, request.params.username, request.body.reason);
      app.sessions.destroyUser(userId);
      return user;
    },
  );

  app.post(
    '/users/:username/enable',
    {
      config: { access: { roles: ADMIN }, throws: [404, 409] },
      schema: {
        operationId: 'enableUser',
        tags,
        summary: 'Enable a disabled user again: its tokens neither revoked nor expired work again (409: not disabled)',
        params: usernameParams,
        body: reasonBody,
        response: { 200: userOut },
      },
    },
    async (request) => enableUser(ctx, request.actor!, request.params.username, request.body.reason),
  );

  app.put(
    '/users/:username/password',
    {
      config: { access: { roles: ADMIN }, throws: [404, 422] },
      schema: {
        operationId: 'setUserPassword',
        tags,
        summary: 'Set (reset) a user’s password: 12–1024 characters, not containing the username; the user’s web sessions end',
        params: usernameParams,
        body: passwordBody,
        response: { 200: userOut },
      },
    },
    async (request) => {
      const { userId, ...user } = setPassword(ctx, request.actor!, request.params.username, request.body.password);
      app.sessions.destroyUser(userId);
      return user;
    },
  );

  app.put(
    '/users/:username/role',
    {
      config: { access: { roles: ADMIN }, throws: [404, 409, 422] },
      schema: {
        operationId: 'setUserRole',
        tags,
        summary: 'Change a user’s role (the state role needs a State); applies at once (409: it would demote the last active admin)',
        params: usernameParams,
        body: roleBody,
        response: { 200: userOut },
      },
    },
    async (request) => setRole(ctx, request.actor!, request.params.username, request.body),
  );

  app.get(
    '/users/:username/tokens',
    {
      config: { access: { roles: ADMIN }, throws: [404] },
      schema: {
        operationId: 'listUserTokens',
        tags,
        summary: 'A user’s API tokens, newest first: label, created, expires, last used, revoked (never the token or its hash)',
        params: usernameParams,
        response: { 200: z.array(tokenOut) },
      },
    },
    async (request) => listTokens(ctx.db, request.params.username),
  );

  app.post(
    '/users/:username/tokens',
    {
      config: { access: { roles: ADMIN }, throws: [404, 409, 422] },
      schema: {
        operationId: 'createUserToken',
        tags,
        summary: 'Create an API token for a user, answered once; it expires after expiresInDays (default 365) or at expiresAt (409: the user is disabled)',
        params: usernameParams,
        body: tokenCreate,
        response: { 201: tokenCreated },
      },
    },
    async (request, reply) => reply.code(201).send(createToken(ctx, request.actor!, request.params.username, request.body)),
  );

  app.post(
    '/tokens/:id/revoke',
    {
      config: { access: { roles: ADMIN }, throws: [404, 409] },
      schema: {
        operationId: 'revokeToken',
        tags,
        summary: 'Revoke an API token for good; it is refused from the next request (409: revoked already)',
        params: tokenIdParams,
        body: reasonBody,
        response: { 200: tokenOut },
      },
    },
    async (request) => revokeToken(ctx, request.actor!, request.params.id, request.body.reason),
  );
};
export default adminRoutes;
