import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { buildApp } from '../../src/http/app.js';
import { auth, makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(() => env.close());

describe('hardening', () => {
  it('sends security headers on API answers and problems', async () => {
    for (const url of ['/api/v1/health', '/api/v1/states', '/api/v1/nope']) {
      const res = await env.app.inject({ url, headers: auth(env.tokens.finance) });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('refuses bodies over the limit with 413 problem+json', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/states', headers: { ...auth(env.tokens.finance), 'content-type': 'application/json' }, payload: `{"name":"${'x'.repeat(5 * 1024 * 1024)}"}` });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('limits unauthenticated requests per address, but not authenticated finance work', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await env.app.inject({ url: '/api/v1/states', headers: auth('wrong-token') })).statusCode);
    expect(statuses.slice(0, 120).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    const limited = await env.app.inject({ url: '/api/v1/states' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^[0-9]+$/);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    // The same address with a valid token is served: 300 requests in a row, none throttled.
    const ok: number[] = [];
    for (let i = 0; i < 300; i++) ok.push((await env.app.inject({ url: '/api/v1/states', headers: auth(env.tokens.finance) })).statusCode);
    expect(new Set(ok)).toEqual(new Set([200]));
  });
});

/** An app that logs to a string: `log()` gives what was written so far. */
async function appWithCapturedLog() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const app = await buildApp(env.ctx, { logger: true, logStream: stream });
  return { app, log: () => text };
}

describe('request logs', () => {
  it('are structured JSON with the request id, and hold no token, cookie or password', async () => {
    const { app, log: logged } = await appWithCapturedLog();
    const res = await app.inject({ url: '/api/v1/states', headers: auth(env.tokens.finance) });
    await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=finance&password=s3cret-Passw0rd' });
    await app.inject({ url: '/api/v1/states', headers: auth('isu_not-valid-secret') });
    await app.close();
    const log = logged();
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { reqId?: string });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.some((l) => l.reqId === res.headers['x-request-id'])).toBe(true);
    expect(log).not.toContain(env.tokens.finance!);
    expect(log).not.toContain('isu_not-valid-secret');
    expect(log).not.toContain('s3cret-Passw0rd');
  });
});

describe('issue 16, finding 12: who did it', () => {
  it('finding 12: the response log line of an authenticated request names the user and role, also when refused; an anonymous one none', async () => {
    const { app, log: logged } = await appWithCapturedLog();
    const byToken = await app.inject({ url: '/api/v1/states', headers: auth(env.tokens.auditor) });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/states', headers: { ...auth(env.tokens.auditor), 'content-type': 'application/json' }, payload: '{}' });
    const anonymous = await app.inject({ url: '/api/v1/health' });
    await app.close();
    const log = logged();
    type Line = { reqId?: string; msg?: string; user?: { username: string; role: string } };
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as Line);
    const completed = (res: { headers: Record<string, unknown> }) => lines.find((l) => l.reqId === res.headers['x-request-id'] && l.msg === 'request completed');
    expect(completed(byToken)?.user).toEqual({ username: 'auditor', role: 'auditor' });
    expect(refused.statusCode).toBe(403);
    expect(completed(refused)?.user).toEqual({ username: 'auditor', role: 'auditor' });
    expect(completed(anonymous)).toBeDefined();
    expect(completed(anonymous)!.user).toBeUndefined();
  });

  it('finding 12: a CLI action records the operating-system user, and ISU_OPERATOR beside it when given', async () => {
    const os = await import('node:os');
    const { cliActor } = await import('../../src/services/actor.js');
    const osUser = os.userInfo().username;
    const saved = { op: process.env.ISU_OPERATOR, user: process.env.USER };
    try {
      delete process.env.ISU_OPERATOR;
      process.env.USER = 'someone-else';
      expect(cliActor('x').username).toBe(`cli:${osUser}`);
      process.env.ISU_OPERATOR = 'alice';
      expect(cliActor('x').username).toBe(`cli:alice (os: ${osUser})`);
      process.env.ISU_OPERATOR = osUser;
      expect(cliActor('x').username).toBe(`cli:${osUser}`);
      // A free variable: no control characters (a forged second line in a log), at most 64 characters.
      process.env.ISU_OPERATOR = ' bob\n[admin] \u0007x ';
      expect(cliActor('x').username).toBe(`cli:bob[admin] x (os: ${osUser})`);
      process.env.ISU_OPERATOR = 'y'.repeat(100);
      expect(cliActor('x').username).toBe(`cli:${'y'.repeat(64)} (os: ${osUser})`);
    } finally {
      if (saved.op === undefined) delete process.env.ISU_OPERATOR;
      else process.env.ISU_OPERATOR = saved.op;
      if (saved.user === undefined) delete process.env.USER;
      else process.env.USER = saved.user;
    }
  });
});
