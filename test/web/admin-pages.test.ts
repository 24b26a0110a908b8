/**
 * The admin's user pages without a browser (inject), logged in through
 * /login: who sees them (admin only; 403 for the other roles, 404 for a State
 * user), adding a user (the password and first token shown once, the user
 * then logs in), a double submit adding once, field errors at the field
 * (422, nothing written), the CSRF guard (403, nothing written), disabling
 * and enabling (sessions and tokens stop), the last admin kept, password
 * reset, role change, and API tokens created (shown once) and revoked (the
 * API then answers 401).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEXT } from '../../src/http/pages/admin-text.js';
import { getUser } from '../../src/services/users.js';
import { auth, rowCounts } from '../helpers.js';
import { pagesEnv, type PagesEnv } from './admin-env.js';

let p: PagesEnv;
const t = ADMIN_TEXT.en;

beforeAll(async () => {
  p = await pagesEnv();
}, 60_000);
afterAll(() => p.env.close());

const userCount = () => (p.env.ctx.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
const secretOf = (body: string, which: 'password' | 'token') => new RegExp(`id="secret-${which}">([^<]+)<`).exec(body)?.[1];

describe('who sees the user pages', () => {
  it('the admin: the list with every user, no hash and no token', async () => {
    const res = await p.get('adm', '/admin/users');
    expect(res.statusCode).toBe(200);
    for (const u of ['fin', 'adm', 'adm2', 'pres', 'aud', 'fra']) expect(res.body).toContain(`href="/admin/users/${u}"`);
    expect(res.body).not.toMatch(/scrypt\$/);
    for (const token of Object.values(p.tokens)) expect(res.body).not.toContain(token);
    expect(res.body).toContain('<a href="/admin/users" aria-current="page">');
    expect(res.body).not.toContain('<script');
    const one = await p.get('adm', '/admin/users/fin');
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('data-token=');
    expect(one.body).not.toContain(p.tokens.fin!);
  });

  it('filters by role and status in the query string', async () => {
    const res = await p.get('adm', '/admin/users?role=admin&status=active');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/admin/users/adm2"');
    expect(res.body).not.toContain('href="/admin/users/fin"');
    expect((await p.get('adm', '/admin/users?role=king')).statusCode).toBe(400);
  });

  it.each(['fin', 'pres', 'aud'])('%s: the 403 page on every user page', async (who) => {
    for (const url of ['/admin/users', '/admin/users/new', '/admin/users/fin']) expect((await p.get(who, url)).statusCode, url).toBe(403);
  });

  it('a State user: 404, as if the pages did not exist', async () => {
    for (const url of ['/admin/users', '/admin/users/new', '/admin/users/fra']) expect((await p.get('fra', url)).statusCode, url).toBe(404);
  });

  it('an unknown user: 404', async () => {
    expect((await p.get('adm', '/admin/users/nobody')).statusCode).toBe(404);
  });

  it('speaks French and Spanish', async () => {
    expect((await p.get('adm', '/admin/users?lang=fr')).body).toContain(ADMIN_TEXT.fr.usersTitle);
    expect((await p.get('adm', '/admin/users/new?lang=es')).body).toContain(ADMIN_TEXT.es.submitCreate);
    await p.get('adm', '/admin/users?lang=en'); // the language is remembered per user: English for the other tests
  });
});

describe('adding a user', () => {
  let location: string;
  let fields: Record<string, string>;

  it('a generated password and the first token, shown once; the user logs in with it and the token works', async () => {
    fields = { ...(await p.formTokens('adm', '/admin/users/new', '/admin/users')), username: 'newbie', role: 'auditor', state: '', password: '' };
    const before = userCount();
    const res = await p.post('adm', '/admin/users', fields);
    expect(res.statusCode, res.body).toBe(303);
    location = res.headers.location as string;
    expect(location).toMatch(/^\/admin\/users\/newbie\?created=[A-Za-z0-9_-]+$/);
    expect(userCount()).toBe(before + 1);
    const page = await p.get('adm', location);
    expect(page.body).toContain(t.createdNotice);
    const password = secretOf(page.body, 'password')!;
    const token = secretOf(page.body, 'token')!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(token.length).toBeGreaterThan(20);
    // Once: the same URL again shows neither.
    const again = await p.get('adm', location);
    expect(again.body).toContain(t.secretGone);
    expect(again.body).not.toContain(password);
    expect(again.body).not.toContain(token);
    await p.login('newbie', password);
    const me = await p.env.app.inject({ url: '/api/v1/me', headers: auth(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'newbie', role: 'auditor' });
  });

  it('a double submit adds once and lands on the user without the secrets', async () => {
    const counts = rowCounts(p.env.ctx);
    const again = await p.post('adm', '/admin/users', fields);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/admin/users/newbie');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('a State user with its State and a chosen password (not shown again)', async () => {
    const res = await p.post('adm', '/admin/users', { ...(await p.formTokens('adm', '/admin/users/new', '/admin/users')), username: 'mex.user', role: 'state', state: 'MEX', password: 'a-long-chosen-secret' });
    expect(res.statusCode).toBe(303);
    const page = await p.get('adm', res.headers.location as string);
    expect(page.body).not.toContain('a-long-chosen-secret');
    expect(secretOf(page.body, 'token')).toBeDefined();
    expect(getUser(p.env.ctx.db, 'mex.user')).toMatchObject({ role: 'state', state: 'MEX' });
  });

  it.each([
    [{ username: 'Bad Name', role: 'finance', state: '', password: '' }, 'username', t.usernameInvalid],
    [{ username: 'nostate', role: 'state', state: '', password: '' }, 'state', t.stateNeeded],
    [{ username: 'withstate', role: 'finance', state: 'FRA', password: '' }, 'state', t.stateRefused],
    [{ username: 'shortpw', role: 'finance', state: '', password: 'short' }, 'password', 'must be at least 12 characters'],
    [{ username: 'fin', role: 'finance', state: '', password: '' }, 'username', 'user fin already exists'],
  ])('%o: refused at the field %s, nothing written', async (values, field, message) => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', '/admin/users', { ...(await p.formTokens('adm', '/admin/users/new', '/admin/users')), ...values });
    expect([409, 422]).toContain(res.statusCode);
    expect(res.body).toContain(`id="nu-${field}-error"`);
    expect(res.body).toContain(message.replace(/'/g, '&#39;'));
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('says a service refusal in French', async () => {
    const res = await p.post('adm', '/admin/users?lang=fr', { ...(await p.formTokens('adm', '/admin/users/new?lang=fr', '/admin/users?lang=fr')), username: 'fin', role: 'finance', state: '', password: '' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('L’utilisateur fin existe déjà.');
    await p.get('adm', '/admin/users?lang=en');
  });

  it('refuses a form without the session’s CSRF token (403, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const { _idem } = await p.formTokens('adm', '/admin/users/new', '/admin/users');
    const res = await p.post('adm', '/admin/users', { _idem, username: 'csrfless', role: 'finance', state: '', password: '' });
    expect(res.statusCode).toBe(403);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('refuses the form to another role (403, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('fin', '/admin/users', { _csrf: p.sessions.fin!.csrf, _idem: 'x'.repeat(20), username: 'byfinance', role: 'finance', state: '', password: '' });
    expect(res.statusCode).toBe(403);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });
});

describe('one user', () => {
  it('API tokens: created (shown once, it works), then revoked (the API answers 401)', async () => {
    const res = await p.post('adm', '/admin/users/pres/tokens', { ...(await p.formTokens('adm', '/admin/users/pres', '/admin/users/pres/tokens')), label: 'dashboard-feed', days: '30' });
    expect(res.statusCode, res.body).toBe(303);
    const page = await p.get('adm', res.headers.location as string);
    const token = secretOf(page.body, 'token')!;
    expect(page.body).toContain('dashboard-feed');
    expect((await p.env.app.inject({ url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(200);
    expect((await p.get('adm', res.headers.location as string)).body).not.toContain(token);
    const id = Number(/data-token="(\d+)"/.exec(page.body)![1]);
    const list = await p.get('adm', '/admin/users/pres');
    const revokeForm = list.body.slice(list.body.indexOf(`action="/admin/tokens/${id}/revoke"`));
    const fields = { _csrf: /name="_csrf" value="([^"]+)"/.exec(revokeForm)![1]!, _idem: /name="_idem" value="([^"]+)"/.exec(revokeForm)![1]! };
    const revoked = await p.post('adm', `/admin/tokens/${id}/revoke`, fields);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(`/admin/users/pres?revoked=${id}`);
    expect((await p.env.app.inject({ url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(401);
    // Posted again: the same answer, nothing more.
    const counts = rowCounts(p.env.ctx);
    expect((await p.post('adm', `/admin/tokens/${id}/revoke`, fields)).headers.location).toBe(`/admin/users/pres?revoked=${id}`);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('a bad number of days is refused at the field, nothing written', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', '/admin/users/pres/tokens', { ...(await p.formTokens('adm', '/admin/users/pres', '/admin/users/pres/tokens')), label: 'x', days: '9999' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="tk-days-error"');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('disabling a user ends its sessions and tokens; enabling it gives the tokens back', async () => {
    const aud = await p.login('aud');
    const res = await p.post('adm', '/admin/users/aud/disable', { ...(await p.formTokens('adm', '/admin/users/aud', '/admin/users/aud/disable')), reason: 'left the audit firm' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/users/aud?done=disabled');
    expect(getUser(p.env.ctx.db, 'aud').status).toBe('disabled');
    expect((await p.env.app.inject({ url: '/dashboard', headers: { cookie: aud.cookie } })).statusCode).toBe(303);
    expect((await p.env.app.inject({ url: '/api/v1/me', headers: auth(p.tokens.aud) })).statusCode).toBe(401);
    const back = await p.post('adm', '/admin/users/aud/enable', { ...(await p.formTokens('adm', '/admin/users/aud', '/admin/users/aud/enable')), reason: '' });
    expect(back.statusCode).toBe(303);
    expect((await p.env.app.inject({ url: '/api/v1/me', headers: auth(p.tokens.aud) })).statusCode).toBe(200);
  });

  it('the last active admin cannot disable itself (the service’s refusal at the form, nothing written)', async () => {
    await p.post('adm', '/admin/users/adm2/disable', { ...(await p.formTokens('adm', '/admin/users/adm2', '/admin/users/adm2/disable')), reason: '' });
    expect(getUser(p.env.ctx.db, 'adm2').status).toBe('disabled');
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', '/admin/users/adm/disable', { ...(await p.formTokens('adm', '/admin/users/adm', '/admin/users/adm/disable')), reason: '' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('adm is the last active admin');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
    expect(getUser(p.env.ctx.db, 'adm').status).toBe('active');
    await p.post('adm', '/admin/users/adm2/enable', { ...(await p.formTokens('adm', '/admin/users/adm2', '/admin/users/adm2/enable')), reason: '' });
    expect(getUser(p.env.ctx.db, 'adm2').status).toBe('active');
  });

  it('a password reset: generated and shown once, the user’s sessions end, the new password works', async () => {
    const before = await p.login('pres');
    const res = await p.post('adm', '/admin/users/pres/password', { ...(await p.formTokens('adm', '/admin/users/pres', '/admin/users/pres/password')), password: '' });
    expect(res.statusCode).toBe(303);
    const page = await p.get('adm', res.headers.location as string);
    const password = secretOf(page.body, 'password')!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await p.env.app.inject({ url: '/dashboard', headers: { cookie: before.cookie } })).statusCode).toBe(303);
    p.sessions.pres = await p.login('pres', password);
  });

  it('the admin’s own password is never generated (it could not be shown: its session ends)', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', '/admin/users/adm/password', { ...(await p.formTokens('adm', '/admin/users/adm', '/admin/users/adm/password')), password: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="pw-password-error"');
    expect(res.body).toContain(t.ownPasswordTyped.replace(/'/g, '&#39;'));
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('a password containing the username is refused at the field', async () => {
    const res = await p.post('adm', '/admin/users/pres/password', { ...(await p.formTokens('adm', '/admin/users/pres', '/admin/users/pres/password')), password: 'my-pres-password' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="pw-password-error"');
  });

  it('a role change: to a State user needs its State; then applied', async () => {
    const counts = rowCounts(p.env.ctx);
    const bad = await p.post('adm', '/admin/users/newbie/role', { ...(await p.formTokens('adm', '/admin/users/newbie', '/admin/users/newbie/role')), role: 'state', state: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="ro-state-error"');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
    const ok = await p.post('adm', '/admin/users/newbie/role', { ...(await p.formTokens('adm', '/admin/users/newbie', '/admin/users/newbie/role')), role: 'state', state: 'FRA' });
    expect(ok.statusCode).toBe(303);
    expect(getUser(p.env.ctx.db, 'newbie')).toMatchObject({ role: 'state', state: 'FRA' });
  });
});
