import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, makeEnv, rowCounts, SCALE_SMALL, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(() => env.close());

describe('scales', () => {
  it('imports a scale from JSON with exact decimal rates', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/scales', headers: auth(env.tokens.finance), payload: { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'DEU', rate: '6.389000' }] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'TEST-1', ratesCount: 4, sumOfRates: '12.686' });
    expect(res.json().rates).toContainEqual({ iso3: 'DEU', rate: '6.389' });
  });

  it('imports a scale from CSV with its code, title and source in the query', async () => {
    const csv = 'iso3,rate\nFRA,4.859\nMEX,1.435\nVAT,0.001\n';
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/scales?code=UN-2016-2018&title=UN%20scale&source=A%2FRES%2F70%2F245', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'UN-2016-2018', source: 'A/RES/70/245', ratesCount: 3, sumOfRates: '6.295' });
    const read = await env.app.inject({ url: '/api/v1/scales/UN-2016-2018', headers: auth(env.tokens.presidency) });
    expect(read.json().rates).toEqual([
      { iso3: 'FRA', rate: '4.859' },
      { iso3: 'MEX', rate: '1.435' },
      { iso3: 'VAT', rate: '0.001' },
    ]);
  });

  it('is immutable: the same code again is 409, and the database refuses edits', async () => {
    const before = rowCounts(env.ctx);
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/scales', headers: auth(env.tokens.finance), payload: { ...SCALE_SMALL, rates: [{ iso3: 'FRA', rate: '5' }] } });
    expect(res.statusCode).toBe(409);
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(() => env.ctx.sqlite.prepare("UPDATE scale_rates SET rate = '9' WHERE iso3 = 'FRA'").run()).toThrow(/immutable/);
    expect(() => env.ctx.sqlite.prepare("DELETE FROM scale_rates").run()).toThrow(/immutable/);
  });

  it('refuses float-like, negative, over-precise and duplicate rates with 422 naming the line, writing nothing', async () => {
    const before = rowCounts(env.ctx);
    const cases: [unknown, string][] = [
      [{ ...SCALE_SMALL, code: 'B1', rates: [{ iso3: 'FRA', rate: 4.859 }] }, 'rates.0.rate'],
      [{ ...SCALE_SMALL, code: 'B2', rates: [{ iso3: 'FRA', rate: '-1' }] }, 'rates.0.rate'],
      [{ ...SCALE_SMALL, code: 'B3', rates: [{ iso3: 'FRA', rate: '0.0000001' }] }, 'rates.0.rate'],
      [{ ...SCALE_SMALL, code: 'B4', rates: [{ iso3: 'FRA', rate: '1e-3' }] }, 'rates.0.rate'],
      [{ ...SCALE_SMALL, code: 'B5', rates: [{ iso3: 'FRA', rate: '1' }, { iso3: 'FRA', rate: '2' }] }, 'rates.1.iso3'],
      [{ ...SCALE_SMALL, code: 'B6', rates: [] }, 'rates'],
      [{ ...SCALE_SMALL, code: 'bad code!' }, 'code'],
    ];
    for (const [payload, field] of cases) {
      const res = await env.app.inject({ method: 'POST', url: '/api/v1/scales', headers: auth(env.tokens.finance), payload: payload as object });
      expect(res.statusCode, field).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const csv = await env.app.inject({ method: 'POST', url: '/api/v1/scales?code=C1&title=t&source=s', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: 'iso3,rate\nFRA,4.859\nMEX,1,435\n' });
    expect(csv.statusCode).toBe(422);
    expect(csv.json().errors[0].field).toBe('line 3');
    const noQuery = await env.app.inject({ method: 'POST', url: '/api/v1/scales', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: 'iso3,rate\nFRA,4.859\n' });
    expect(noQuery.statusCode).toBe(422);
    expect(noQuery.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['code', 'title', 'source']));
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('answers 404 for an unknown scale', async () => {
    expect((await env.app.inject({ url: '/api/v1/scales/NOPE', headers: auth(env.tokens.finance) })).statusCode).toBe(404);
  });
});
