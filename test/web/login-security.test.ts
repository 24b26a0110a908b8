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

