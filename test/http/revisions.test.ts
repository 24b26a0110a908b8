/**
 * POST /api/v1/budgets/{year}/revisions over HTTP (SPEC 9.3, issue 13): who
 * may revise, what a bad request gets (problem+json naming the field, nothing
 * written), 201 then 200 on replay, and what a State then sees of its own
 * supplementary invoice and credit notes — nothing of another State's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');
const post = (url: string, body: unknown, user = 'finance') => env.app.inject({ method: 'POST', url, headers: auth(env.tokens[user]), payload: body as object });
const get = (url: string, user = 'finance') => env.app.inject({ method: 'GET', url, headers: auth(env.tokens[user]) });
const UP = { amount: '600000.00', decisionRef: 'CCM/MSP/2018/R1', approvedOn: '2018-02-01', reason: 'Budget raised', issueDate: '2018-02-05' };

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
    createScale(ctx, actor, SCALE_SMALL);
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
    createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2019, approvedOn: '2018-09-05', cutoffDate: '2019-03-31' }));
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());

describe('POST /budgets/{year}/revisions', () => {
  it('is for finance staff only', async () => {
    const before = rowCounts(env.ctx);
    for (const user of ['presidency', 'auditor', 'fra']) expect((await post('/api/v1/budgets/2018/revisions', UP, user)).statusCode, user).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it.each([
    [{ ...UP, amount: undefined }, 'amount'],
    [{ ...UP, amount: '12.345' }, 'amount'],
    [{ ...UP, decisionRef: '' }, 'decisionRef'],
    [{ ...UP, approvedOn: '2018-02-30' }, 'approvedOn'],
    [{ ...UP, reason: undefined }, 'reason'],
    [{ ...UP, issueDate: '2018-01-31' }, 'issueDate'],
    [{ ...UP, cutoffDate: '2018-02-04' }, 'cutoffDate'],
    [{ ...UP, scaleCode: 'NOPE' }, 'scaleCode'],
    [{ ...UP, scheme: { categories: [{ code: '7(a)', label: 'All', share: '0.9', method: 'equal' }] } }, 'scheme.categories'],
    [{ ...UP, extra: 1 }, ''],
  ])('refuses %j naming %s, writing nothing', async (body, field) => {
    const before = rowCounts(env.ctx);
    const res = await post('/api/v1/budgets/2018/revisions', body);
    expect([400, 422]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (field) expect(JSON.stringify(res.json().errors ?? res.json()), res.body).toContain(field);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('refuses a budget not invoiced yet (409: correct it instead) and an unknown year (404)', async () => {
    const before = rowCounts(env.ctx);
    const res = await post('/api/v1/budgets/2019/revisions', UP);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/not invoiced yet/);
    expect((await post('/api/v1/budgets/2030/revisions', UP)).statusCode).toBe(404);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('revises (201), then answers the same decision again with 200 and writes nothing more', async () => {
    const res = await post('/api/v1/budgets/2018/revisions', UP);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ year: 2018, version: 2, amount: '600000.00', previousAmount: '590000.00', replayed: false, totals: { supplementary: '10000.00', credited: '0.00' } });
    expect(body.states.map((s: { iso3: string; outcome: string }) => [s.iso3, s.outcome])).toEqual([
      ['FRA', 'supplementary'],
      ['MEX', 'supplementary'],
    ]);
    const before = rowCounts(env.ctx);
    const again = await post('/api/v1/budgets/2018/revisions', UP);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...body, replayed: true });
    expect(rowCounts(env.ctx)).toEqual(before);
    const budget = (await get('/api/v1/budgets/2018', 'presidency')).json();
    expect(budget).toMatchObject({ amount: '600000.00', version: 2 });
    expect(budget.versions.map((v: { version: number; amount: string }) => [v.version, v.amount])).toEqual([
      [1, '590000.00'],
      [2, '600000.00'],
    ]);
    expect((await get('/api/v1/budgets/2018/assessment?version=1')).json().total).toBe('590000.00');
    expect((await get('/api/v1/budgets/2018/assessment')).json().total).toBe('600000.00');
    expect((await get('/api/v1/budgets/2018/assessment?version=3')).statusCode).toBe(404);
  });

  it('a revision down credits partly; a State sees its own documents and nothing of another State’s', async () => {
    const res = await post('/api/v1/budgets/2018/revisions', { ...UP, amount: '580000.00', decisionRef: 'CCM/MSP/2018/R2', approvedOn: '2018-05-02', issueDate: '2018-05-03' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().totals).toEqual({ supplementary: '0.00', credited: '20000.00' });
    const mine = (await get('/api/v1/credit-notes', 'fra')).json();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((c: { iso3: string; kind: string; budgetVersion: number }) => c.iso3 === 'FRA' && c.kind === 'partial' && c.budgetVersion === 3)).toBe(true);
    const mex = res.json().states.find((s: { iso3: string }) => s.iso3 === 'MEX').creditNotes[0];
    expect((await get(`/api/v1/credit-notes/${mex}`, 'fra')).statusCode).toBe(404);
    expect((await get(`/api/v1/credit-notes/${mex}/pdf`, 'fra')).statusCode).toBe(404);
    const sup = (await get('/api/v1/invoices?year=2018', 'fra')).json().find((i: { kind: string }) => i.kind === 'supplementary');
    expect(sup).toMatchObject({ iso3: 'FRA', budgetVersion: 2, status: 'issued', remaining: '0.00' });
    expect(sup.credited).toBe(sup.total);
  });
});
