import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { importStates } from '../../src/services/states.js';
import { auth, makeEnv, rowCounts, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const post = (url: string, payload: unknown, token = env.tokens.finance, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload: payload as string });

beforeAll(async () => {
  env = await makeEnv((ctx) => importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX]));
});
afterAll(() => env.close());

describe('States register', () => {
  it('computes entry into force by Article 17 and reports whether a State is assessed for a year', async () => {
    const res = await post('/api/v1/states', { iso3: 'BEN', name: 'Benin', names: { fr: 'Bénin' }, unMember: true, language: 'fr', instrument: 'ratification', depositDate: '2017-07-27' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ iso3: 'BEN', entryIntoForce: '2018-01-01', entryIntoForceSource: 'computed', names: { en: 'Benin', fr: 'Bénin', es: null } });
    const y2017 = await env.app.inject({ url: '/api/v1/states/BEN?year=2017', headers: auth(env.tokens.finance) });
    const y2018 = await env.app.inject({ url: '/api/v1/states/BEN?year=2018', headers: auth(env.tokens.finance) });
    expect(y2017.json().assessed).toBe(false);
    expect(y2018.json().assessed).toBe(true);
  });

  it('accepts an explicit entry into force that overrides the computation, and reverts to it on null', async () => {
    const res = await post('/api/v1/states', { iso3: 'MDG', name: 'Madagascar', unMember: true, language: 'fr', depositDate: '2017-05-20', entryIntoForce: '2017-12-01' });
    expect(res.json()).toMatchObject({ entryIntoForce: '2017-12-01', entryIntoForceSource: 'explicit' });
    const patched = await env.app.inject({ method: 'PATCH', url: '/api/v1/states/MDG', headers: auth(env.tokens.finance), payload: { entryIntoForce: null } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ entryIntoForce: '2017-11-01', entryIntoForceSource: 'computed' });
  });

  it('recomputes entry into force when the deposit date is corrected', async () => {
    await post('/api/v1/states', { iso3: 'PER', name: 'Peru', names: { es: 'Perú' }, unMember: true, language: 'es', depositDate: '2012-09-26' });
    const res = await env.app.inject({ method: 'PATCH', url: '/api/v1/states/PER', headers: auth(env.tokens.finance), payload: { depositDate: '2015-03-16' } });
    expect(res.json()).toMatchObject({ depositDate: '2015-03-16', entryIntoForce: '2015-09-01', names: { es: 'Perú' } });
  });

  it('refuses a duplicate with 409 and bad fields with 422 naming them, writing nothing', async () => {
    const before = rowCounts(env.ctx);
    const dup = await post('/api/v1/states', STATE_FRA);
    expect(dup.statusCode).toBe(409);
    const cases: [unknown, string][] = [
      [{ ...STATE_FRA, iso3: 'fr' }, 'iso3'],
      [{ ...STATE_FRA, iso3: 'DEU', depositDate: '2009-02-30' }, 'depositDate'],
      [{ ...STATE_FRA, iso3: 'DEU', language: 'de' }, 'language'],
      [{ ...STATE_FRA, iso3: 'DEU', unMember: 'yes' }, 'unMember'],
      [{ ...STATE_FRA, iso3: 'DEU', colour: 'blue' }, 'colour'],
      [{ ...STATE_FRA, iso3: 'DEU', signatureDate: '2010-01-01', depositDate: '2009-01-01' }, 'depositDate'],
      [{ ...STATE_FRA, iso3: 'DEU', withdrawalEffective: '2010-01-01' }, 'withdrawalEffective'],
      [{ ...STATE_FRA, iso3: 'DEU', billing: { addressLines: [], emails: ['not-an-email'] } }, 'billing.emails.0'],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/api/v1/states', payload);
      expect(res.statusCode, field).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field), field).toContain(field);
    }
    const badJson = await post('/api/v1/states', '{"iso3": ', env.tokens.finance, { 'content-type': 'application/json' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('has no delete: DELETE is not a route and the database refuses it', async () => {
    const res = await env.app.inject({ method: 'DELETE', url: '/api/v1/states/FRA', headers: auth(env.tokens.finance) });
    expect(res.statusCode).toBe(404);
    expect(() => env.ctx.sqlite.prepare("DELETE FROM states WHERE iso3 = 'FRA'").run()).toThrow(/never deleted/);
  });

  it('imports many States at once from JSON or CSV, all or nothing', async () => {
    const before = rowCounts(env.ctx);
    const bad = await post('/api/v1/states/import', {
      states: [
        { iso3: 'AUT', name: 'Austria', unMember: true, language: 'en', depositDate: '2009-04-02' },
        { iso3: 'BEL', name: 'Belgium', unMember: true, language: 'fr', depositDate: '2009-13-01' },
      ],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('states.1.depositDate');
    expect(rowCounts(env.ctx)).toEqual(before);

    const dupInBatch = await post('/api/v1/states/import', { states: [{ ...STATE_FRA, iso3: 'AUT' }, { ...STATE_FRA, iso3: 'AUT' }] });
    expect(dupInBatch.statusCode).toBe(409);
    expect(rowCounts(env.ctx)).toEqual(before);

    const csv = 'iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language\nAUT,Austria,Autriche,Austria,true,ratification,2009-04-02,en\nCIV,Côte d’Ivoire,Côte d’Ivoire,Côte d’Ivoire,true,ratification,2012-03-30,fr\n';
    const ok = await post('/api/v1/states/import', csv, env.tokens.finance, { 'content-type': 'text/csv' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().imported).toBe(2);
    expect(ok.json().states[1]).toMatchObject({ iso3: 'CIV', name: 'Côte d’Ivoire', entryIntoForce: '2012-09-01' });

    const badCsv = await post('/api/v1/states/import', 'iso3,name_en,un_member,language\nBEL,Belgium,maybe,fr\n', env.tokens.finance, { 'content-type': 'text/csv' });
    expect(badCsv.statusCode).toBe(422);
    expect(badCsv.json().errors[0].field).toBe('states.0.unMember');
  });
});
