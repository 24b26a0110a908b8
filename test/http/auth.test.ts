import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createScale } from '../../src/services/scales.js';
import { importStates } from '../../src/services/states.js';
import { auth, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
  });
});
afterAll(() => env.close());

describe('authentication', () => {
  it('answers 401 problem+json without a token, and with a wrong or malformed one', async () => {
    for (const headers of [{}, auth('isu_not-a-real-token'), { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer ' }]) {
      const res = await env.app.inject({ method: 'GET', url: '/api/v1/states', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('lets anyone read the health check and the OpenAPI document', async () => {
    expect((await env.app.inject({ url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
    const openapi = await env.app.inject({ url: '/api/v1/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    const doc = openapi.json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/budgets/{year}/assessment', '/api/v1/states/{iso3}', '/api/v1/scales']));
    const docs = await env.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('stores tokens and passwords only as hashes', () => {
    const tokens = env.ctx.sqlite.prepare('SELECT token_hash FROM api_tokens').all() as { token_hash: string }[];
    const users = env.ctx.sqlite.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
    for (const t of Object.values(env.tokens)) expect(tokens.map((r) => r.token_hash)).not.toContain(t);
    for (const u of users) expect(u.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    for (const t of tokens) expect(t.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('authorization', () => {
  it('lets a State user see its own State and answers 404 for any other, existing or not', async () => {
    const own = await env.app.inject({ url: '/api/v1/states/FRA', headers: auth(env.tokens.fra) });
    expect(own.statusCode).toBe(200);
    expect(own.json().iso3).toBe('FRA');
    const other = await env.app.inject({ url: '/api/v1/states/MEX', headers: auth(env.tokens.fra) });
    const missing = await env.app.inject({ url: '/api/v1/states/ZZZ', headers: auth(env.tokens.fra) });
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    // The two answers are indistinguishable but for the request id: nothing tells MEX exists.
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    expect(strip(other.json())).toEqual(strip(missing.json()));
  });

  it('keeps State users out of the register, scales, budgets and audit log', async () => {
    for (const url of ['/api/v1/states', '/api/v1/scales/TEST-1', '/api/v1/budgets', '/api/v1/audit']) {
      const res = await env.app.inject({ url, headers: auth(env.tokens.fra) });
      expect(res.statusCode, url).toBe(403);
    }
  });

  it('answers 403 to read-only roles writing, and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    for (const user of ['presidency', 'auditor', 'admin', 'fra']) {
      const create = await env.app.inject({ method: 'POST', url: '/api/v1/states', headers: auth(env.tokens[user]), payload: { ...STATE_FRA, iso3: 'DEU', name: 'Germany' } });
      expect(create.statusCode, user).toBe(403);
      const patch = await env.app.inject({ method: 'PATCH', url: '/api/v1/states/FRA', headers: auth(env.tokens[user]), payload: { name: 'X' } });
      expect(patch.statusCode, user).toBe(403);
      const scale = await env.app.inject({ method: 'POST', url: '/api/v1/scales', headers: auth(env.tokens[user]), payload: { ...SCALE_SMALL, code: 'X' } });
      expect(scale.statusCode, user).toBe(403);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('gives the audit log to auditors and admins only', async () => {
    expect((await env.app.inject({ url: '/api/v1/audit', headers: auth(env.tokens.auditor) })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/api/v1/audit', headers: auth(env.tokens.admin) })).statusCode).toBe(200);
    expect((await env.app.inject({ url: '/api/v1/audit', headers: auth(env.tokens.finance) })).statusCode).toBe(403);
    expect((await env.app.inject({ url: '/api/v1/audit', headers: auth(env.tokens.presidency) })).statusCode).toBe(403);
  });

  it('lets presidency and auditor read the register', async () => {
    for (const user of ['finance', 'presidency', 'auditor']) {
      const res = await env.app.inject({ url: '/api/v1/states?year=2018', headers: auth(env.tokens[user]) });
      expect(res.statusCode).toBe(200);
      expect(res.json().map((s: { iso3: string }) => s.iso3)).toEqual(['FRA', 'MEX']);
    }
  });

  it('audits every mutation with who, when, what, the request id and the entity', async () => {
    const res = await env.app.inject({ method: 'PATCH', url: '/api/v1/states/MEX', headers: auth(env.tokens.finance), payload: { billing: { addressLines: ['Misión Permanente de México', 'Ginebra'], emails: ['mision@example.org'] } } });
    expect(res.statusCode).toBe(200);
    const audit = await env.app.inject({ url: '/api/v1/audit?limit=1', headers: auth(env.tokens.auditor) });
    const [entry] = audit.json().entries;
    expect(entry).toMatchObject({ username: 'finance', role: 'finance', action: 'PATCH /api/v1/states/:iso3', entityType: 'state', entityId: 'MEX', requestId: res.headers['x-request-id'] });
    expect(entry.details.before.billing.addressLines).toEqual([]);
    expect(entry.details.after.billing.emails).toEqual(['mision@example.org']);
    expect(() => env.ctx.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => env.ctx.sqlite.prepare("UPDATE audit_log SET username = 'x'").run()).toThrow(/append-only/);
  });
});
