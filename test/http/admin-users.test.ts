/**
 * Issue 16, finding 4 (SPEC 9.8): users and tokens can be disabled, enabled,
 * given a new password or role, and tokens expire, are revoked and record
 * their last use — through /api/v1/admin (admins only), every change audited.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { importStates } from '../../src/services/states.js';
import { addUser, checkToken, disableUser, LAST_USE_INTERVAL_MS, recordTokenUse, setRole } from '../../src/services/users.js';
import { auth, makeEnv, rowCounts, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const JSON_TYPE = { 'content-type': 'application/json' };

beforeAll(async () => {
  env = await makeEnv((ctx) => importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX]));
});
afterAll(() => env.close());

const admin = () => ({ ...auth(env.tokens.admin), ...JSON_TYPE });
const audits = (entityId: string) =>
  env.ctx.sqlite.prepare('SELECT username, role, action, entity_type AS entityType, details FROM audit_log WHERE entity_id = ? ORDER BY id').all(entityId) as {
    username: string;
    role: string;
    action: string;
    entityType: string;
    details: string | null;
  }[];

function expectProblem(res: LightMyRequestResponse, status: number, field?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field !== undefined) {
    const body = res.json() as { errors?: { field: string }[]; field?: string };
    expect([...(body.errors ?? []).map((e) => e.field), body.field]).toContain(field);
  }
}

async function login(username: string, password: string): Promise<string> {
  const form = await env.app.inject({ url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const set = [form.headers['set-cookie']].flat().find((c) => c!.startsWith('isu_login_csrf='))!;
  const res = await env.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: '10.80.0.1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: set.split(';')[0]!, host: 'localhost', origin: 'http://localhost' },
    payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  const session = [res.headers['set-cookie']].flat().find((c) => c!.startsWith('isu_session='))!;
  return `isu_session=${parseCookies(session.split(';')[0]).get('isu_session')}`;
}

describe('finding 4: users', () => {
  it('finding 4: an admin lists users without any hash, adds one (its first token and a generated password answered once), audited', async () => {
    const list = await env.app.inject({ url: '/api/v1/admin/users', headers: auth(env.tokens.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toMatch(/scrypt|hash/i);
    const users = list.json() as { username: string; role: string; state: string | null; status: string; activeTokens: number }[];
    expect(users.find((u) => u.username === 'fra')).toMatchObject({ role: 'state', state: 'FRA', status: 'active', activeTokens: 1 });

    const created = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: admin(), payload: { username: 'newbie', role: 'auditor' } });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as { username: string; password: string; token: string; tokenExpiresAt: string; status: string };
    expect(body).toMatchObject({ username: 'newbie', role: 'auditor', state: null, status: 'active', activeTokens: 1 });
    expect(body.password.length).toBeGreaterThanOrEqual(16);
    const days = (Date.parse(body.tokenExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(body.token) })).json()).toMatchObject({ username: 'newbie', role: 'auditor' });
    expect(audits('newbie')).toEqual([expect.objectContaining({ username: 'admin', role: 'admin', action: 'POST /api/v1/admin/users', entityType: 'user' })]);
    expect(audits('newbie')[0]!.details).not.toContain(body.password);

    const one = await env.app.inject({ url: '/api/v1/admin/users/newbie', headers: auth(env.tokens.admin) });
    expect(one.json()).toMatchObject({ username: 'newbie', status: 'active' });
    expectProblem(await env.app.inject({ url: '/api/v1/admin/users/nobody', headers: auth(env.tokens.admin) }), 404);
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: admin(), payload: { username: 'newbie', role: 'auditor' } }), 409, 'username');
    // A chosen password follows the rules of a new password.
    const before = rowCounts(env.ctx);
    for (const password of ['short-1', 'chosen-2026-password']) {
      const res = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: admin(), payload: { username: 'chosen', role: 'auditor', password } });
      expectProblem(res, 422, 'password');
    }
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: admin(), payload: { username: 'fra2', role: 'state' } }), 422, 'state');
    expect(rowCounts(env.ctx)).toEqual(before);
    const chosen = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: admin(), payload: { username: 'chosen', role: 'state', state: 'FRA', password: 'a-long-passphrase-1' } });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json()).not.toHaveProperty('password');
    expect(chosen.json()).toMatchObject({ role: 'state', state: 'FRA' });
  });

  it('finding 4: disabling a user stops its tokens and web sessions at once; enabling gives its tokens back; 409 when already so; audited with the reason', async () => {
    const { token } = addUser(env.ctx, cliActor('test'), { username: 'leaver', role: 'finance', password: 'leaver-password-1' });
    const cookie = await login('leaver', 'leaver-password-1');
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);

    const off = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/leaver/disable', headers: admin(), payload: { reason: 'left the ISU' } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ username: 'leaver', status: 'disabled', disabledAt: expect.any(String) });
    expectProblem(await env.app.inject({ url: '/api/v1/me', headers: auth(token) }), 401);
    expectProblem(await env.app.inject({ url: '/api/v1/me', headers: { cookie } }), 401);
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/leaver/disable', headers: admin(), payload: {} }), 409, 'username');
    // A disabled user gets no new token.
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/leaver/tokens', headers: admin(), payload: {} }), 409, 'username');

    const on = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/leaver/enable', headers: admin(), payload: {} });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ status: 'active', disabledAt: null });
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(200);
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/leaver/enable', headers: admin(), payload: {} }), 409, 'username');
    const trail = audits('leaver').map((a) => [a.action, JSON.parse(a.details ?? 'null')?.change, JSON.parse(a.details ?? 'null')?.reason]);
    expect(trail.slice(1)).toEqual([
      ['POST /api/v1/admin/users/:username/disable', 'disabled', 'left the ISU'],
      ['POST /api/v1/admin/users/:username/enable', 'enabled', null],
    ]);
  });

  it('finding 4: the last active admin cannot be disabled or demoted (409, nothing written); with a second admin it can', async () => {
    const before = rowCounts(env.ctx);
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/admin/disable', headers: admin(), payload: {} }), 409, 'username');
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/admin/role', headers: admin(), payload: { role: 'finance' } }), 409, 'username');
    expect(() => disableUser(env.ctx, cliActor('test'), 'admin')).toThrow(/last active admin/);
    expect(rowCounts(env.ctx)).toEqual(before);
    expect((await env.app.inject({ url: '/api/v1/admin/users/admin', headers: auth(env.tokens.admin) })).json()).toMatchObject({ role: 'admin', status: 'active' });

    const second = addUser(env.ctx, cliActor('test'), { username: 'admin2', role: 'admin' });
    const demote = await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/admin2/role', headers: admin(), payload: { role: 'auditor' } });
    expect(demote.statusCode, demote.body).toBe(200);
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(second.token) })).json()).toMatchObject({ role: 'auditor' });
    expectProblem(await env.app.inject({ url: '/api/v1/admin/users', headers: auth(second.token) }), 403);
  });

  it('finding 4: a new password must be 12–1024 characters without the username (422 naming password); it ends the user’s sessions and logs in', async () => {
    addUser(env.ctx, cliActor('test'), { username: 'forgetful', role: 'presidency', password: 'old-password-12' });
    const cookie = await login('forgetful', 'old-password-12');
    const before = rowCounts(env.ctx);
    for (const password of ['short', 'a'.repeat(20), 'x'.repeat(1025), 'forgetful-2026!!']) {
      const res = await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/forgetful/password', headers: admin(), payload: { password } });
      expectProblem(res, 422, 'password');
    }
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/forgetful/password', headers: admin(), payload: { password: 'new-password-12', extra: 1 } }), 422);
    expect(rowCounts(env.ctx)).toEqual(before);
    const hash = () => (env.ctx.sqlite.prepare("SELECT password_hash AS h FROM users WHERE username = 'forgetful'").get() as { h: string }).h;
    const old = hash();

    const ok = await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/forgetful/password', headers: admin(), payload: { password: 'new-password-12' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).not.toContain('new-password-12');
    expect(hash()).not.toBe(old);
    expectProblem(await env.app.inject({ url: '/api/v1/me', headers: { cookie } }), 401);
    await login('forgetful', 'new-password-12');
    const trail = audits('forgetful');
    expect(trail.at(-1)).toMatchObject({ action: 'PUT /api/v1/admin/users/:username/password', username: 'admin' });
    expect(JSON.stringify(trail)).not.toContain('new-password-12');
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/nobody/password', headers: admin(), payload: { password: 'new-password-12' } }), 404);
  });

  it('finding 4: a role change: the state role needs a known State (422 naming state), others none; it applies to the user’s token at once', async () => {
    const { token } = addUser(env.ctx, cliActor('test'), { username: 'mover', role: 'presidency' });
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/mover/role', headers: admin(), payload: { role: 'state' } }), 422, 'state');
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/mover/role', headers: admin(), payload: { role: 'state', state: 'XYZ' } }), 422, 'state');
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/mover/role', headers: admin(), payload: { role: 'auditor', state: 'FRA' } }), 422, 'state');
    expectProblem(await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/mover/role', headers: admin(), payload: { role: 'root' } }), 422, 'role');
    const res = await env.app.inject({ method: 'PUT', url: '/api/v1/admin/users/mover/role', headers: admin(), payload: { role: 'state', state: 'MEX' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ role: 'state', state: 'MEX' });
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(token) })).json()).toEqual({ username: 'mover', role: 'state', state: 'MEX' });
    expectProblem(await env.app.inject({ url: '/api/v1/states/FRA', headers: auth(token) }), 404);
    expect(JSON.parse(audits('mover').at(-1)!.details!)).toMatchObject({ role: 'state', state: 'MEX', previous: { role: 'presidency', state: null } });
    expect(() => setRole(env.ctx, cliActor('test'), 'mover', { role: 'finance', state: 'MEX' })).toThrow(/state/);
  });
});

describe('finding 4: tokens', () => {
  it('finding 4: an admin creates a token (answered once; default 365 days, expiresInDays or expiresAt), lists tokens without hashes, revokes one: refused at once', async () => {
    const d365 = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/presidency/tokens', headers: admin(), payload: { label: 'laptop' } });
    expect(d365.statusCode, d365.body).toBe(201);
    const t1 = d365.json() as { id: number; token: string; expiresAt: string; status: string; label: string };
    expect(t1).toMatchObject({ label: 'laptop', status: 'active', lastUsedAt: null, revokedAt: null, username: 'presidency' });
    expect(Math.round((Date.parse(t1.expiresAt) - Date.now()) / 86_400_000)).toBe(365);
    const d30 = (await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/presidency/tokens', headers: admin(), payload: { expiresInDays: 30 } })).json() as { expiresAt: string; label: string };
    expect(Math.round((Date.parse(d30.expiresAt) - Date.now()) / 86_400_000)).toBe(30);
    expect(d30.label).toBe('api');
    const year = new Date().getUTCFullYear() + 1;
    const dated = await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/presidency/tokens', headers: admin(), payload: { expiresAt: `${year}-06-30` } });
    expect(dated.json()).toMatchObject({ expiresAt: `${year}-07-01T00:00:00.000Z` });

    const before = rowCounts(env.ctx);
    for (const [payload, field] of [
      [{ expiresInDays: 0 }, 'expiresInDays'],
      [{ expiresInDays: 3651 }, 'expiresInDays'],
      [{ expiresInDays: 1.5 }, 'expiresInDays'],
      [{ expiresAt: '2020-01-01' }, 'expiresAt'],
      [{ expiresAt: `${year + 20}-01-01` }, 'expiresAt'],
      [{ expiresAt: `${year}-02-30` }, 'expiresAt'],
      [{ expiresAt: `${year}-01-01`, expiresInDays: 3 }, 'expiresAt'],
      [{ label: '' }, 'label'],
    ] as const) {
      expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/presidency/tokens', headers: admin(), payload }), 422, field);
    }
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/nobody/tokens', headers: admin(), payload: {} }), 404);
    expect(rowCounts(env.ctx)).toEqual(before);

    const list = await env.app.inject({ url: '/api/v1/admin/users/presidency/tokens', headers: auth(env.tokens.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(t1.token);
    expect(list.body).not.toMatch(/hash/i);
    const tokens = list.json() as { id: number; label: string; status: string }[];
    expect(tokens.map((t) => t.label)).toEqual(['api', 'api', 'laptop', 'initial']);

    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(t1.token) })).statusCode).toBe(200);
    const revoked = await env.app.inject({ method: 'POST', url: `/api/v1/admin/tokens/${t1.id}/revoke`, headers: admin(), payload: { reason: 'laptop stolen' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: t1.id, status: 'revoked', revokedAt: expect.any(String) });
    expectProblem(await env.app.inject({ url: '/api/v1/me', headers: auth(t1.token) }), 401);
    // The user's other tokens still work.
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(env.tokens.presidency) })).statusCode).toBe(200);
    expectProblem(await env.app.inject({ method: 'POST', url: `/api/v1/admin/tokens/${t1.id}/revoke`, headers: admin(), payload: {} }), 409, 'id');
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/tokens/999999/revoke', headers: admin(), payload: {} }), 404);
    expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/tokens/abc/revoke', headers: admin(), payload: {} }), 400, 'id');
    expect(audits(String(t1.id)).map((a) => [a.action, JSON.parse(a.details!).reason ?? null])).toEqual([
      ['POST /api/v1/admin/users/:username/tokens', null],
      ['POST /api/v1/admin/tokens/:id/revoke', 'laptop stolen'],
    ]);
  });

  it('finding 4: an expired token is refused with 401 problem+json that says it expired, and nothing more', async () => {
    const t = (await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/auditor/tokens', headers: admin(), payload: { expiresInDays: 1 } })).json() as { id: number; token: string };
    expect((await env.app.inject({ url: '/api/v1/me', headers: auth(t.token) })).statusCode).toBe(200);
    expect(checkToken(env.ctx, t.token, Date.now() + 86_400_000 + 1000)).toEqual({ expired: true });
    env.ctx.sqlite.prepare('UPDATE api_tokens SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), t.id);
    const res = await env.app.inject({ url: '/api/v1/me', headers: auth(t.token) });
    expectProblem(res, 401);
    expect((res.json() as { detail: string }).detail).toMatch(/expired/);
    expect(res.body).not.toContain('auditor');
    const listed = (await env.app.inject({ url: '/api/v1/admin/users/auditor/tokens', headers: auth(env.tokens.admin) })).json() as { id: number; status: string }[];
    expect(listed.find((x) => x.id === t.id)!.status).toBe('expired');
  });

  it('finding 4: a token’s last use is recorded at its first use, then at most once a minute (no write per request)', async () => {
    const t = (await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/finance/tokens', headers: admin(), payload: { label: 'use' } })).json() as { id: number; token: string };
    const lastUsed = () => (env.ctx.sqlite.prepare('SELECT last_used_at AS at FROM api_tokens WHERE id = ?').get(t.id) as { at: string | null }).at;
    expect(lastUsed()).toBeNull();
    const t0 = Date.now();
    expect((await env.app.inject({ url: '/api/v1/states', headers: auth(t.token) })).statusCode).toBe(200);
    const first = lastUsed();
    expect(first).not.toBeNull();
    expect(Date.parse(first!)).toBeGreaterThanOrEqual(t0 - 5);
    const changes = () => (env.ctx.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const n = changes();
    for (let i = 0; i < 5; i++) expect((await env.app.inject({ url: '/api/v1/states', headers: auth(t.token) })).statusCode).toBe(200);
    expect(changes()).toBe(n);
    expect(lastUsed()).toBe(first);
    expect(recordTokenUse(env.ctx, t.id, Date.parse(first!) + LAST_USE_INTERVAL_MS - 1)).toBe(false);
    expect(recordTokenUse(env.ctx, t.id, Date.parse(first!) + LAST_USE_INTERVAL_MS)).toBe(true);
    expect(lastUsed()).toBe(new Date(Date.parse(first!) + LAST_USE_INTERVAL_MS).toISOString());
    const listed = (await env.app.inject({ url: '/api/v1/admin/users/finance/tokens', headers: auth(env.tokens.admin) })).json() as { id: number; lastUsedAt: string }[];
    expect(listed.find((x) => x.id === t.id)!.lastUsedAt).toBe(lastUsed());
  });

  it('finding 4: recording a last use never waits for the write lock: while another connection writes it is skipped at once, and made at a later use', async () => {
    const t = (await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/finance/tokens', headers: admin(), payload: { label: 'busy' } })).json() as { id: number; token: string };
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(env.dbPath);
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const t0 = performance.now();
      expect(recordTokenUse(env.ctx, t.id)).toBe(false);
      expect(performance.now() - t0).toBeLessThan(500);
      // A request with the token is answered at once all the same.
      expect((await env.app.inject({ url: '/api/v1/me', headers: auth(t.token) })).statusCode).toBe(200);
      expect(env.ctx.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      other.prepare('COMMIT').run();
    } finally {
      other.close();
    }
    expect(recordTokenUse(env.ctx, t.id)).toBe(true);
    expect((env.ctx.sqlite.prepare('SELECT last_used_at AS at FROM api_tokens WHERE id = ?').get(t.id) as { at: string | null }).at).not.toBeNull();
  });
});

describe('finding 4: who may', () => {
  it('finding 4: only admins reach /admin: other roles 403, no token 401, and nothing is written', async () => {
    const before = rowCounts(env.ctx);
    for (const user of ['finance', 'presidency', 'auditor', 'fra']) {
      expectProblem(await env.app.inject({ url: '/api/v1/admin/users', headers: auth(env.tokens[user]) }), 403);
      expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/users/fra/disable', headers: { ...auth(env.tokens[user]), ...JSON_TYPE }, payload: {} }), 403);
      expectProblem(await env.app.inject({ method: 'POST', url: '/api/v1/admin/tokens/1/revoke', headers: { ...auth(env.tokens[user]), ...JSON_TYPE }, payload: {} }), 403);
    }
    expectProblem(await env.app.inject({ url: '/api/v1/admin/users' }), 401);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});
