/**
 * Issue 16, the web login (SPEC 9.8): the same work for known and unknown
 * usernames (finding 5); throttling per username and client that cannot lock
 * an office out, TRUST_PROXY for the client address and Secure cookies behind
 * a TLS proxy (finding 6); small body limits on /login and /logout (finding 7).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { LoginThrottle, parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { addUser } from '../../src/services/users.js';
import { makeEnv, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = {
  known: 'known-password-1',
  victim: 'victim-password-1',
  office1: 'office1-password-1',
  office2: 'office2-password-1',
  proxied: 'proxied-password-1',
  shared: 'shared-password-1',
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
let env: TestEnv;

beforeAll(async () => {
  env = await makeEnv(
    (ctx) => {
      for (const [username, password] of Object.entries(PASSWORDS)) addUser(ctx, cliActor('test'), { username, role: 'presidency', password });
    },
    { users: false },
  );
});
afterAll(() => env.close());

function setCookies(res: LightMyRequestResponse): string[] {
  const h = res.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

async function loginForm(app: FastifyInstance): Promise<{ csrf: string; cookie: string }> {
  const res = await app.inject({ url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
  const c = setCookies(res).find((s) => s.startsWith('isu_login_csrf='))!;
  return { csrf, cookie: `isu_login_csrf=${parseCookies(c.split(';')[0]).get('isu_login_csrf')}` };
}

interface LoginOpts {
  ip?: string;
  headers?: Record<string, string>;
  app?: FastifyInstance;
}

/** Posts the login form; `ms` is the time of the POST alone. */
async function postLogin(username: string, password: string, opts: LoginOpts = {}): Promise<LightMyRequestResponse & { ms: number }> {
  const app = opts.app ?? env.app;
  const f = await loginForm(app);
  const payload = new URLSearchParams({ username, password, _csrf: f.csrf }).toString();
  const t0 = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: { ...FORM, cookie: f.cookie, host: 'localhost', origin: 'http://localhost', ...(opts.headers ?? {}) },
    payload,
  });
  return Object.assign(res, { ms: performance.now() - t0 });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

describe('finding 5: login timing', () => {
  it('finding 5: login does the same work for known and unknown usernames: medians within 15 % over 20 interleaved tries', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    // Each try from its own address: the throttle must not add its delay to either side.
    const tryKnown = async (i: number) => {
      const r = await postLogin('known', `wrong-${i}`, { ip: `10.50.${i >> 8}.${i & 255}` });
      expect(r.statusCode).toBe(401);
      return r.ms;
    };
    const tryUnknown = async (i: number) => {
      const r = await postLogin(`nobody-${i}`, `wrong-${i}`, { ip: `10.51.${i >> 8}.${i & 255}` });
      expect(r.statusCode).toBe(401);
      return r.ms;
    };
    for (let i = 0; i < 3; i++) {
      await tryKnown(100 + i);
      await tryUnknown(100 + i);
    }
    for (let i = 0; i < 20; i++) {
      // Interleaved, alternating which goes first, so that load on the machine falls on both alike.
      if (i % 2 === 0) {
        known.push(await tryKnown(i));
        unknown.push(await tryUnknown(i));
      } else {
        unknown.push(await tryUnknown(i));
        known.push(await tryKnown(i));
      }
    }
    const [k, u] = [median(known), median(unknown)];
    console.log(`login timing: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms (medians of 20)`);
    expect(Math.abs(k - u) / Math.max(k, u)).toBeLessThanOrEqual(0.15);
  }, 120_000);
});

describe('finding 6: throttling per username and client', () => {
  it('finding 6: 30 failed logins from one address with other usernames do not stop another user’s correct login there; they only slow it', async () => {
    const ip = '10.60.0.1';
    for (let i = 0; i < 30; i++) expect((await postLogin(`spray-${i}`, 'guess', { ip })).statusCode).toBe(401);
    const ok = await postLogin('victim', PASSWORDS.victim!, { ip });
    expect(ok.statusCode).toBe(303);
    expect(setCookies(ok).some((c) => c.startsWith('isu_session='))).toBe(true);
    // Slowed: the address is past its limit.
    expect(ok.ms).toBeGreaterThanOrEqual(900);
    // A user of another address is not slowed at all.
    const elsewhere = await postLogin('victim', PASSWORDS.victim!, { ip: '10.60.0.2' });
    expect(elsewhere.statusCode).toBe(303);
    expect(elsewhere.ms).toBeLessThan(900);
  }, 120_000);

  it('finding 6: the per-address limit delays (growing, capped) and never refuses; the per-username-and-address limit refuses', () => {
    let now = 0;
    const t = new LoginThrottle(5, 30, 15 * 60 * 1000, () => now);
    for (let i = 0; i < 30; i++) t.fail(`user${i}`, 'spray');
    expect(t.retryAfter('someone-else', 'spray')).toBe(0);
    const first = t.delayMs('spray');
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 500; i++) t.fail(`more${i}`, 'spray');
    expect(t.delayMs('spray')).toBeGreaterThan(first);
    expect(t.delayMs('spray')).toBeLessThanOrEqual(10_000);
    expect(t.retryAfter('someone-else', 'spray')).toBe(0);
    expect(t.delayMs('elsewhere')).toBe(0);
    for (let i = 0; i < 5; i++) t.fail('target', 'spray');
    expect(t.retryAfter('target', 'spray')).toBe(900);
    expect(t.retryAfter('target', 'elsewhere')).toBe(0);
    now += 15 * 60 * 1000;
    expect(t.delayMs('spray')).toBe(0);
    expect(t.retryAfter('target', 'spray')).toBe(0);
  });

  it('finding 6: without TRUST_PROXY, X-Forwarded-For and X-Forwarded-Proto are ignored (the proxy is the client; no Secure cookie)', async () => {
    const proxy = '10.61.0.1';
    for (let i = 0; i < 5; i++)
      expect((await postLogin('shared', `wrong-${i}`, { ip: proxy, headers: { 'x-forwarded-for': '192.0.2.10', 'x-forwarded-proto': 'https' } })).statusCode).toBe(401);
    // Another "client" behind the same proxy is the same address to this server.
    const other = await postLogin('shared', PASSWORDS.shared!, { ip: proxy, headers: { 'x-forwarded-for': '192.0.2.11', 'x-forwarded-proto': 'https' } });
    expect(other.statusCode).toBe(429);
    const ok = await postLogin('office1', PASSWORDS.office1!, { ip: proxy, headers: { 'x-forwarded-for': '192.0.2.11', 'x-forwarded-proto': 'https' } });
    expect(ok.statusCode).toBe(303);
    const session = setCookies(ok).find((c) => c.startsWith('isu_session='))!;
    expect(session.split('; ')).not.toContain('Secure');
  });

  it('finding 6: with TRUST_PROXY, the client address is the X-Forwarded-For client and cookies are Secure when the proxy says https', async () => {
    const app = await buildApp(env.ctx, { trustProxy: true });
    try {
      const proxy = '10.62.0.1';
      for (let i = 0; i < 5; i++)
        expect((await postLogin('proxied', `wrong-${i}`, { app, ip: proxy, headers: { 'x-forwarded-for': '192.0.2.20', 'x-forwarded-proto': 'https' } })).statusCode).toBe(401);
      // The guessing client is refused…
      const blocked = await postLogin('proxied', PASSWORDS.proxied!, { app, ip: proxy, headers: { 'x-forwarded-for': '192.0.2.20', 'x-forwarded-proto': 'https' } });
      expect(blocked.statusCode).toBe(429);
      // …the user at another desk behind the same proxy is not.
      const ok = await postLogin('proxied', PASSWORDS.proxied!, {
        app,
        ip: proxy,
        headers: { 'x-forwarded-for': '192.0.2.21', 'x-forwarded-proto': 'https', origin: 'https://localhost' },
      });
      expect(ok.statusCode).toBe(303);
      for (const c of setCookies(ok)) expect(c.split('; '), c).toContain('Secure');
      // Plain http through the proxy: no Secure.
      const plain = await postLogin('office2', PASSWORDS.office2!, { app, ip: proxy, headers: { 'x-forwarded-for': '192.0.2.22', 'x-forwarded-proto': 'http' } });
      expect(plain.statusCode).toBe(303);
      expect(setCookies(plain).find((c) => c.startsWith('isu_session='))!.split('; ')).not.toContain('Secure');
    } finally {
      await app.close();
    }
  });

  it('finding 6: TRUST_PROXY is read from the environment: off by default; true, a hop count or addresses; anything else is refused', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});

describe('finding 7: body limits of /login and /logout', () => {
  it('finding 7: /login refuses a body over 16 KiB with 413, whatever its media type, and checks no password', async () => {
    const f = await loginForm(env.app);
    const headers = { cookie: f.cookie, host: 'localhost', origin: 'http://localhost' };
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ username: 'known', password: PASSWORDS.known, _csrf: f.csrf, pad: 'x'.repeat(100_000) })],
      ['application/x-www-form-urlencoded', new URLSearchParams({ username: 'known', password: PASSWORDS.known!, _csrf: f.csrf, pad: 'x'.repeat(20_000) }).toString()],
      ['text/plain', 'x'.repeat(3_900_000)],
    ] as const) {
      const res = await env.app.inject({ method: 'POST', url: '/login', remoteAddress: '10.70.0.1', headers: { ...headers, 'content-type': type }, payload });
      expect(res.statusCode, type).toBe(413);
      expect(setCookies(res).some((c) => c.startsWith('isu_session=')), type).toBe(false);
    }
    // A login of normal size still works.
    expect((await postLogin('known', PASSWORDS.known!, { ip: '10.70.0.1' })).statusCode).toBe(303);
  });

  it('finding 7: /logout refuses a body over 1 KiB with 413', async () => {
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ _csrf: 'x', pad: 'x'.repeat(100_000) })],
      ['application/x-www-form-urlencoded', `_csrf=x&pad=${'x'.repeat(2_000)}`],
    ] as const) {
      const res = await env.app.inject({ method: 'POST', url: '/logout', headers: { host: 'localhost', origin: 'http://localhost', 'content-type': type }, payload });
      expect(res.statusCode, type).toBe(413);
    }
  });
});

describe('finding 12: the user in the request log of the web pages', () => {
  it('finding 12: a page request made with the session cookie logs its user and role on its response line', async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough();
    let log = '';
    stream.on('data', (d: Buffer) => (log += d.toString()));
    const app = await buildApp(env.ctx, { logger: true, logStream: stream });
    try {
      const ok = await postLogin('office2', PASSWORDS.office2!, { app, ip: '10.90.0.1' });
      expect(ok.statusCode).toBe(303);
      const c = setCookies(ok).find((s) => s.startsWith('isu_session='))!;
      const cookie = `isu_session=${parseCookies(c.split(';')[0]).get('isu_session')}`;
      // No budget in this database: the dashboard answers its 404 page, a page request all the same.
      const page = await app.inject({ url: '/dashboard', headers: { cookie } });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const api = await app.inject({ url: '/api/v1/me', headers: { cookie } });
      expect(api.statusCode).toBe(200);
      const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { reqId?: string; msg?: string; user?: unknown });
      for (const res of [page, api]) {
        const done = lines.find((l) => l.reqId === res.headers['x-request-id'] && l.msg === 'request completed');
        expect(done?.user).toEqual({ username: 'office2', role: 'presidency' });
      }
    } finally {
      await app.close();
    }
  });
});
