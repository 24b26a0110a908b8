import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createScale } from '../../src/services/scales.js';
import { importStates } from '../../src/services/states.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const postBudget = (payload: unknown, token = env.tokens.finance) =>
  env.app.inject({ method: 'POST', url: '/api/v1/budgets', headers: auth(token), payload: payload as object });

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createScale(ctx, cliActor('test'), { code: 'NO-BEN', title: 't', source: 's', rates: SCALE_SMALL.rates.filter((r) => r.iso3 !== 'BEN') });
  });
});
afterAll(() => env.close());

describe('budgets', () => {
  it('refuses each bad input with 422 problem+json naming the field, writing nothing', async () => {
    const before = rowCounts(env.ctx);
    const scheme = BUDGET_2018.scheme;
    const cases: [unknown, string][] = [
      [{ ...BUDGET_2018, scheme: { categories: [{ ...scheme.categories[0], share: '0.3' }, { ...scheme.categories[1], share: '0.6' }] } }, 'scheme.categories'],
      [{ ...BUDGET_2018, scheme: { categories: [{ ...scheme.categories[0], share: '0.3' }, { ...scheme.categories[1], share: '0.70000000001' }] } }, 'scheme.categories'],
      [{ ...BUDGET_2018, scheme: { categories: [scheme.categories[0], { ...scheme.categories[1], method: 'progressive' }] } }, 'scheme.categories.1.method'],
      [{ ...BUDGET_2018, cutoffDate: '2017-09-05' }, 'cutoffDate'],
      [{ ...BUDGET_2018, scaleCode: 'UN-1999' }, 'scaleCode'],
      [{ ...BUDGET_2018, amount: '590000.001' }, 'amount'],
      [{ ...BUDGET_2018, amount: 590000 }, 'amount'],
      [{ ...BUDGET_2018, amount: '-1.00' }, 'amount'],
      [{ ...BUDGET_2018, amount: '5,900.00' }, 'amount'],
      [{ ...BUDGET_2018, amount: '1e6' }, 'amount'],
      [{ ...BUDGET_2018, approvedOn: '2017-02-29' }, 'approvedOn'],
      [{ ...BUDGET_2018, scheme: { categories: [{ ...scheme.categories[0], maxShare: '0.5' }, scheme.categories[1]] } }, 'scheme.categories.0.maxShare'],
      [{ ...BUDGET_2018, scheme: { categories: [scheme.categories[0], { ...scheme.categories[0], share: '0.7' }] } }, 'scheme.categories.1.code'],
      [{ ...BUDGET_2018, scheme: { categories: [] } }, 'scheme.categories'],
      [{ ...BUDGET_2018, year: '2018' }, 'year'],
      [{ ...BUDGET_2018, scaleCode: 'NO-BEN' }, 'scaleCode'],
      [{ ...BUDGET_2018, scheme: { categories: [scheme.categories[0], { ...scheme.categories[1], maxShare: '0.2' }] } }, 'scheme.categories'],
    ];
    for (const [payload, field] of cases) {
      const res = await postBudget(payload);
      expect(res.statusCode, field).toBe(422);
      expect(res.headers['content-type'], field).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.status).toBe(422);
      expect(body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('names the State and the scale when a rate is missing', async () => {
    const res = await postBudget({ ...BUDGET_2018, scaleCode: 'NO-BEN' });
    expect(res.json().detail).toMatch(/NO-BEN/);
    expect(res.json().detail).toMatch(/BEN \(Benin\)/);
    expect(res.json()).toMatchObject({ assessmentError: 'missing-rate', iso3: 'BEN', scaleCode: 'NO-BEN' });
  });

  it('creates a budget with a default membership date of 1 January and reads it back', async () => {
    const res = await postBudget(BUDGET_2018);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ year: 2018, amount: '590000.00', currency: 'CHF', membershipDate: '2018-01-01', cutoffDate: '2018-03-31', scaleCode: 'TEST-1' });
    const read = await env.app.inject({ url: '/api/v1/budgets/2018', headers: auth(env.tokens.presidency) });
    expect(read.json()).toEqual(res.json());
    const again = await postBudget(BUDGET_2018);
    expect(again.statusCode).toBe(409);
  });

  it('answers 422 for the assessment of a year when no State is assessed, with the year as an integer', async () => {
    // 2010: the Convention entered into force on 1 August 2010, so no State is in force on 1 January (and nothing before 2010 is accepted).
    const res = await postBudget({ ...BUDGET_2018, year: 2010, approvedOn: '2010-01-04', cutoffDate: '2010-03-31' });
    expect(res.statusCode, res.body).toBe(201);
    const a = await env.app.inject({ url: '/api/v1/budgets/2010/assessment', headers: auth(env.tokens.finance) });
    expect(a.statusCode).toBe(422);
    expect(a.json()).toMatchObject({ status: 422, assessmentError: 'no-assessed-states', year: 2010, errors: [{ field: 'year' }] });
  });

  it('uses missingRate when the scheme sets it, and says for whom', async () => {
    const res = await postBudget({ ...BUDGET_2018, year: 2019, approvedOn: '2018-09-01', cutoffDate: '2019-03-31', scaleCode: 'NO-BEN', scheme: { ...BUDGET_2018.scheme, missingRate: '0.001' } });
    expect(res.statusCode).toBe(201);
    const a = (await env.app.inject({ url: '/api/v1/budgets/2019/assessment', headers: auth(env.tokens.finance) })).json();
    expect(a.missingRate).toBe('0.001');
    expect(a.missingRateUsedFor).toEqual(['BEN']);
    expect(a.rows.find((r: { iso3: string }) => r.iso3 === 'BEN')).toMatchObject({ rate: '0.001', rateSource: 'missingRate' });
  });

  it('assesses exactly: categories by half-even, equal by 1/N, scale rebased, largest remainder with ISO3 ties', async () => {
    const res = await env.app.inject({ url: '/api/v1/budgets/2018/assessment', headers: auth(env.tokens.auditor) });
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ year: 2018, amount: '590000.00', states: 3, total: '590000.00' });
    expect(a.categories.map((c: { code: string; total: string; basis: string }) => [c.code, c.total, c.basis])).toEqual([
      ['7(a)', '177000.00', '1/3'],
      ['7(b)', '413000.00', 'scale'],
    ]);
    // 7(a): 177000 / 3 = 59000 each. 7(b): 413000 × rate / 6.297.
    // In centimes: BEN 41300000 × 0.003 / 6.297 = 19676.036…, FRA 31868619.977…, MEX 9411703.986…
    // (computed with exact fractions). The floors leave 2 centimes: they go to the largest remainders, MEX (.986) and FRA (.977).
    expect(a.rows).toEqual([
      { iso3: 'BEN', name: 'Benin', rate: '0.003', rateSource: 'scale', rebasedRate: '0.047642', amounts: { '7(a)': '59000.00', '7(b)': '196.76' }, total: '59196.76' },
      { iso3: 'FRA', name: 'France', rate: '4.859', rateSource: 'scale', rebasedRate: '77.163729', amounts: { '7(a)': '59000.00', '7(b)': '318686.20' }, total: '377686.20' },
      { iso3: 'MEX', name: 'Mexico', rate: '1.435', rateSource: 'scale', rebasedRate: '22.788630', amounts: { '7(a)': '59000.00', '7(b)': '94117.04' }, total: '153117.04' },
    ]);
  });

  it('lets presidency and auditor read but not write budgets', async () => {
    for (const user of ['presidency', 'auditor']) {
      expect((await env.app.inject({ url: '/api/v1/budgets/2018/assessment', headers: auth(env.tokens[user]) })).statusCode).toBe(200);
      expect((await postBudget({ ...BUDGET_2018, year: 2030 }, env.tokens[user])).statusCode).toBe(403);
    }
    expect((await env.app.inject({ url: '/api/v1/budgets/2018/assessment', headers: auth(env.tokens.fra) })).statusCode).toBe(403);
    expect((await env.app.inject({ url: '/api/v1/budgets/2031/assessment', headers: auth(env.tokens.finance) })).statusCode).toBe(404);
    expect((await env.app.inject({ url: '/api/v1/budgets/20x1/assessment', headers: auth(env.tokens.finance) })).statusCode).toBe(400);
  });
});
