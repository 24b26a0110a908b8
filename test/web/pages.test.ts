/**
 * The web pages without a browser (inject): redirects, login failures and
 * throttling, CSRF and cross-site refusals, roles, the session cookie's
 * attributes and lifetime, the cookie on the API, security headers.
 */
import type { FastifyRequest, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_MS, LoginThrottle, parseCookies, serializeCookie, SessionStore } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { addReserveContribution } from '../../src/services/reserve.js';
import { createScale } from '../../src/services/scales.js';
import { importStates } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { auth, BUDGET_2018, makeEnv, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = { pres: 'pres-password-1', fin: 'fin-password-1', fra: 'fra-password-1', adm: 'adm-password-1', victim: 'victim-password-1' };
let env: TestEnv;
let finToken: string;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  env = await makeEnv(
    (ctx) => {
      const actor = cliActor('test');
      importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
      createScale(ctx, actor, SCALE_SMALL);
      addUser(ctx, actor, { username: 'pres', role: 'presidency', password: PASSWORDS.pres! });
      finToken = addUser(ctx, actor, { username: 'fin', role: 'finance', password: PASSWORDS.fin! }).token;
      addUser(ctx, actor, { username: 'fra', role: 'state', state: 'FRA', password: PASSWORDS.fra! });
      addUser(ctx, actor, { username: 'adm', role: 'admin', password: PASSWORDS.adm! });
      addUser(ctx, actor, { username: 'victim', role: 'presidency', password: PASSWORDS.victim! });
    },
    { users: false },
  );
  const budget = await env.app.inject({ method: 'POST', url: '/api/v1/budgets', headers: auth(finToken), payload: BUDGET_2018 });
  expect(budget.statusCode).toBe(201);
});
afterAll(() => env.close());

function setCookies(res: LightMyRequestResponse): string[] {
  const h = res.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}
function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  const c = setCookies(res).find((s) => s.startsWith(`${name}=`));
  return c === undefined ? undefined : parseCookies(c.split(';')[0]).get(name);
}

/** The login form's CSRF token and its cookie. */
async function loginForm(): Promise<{ csrf: string; cookie: string }> {
  const res = await env.app.inject({ url: '/login' });
  expect(res.statusCode).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
  return { csrf, cookie: `isu_login_csrf=${cookieValue(res, 'isu_login_csrf')}` };
}

async function postLogin(username: string, password: string, opts: { ip?: string; headers?: Record<string, string>; noCsrf?: boolean } = {}) {
  const f = await loginForm();
  const body = new URLSearchParams({ username, password, ...(opts.noCsrf ? {} : { _csrf: f.csrf }) }).toString();
  return env.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: { ...FORM, cookie: f.cookie, host: 'localhost:80', ...(opts.headers ?? { origin: 'http://localhost' }) },
    payload: body,
  });
}

/** Logs in and returns the session cookie header and the session's CSRF token (read from a page). */
async function session(username: string): Promise<{ cookie: string; csrf: string; res: LightMyRequestResponse }> {
  const res = await postLogin(username, PASSWORDS[username]!, { ip: `10.0.0.${Object.keys(PASSWORDS).indexOf(username) + 1}` });
  expect(res.statusCode, res.body).toBe(303);
  const cookie = `isu_session=${cookieValue(res, 'isu_session')}`;
  const page = await env.app.inject({ url: res.headers.location as string, headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { cookie, csrf, res };
}

describe('logged out', () => {
  it('redirects a visitor of /dashboard, /account and / to /login with 303', async () => {
    for (const url of ['/dashboard', '/account', '/', '/dashboard?year=2018', '/dashboard/status-of-contributions.csv?year=2018']) {
      const res = await env.app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe('/login');
    }
  });

  it('treats an unknown, malformed or ended session as logged out', async () => {
    for (const cookie of ['isu_session=nonsense', `isu_session=${'A'.repeat(43)}`, 'isu_session=']) {
      const res = await env.app.inject({ url: '/dashboard', headers: { cookie } });
      expect(res.statusCode).toBe(303);
      const api = await env.app.inject({ url: '/api/v1/me', headers: { cookie } });
      expect(api.statusCode).toBe(401);
      expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('serves a login form with labelled fields, a CSRF token and security headers, and no script', async () => {
    const res = await env.app.inject({ url: '/login' });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<label for="username">Username<\/label>/);
    expect(res.body).toMatch(/<input id="username" name="username"/);
    expect(res.body).toMatch(/<label for="password">Password<\/label>/);
    expect(res.body).toMatch(/<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/);
    expect(res.body).not.toMatch(/<script|\son[a-z]+=/i);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('login', () => {
  it('sets a fresh HttpOnly, SameSite=Strict session cookie on Path=/ (Secure only over HTTPS) and sends each role home', async () => {
    const pres = await session('pres');
    expect(pres.res.headers.location).toBe('/dashboard');
    const raw = setCookies(pres.res).find((c) => c.startsWith('isu_session='))!;
    const attrs = raw.split(';').map((s) => s.trim());
    expect(attrs[0]).toMatch(/^isu_session=[A-Za-z0-9_-]{43}$/);
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attrs).not.toContain('Secure'); // plain HTTP here
    expect(setCookies(pres.res).filter((c) => c.startsWith('isu_session='))).toHaveLength(1);
    expect((await session('fra')).res.headers.location).toBe('/account');
    // Over HTTPS the cookie is Secure.
    const https = serializeCookie({ protocol: 'https' } as FastifyRequest, 'isu_session', 'x');
    expect(https.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']));
    // Two logins, two different sessions.
    expect((await session('pres')).cookie).not.toBe(pres.cookie);
  });

  it('answers a wrong password or an unknown user with the form again, a message and 401', async () => {
    for (const [u, p] of [
      ['pres', 'wrong'],
      ['nobody', 'whatever'],
    ] as const) {
      const res = await postLogin(u, p, { ip: '10.1.1.1' });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('The username or the password is wrong.');
      expect(res.body).toContain(`value="${u}"`);
      expect(cookieValue(res, 'isu_session')).toBeUndefined();
    }
    const empty = await postLogin('', '', { ip: '10.1.1.2' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter your username.');
  });

  it('escapes what it echoes back', async () => {
    const res = await postLogin('<script>alert(1)</script>', 'x', { ip: '10.1.1.3' });
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&lt;script&gt;');
  });

  it('throttles: after 5 failed logins for a username from an address, 429 even with the right password', async () => {
    const ip = '10.2.2.2';
    for (let i = 0; i < 5; i++) expect((await postLogin('victim', `wrong-${i}`, { ip })).statusCode).toBe(401);
    const blocked = await postLogin('victim', PASSWORDS.victim!, { ip });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(blocked.body).toContain('Too many failed logins');
    expect(cookieValue(blocked, 'isu_session')).toBeUndefined();
    // Another address, or another user from that address, is not blocked.
    expect((await postLogin('victim', PASSWORDS.victim!, { ip: '10.2.2.3' })).statusCode).toBe(303);
    expect((await postLogin('fin', PASSWORDS.fin!, { ip })).statusCode).toBe(303);
  });

  it('forgets failures after the window, and after a success', () => {
    let now = 0;
    const t = new LoginThrottle(5, 30, 15 * 60 * 1000, () => now);
    for (let i = 0; i < 5; i++) t.fail('u', 'ip');
    expect(t.retryAfter('u', 'ip')).toBe(900);
    now += 15 * 60 * 1000;
    expect(t.retryAfter('u', 'ip')).toBe(0);
    for (let i = 0; i < 4; i++) t.fail('u', 'ip');
    t.succeed('u', 'ip');
    t.fail('u', 'ip');
    expect(t.retryAfter('u', 'ip')).toBe(0);
    // Spraying many usernames from one address hits the per-address limit: slowed, not refused (issue 16, finding 6).
    for (let i = 0; i < 30; i++) t.fail(`user${i}`, 'spray');
    expect(t.retryAfter('someone-else', 'spray')).toBe(0);
    expect(t.delayMs('spray')).toBeGreaterThan(0);
  });
});

describe('CSRF and cross-site posts', () => {
  it('refuses a login post without the CSRF token, with a wrong one, or from another origin (403)', async () => {
    expect((await postLogin('pres', PASSWORDS.pres!, { noCsrf: true })).statusCode).toBe(403);
    const f = await loginForm();
    const wrong = await env.app.inject({
      method: 'POST',
      url: '/login',
      headers: { ...FORM, cookie: f.cookie },
      payload: new URLSearchParams({ username: 'pres', password: PASSWORDS.pres!, _csrf: `${f.csrf.slice(0, -1)}x` }).toString(),
    });
    expect(wrong.statusCode).toBe(403);
    const noCookie = await env.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: new URLSearchParams({ username: 'pres', password: PASSWORDS.pres!, _csrf: f.csrf }).toString() });
    expect(noCookie.statusCode).toBe(403);
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { referer: 'https://evil.example/page' }] as Record<string, string>[]) {
      const res = await postLogin('pres', PASSWORDS.pres!, { headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(cookieValue(res, 'isu_session')).toBeUndefined();
    }
  });

  it('refuses a logout without the session token or from another origin, and logs out with it', async () => {
    const s = await session('pres');
    const post = (payload: string, headers: Record<string, string> = {}) =>
      env.app.inject({ method: 'POST', url: '/logout', headers: { ...FORM, cookie: s.cookie, host: 'localhost:80', ...headers }, payload });
    expect((await post('')).statusCode).toBe(403);
    expect((await post('_csrf=wrong')).statusCode).toBe(403);
    expect((await post(`_csrf=${s.csrf}`, { origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await post(`_csrf=${s.csrf}`, { referer: 'http://localhost:8080/dashboard' })).statusCode).toBe(403);
    // Still logged in.
    expect((await env.app.inject({ url: '/dashboard', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    const out = await post(`_csrf=${s.csrf}`, { origin: 'http://localhost:80' });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login?out=1');
    expect(setCookies(out).find((c) => c.startsWith('isu_session='))).toMatch(/Max-Age=0/);
    // The session is gone server-side: the old cookie no longer works.
    expect((await env.app.inject({ url: '/dashboard', headers: { cookie: s.cookie } })).statusCode).toBe(303);
    expect((await env.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('lets the API read with the session cookie, but a change needs the X-CSRF-Token and a same-site origin', async () => {
    const s = await session('fin');
    const me = await env.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } });
    expect(me.json()).toEqual({ username: 'fin', role: 'finance', state: null });
    const payload = { ...STATE_FRA, iso3: 'DEU', name: 'Germany', names: { fr: 'Allemagne', es: 'Alemania' } };
    const noToken = await env.app.inject({ method: 'POST', url: '/api/v1/states', headers: { cookie: s.cookie }, payload });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.headers['content-type']).toMatch(/^application\/problem\+json/);
    const foreign = await env.app.inject({ method: 'POST', url: '/api/v1/states', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'https://evil.example' }, payload });
    expect(foreign.statusCode).toBe(403);
    expect((await env.app.inject({ url: '/api/v1/states/DEU', headers: auth(finToken) })).statusCode).toBe(404);
    const ok = await env.app.inject({ method: 'POST', url: '/api/v1/states', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });
    expect(ok.statusCode).toBe(201);
    // Audited as the session's user, like a request with that user's token.
    expect(env.ctx.sqlite.prepare("SELECT username, role, action FROM audit_log WHERE entity_type = 'state' AND entity_id = 'DEU'").get()).toEqual({
      username: 'fin',
      role: 'finance',
      action: 'POST /api/v1/states',
    });
  });

  it('keeps the Bearer behaviour: a bad token is refused even with a valid session cookie', async () => {
    const s = await session('pres');
    const res = await env.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie, authorization: 'Bearer isu_not-a-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('the bearer token is not valid');
  });
});

describe('roles on the pages', () => {
  it('refuses /dashboard to a State user (403, with a link to its account) and to the admin', async () => {
    const fra = await session('fra');
    const res = await env.app.inject({ url: '/dashboard', headers: { cookie: fra.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('href="/account"');
    expect((await env.app.inject({ url: '/dashboard/status-of-contributions.csv?year=2018', headers: { cookie: fra.cookie } })).statusCode).toBe(403);
    const adm = await session('adm');
    expect((await env.app.inject({ url: '/dashboard', headers: { cookie: adm.cookie } })).statusCode).toBe(403);
  });

  it('gives a State user its own account only: another State answers 404, like one that does not exist', async () => {
    const fra = await session('fra');
    const own = await env.app.inject({ url: '/account', headers: { cookie: fra.cookie } });
    expect(own.statusCode).toBe(200);
    // A State user's pages are in its State's language until the user chooses another (SPEC 9.9).
    expect(own.body).toContain('<html lang="fr">');
    expect(own.body).toContain('Compte : France');
    expect(own.body).not.toMatch(/Mexico|México|Mexique/);
    const other = await env.app.inject({ url: '/account?state=MEX', headers: { cookie: fra.cookie } });
    const none = await env.app.inject({ url: '/account?state=ZZZ', headers: { cookie: fra.cookie } });
    expect(other.statusCode).toBe(404);
    expect(none.statusCode).toBe(404);
    expect(other.body.replace(/_csrf" value="[^"]+"/, '')).toBe(none.body.replace(/_csrf" value="[^"]+"/, ''));
    expect((await env.app.inject({ url: '/api/v1/states/MEX/statement.pdf?from=2018-01-01', headers: { cookie: fra.cookie } })).statusCode).toBe(404);
  });

  it('lists in a State’s payments its contributions recorded on the reserve, not another State’s', async () => {
    const actor = cliActor('test');
    addReserveContribution(env.ctx, actor, { date: '2017-11-02', amount: '2500.00', iso3: 'FRA', description: 'Contribution of France to the reserve' });
    addReserveContribution(env.ctx, actor, { date: '2017-11-03', amount: '700.00', iso3: 'MEX', description: 'Contribution of Mexico to the reserve' });
    const fra = await session('fra');
    const own = await env.app.inject({ url: '/account', headers: { cookie: fra.cookie } });
    expect(own.body).toMatch(/<tr data-reserve-contribution="\d+"><td>[^<]+<\/td><td class="num">2[\s\u00a0\u202f]500,00<\/td><td translate="no">Contribution of France to the reserve<\/td><td>à la réserve \(enregistré sur la réserve\)<\/td>/);
    expect(own.body).not.toContain('Contribution of Mexico');
    expect(own.body.match(/data-reserve-contribution=/g)).toHaveLength(1);
  });

  it('renders the dashboard of a year with nothing invoiced yet, and validates the query', async () => {
    const pres = await session('pres');
    const res = await env.app.inject({ url: '/dashboard?year=2018&asOf=2018-01-15', headers: { cookie: pres.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-figure="coverage">0.0\u00a0%');
    expect(res.body).toContain('data-figure="budget">CHF\u00a0590,000.00');
    expect(res.body.match(/<svg /g)?.length).toBeGreaterThanOrEqual(7);
    // The budget execution (SPEC 9.5): a chart with its text alternative and the table.
    expect(res.body).toContain('data-chart="chart-execution"');
    expect(res.body).toContain('data-figure="execution-spent">CHF\u00a00.00');
    expect(res.body).toContain('<caption>Budget execution by line, 2018 (CHF)</caption>');
    expect(res.body).not.toMatch(/<script|\son[a-z]+=/i);
    expect((await env.app.inject({ url: '/dashboard?year=1999', headers: { cookie: pres.cookie } })).statusCode).toBe(404);
    const bad = await env.app.inject({ url: '/dashboard?asOf=2018-02-30', headers: { cookie: pres.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    const csv = await env.app.inject({ url: '/dashboard/status-of-contributions.csv?year=2018', headers: { cookie: pres.cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  });
});

describe('a disabled user', () => {
  it('loses its sessions at once', async () => {
    const s = await session('adm');
    expect((await env.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    env.ctx.sqlite.prepare("UPDATE users SET disabled_at = '2026-01-01T00:00:00Z' WHERE username = 'adm'").run();
    try {
      expect((await env.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
      expect((await env.app.inject({ url: '/dashboard', headers: { cookie: s.cookie } })).statusCode).toBe(303);
      const again = await postLogin('adm', PASSWORDS.adm!, { ip: '10.9.9.9' });
      expect(again.statusCode).toBe(401);
    } finally {
      env.ctx.sqlite.prepare("UPDATE users SET disabled_at = NULL WHERE username = 'adm'").run();
    }
  });
});

describe('the session store', () => {
  it('ends a session after 8 hours without a request, and keeps an active one', () => {
    let now = 1_000_000;
    const store = new SessionStore(() => now);
    const a = store.create(1);
    const b = store.create(2);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    now += IDLE_MS - 1000;
    expect(store.get(a.id)?.userId).toBe(1); // a request: the idle clock restarts
    now += 2000;
    expect(store.get(b.id)).toBeNull(); // idle for more than 8 hours
    expect(store.get(a.id)?.userId).toBe(1);
    store.destroy(a.id);
    expect(store.get(a.id)).toBeNull();
    expect(store.size).toBe(0);
  });
});
