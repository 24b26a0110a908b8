/** The register's addressing of a Mission (SPEC 9.10): formal names with articles, number locale, structured postal address. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { partyBlock } from '../../src/services/party.js';
import { findState, importStates } from '../../src/services/states.js';
import { auth, makeEnv, rowCounts, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url, headers: { ...auth(env.tokens.finance), ...headers }, payload: payload as string });
const patch = (iso3: string, payload: unknown) => env.app.inject({ method: 'PATCH', url: `/api/v1/states/${iso3}`, headers: auth(env.tokens.finance), payload: payload as string });

const UK_FORMAL = {
  en: { article: 'the', name: 'United Kingdom of Great Britain and Northern Ireland' },
  fr: { article: 'le', name: 'Royaume-Uni de Grande-Bretagne et d’Irlande du Nord' },
  es: { article: 'el', name: 'Reino Unido de Gran Bretaña e Irlanda del Norte' },
};
const GENEVA = { street: 'Case postale 123', postalCode: '1211', city: 'Genève', countryCode: 'CH' };
const UK = {
  iso3: 'GBR',
  name: 'United Kingdom of Great Britain and Northern Ireland',
  names: { fr: UK_FORMAL.fr.name, es: UK_FORMAL.es.name },
  unMember: true,
  language: 'en',
  depositDate: '2010-05-04',
  formalNames: UK_FORMAL,
  numberLocale: 'en-GB',
  missionAddress: GENEVA,
};

beforeAll(async () => {
  env = await makeEnv((ctx) => importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX]));
});
afterAll(() => env.close());

describe('the Mission’s addressing in the register', () => {
  it('is absent (null) on a State registered without it', async () => {
    const res = await env.app.inject({ url: '/api/v1/states/FRA', headers: auth(env.tokens.finance) });
    expect(res.json()).toMatchObject({ formalNames: null, numberLocale: null, missionAddress: null });
  });

  it('is created, read back and given to documents', async () => {
    const res = await post('/api/v1/states', UK);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ formalNames: UK_FORMAL, numberLocale: 'en-GB', missionAddress: GENEVA });
    const got = await env.app.inject({ url: '/api/v1/states/GBR', headers: auth(env.tokens.finance) });
    expect(got.json()).toMatchObject({ formalNames: UK_FORMAL, numberLocale: 'en-GB', missionAddress: GENEVA });

    const row = findState(env.ctx.db, 'GBR')!;
    expect(partyBlock(row, 'fr')).toEqual({
      iso3: 'GBR',
      name: UK_FORMAL.fr.name,
      addressee: [
        'Mission permanente du Royaume-Uni de Grande-Bretagne et d’Irlande du Nord',
        'auprès de l’Office des Nations Unies et des autres organisations internationales à Genève',
      ],
      addressLines: ['Case postale 123', '1211 Genève', 'Suisse'],
      emails: [],
      numberConvention: 'comma-dot',
      debtor: { name: UK_FORMAL.fr.name, address: 'Case postale 123', zip: '1211', city: 'Genève', country: 'CH' },
    });
    expect(partyBlock(row, 'en').addressee).toEqual([
      'Permanent Mission of the United Kingdom of Great Britain and Northern Ireland',
      'to the United Nations Office and other international organizations in Geneva',
    ]);
    expect(partyBlock(row, 'es').addressLines).toEqual(['Case postale 123', '1211 Genève', 'Suiza']);
  });

  it('is patched and cleared with null, each change audited with before and after', async () => {
    const res = await patch('MEX', {
      formalNames: { es: { article: '', name: 'México' }, fr: { article: 'le', name: 'Mexique' } },
      numberLocale: 'es-MX',
      missionAddress: { street: 'Chemin Louis-Dunant', buildingNumber: '15', postalCode: '1202', city: 'Genève', countryCode: 'CH' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ numberLocale: 'es-MX', formalNames: { es: { article: '', name: 'México' } } });
    const audit = await env.app.inject({ url: '/api/v1/audit?limit=1', headers: auth(env.tokens.auditor) });
    const [entry] = audit.json().entries;
    expect(entry).toMatchObject({ entityType: 'state', entityId: 'MEX' });
    expect(entry.details.before).toMatchObject({ formalNames: null, numberLocale: null, missionAddress: null });
    expect(entry.details.after).toMatchObject({ numberLocale: 'es-MX', missionAddress: { buildingNumber: '15' } });

    const party = partyBlock(findState(env.ctx.db, 'MEX')!, 'es');
    expect(party.addressee?.[0]).toBe('Misión Permanente de México');
    expect(party.addressLines).toEqual(['Chemin Louis-Dunant 15', '1202 Genève', 'Suiza']);
    expect(party.numberConvention).toBe('comma-dot');
    expect(party.debtor).toEqual({ name: 'Misión Permanente de México', address: 'Chemin Louis-Dunant', buildingNumber: '15', zip: '1202', city: 'Genève', country: 'CH' });
    // No English formal name: no addressee in English, the postal lines alone (the billing lines are empty).
    expect(partyBlock(findState(env.ctx.db, 'MEX')!, 'en').addressee).toBeUndefined();

    const cleared = await patch('MEX', { numberLocale: null, missionAddress: null });
    expect(cleared.json()).toMatchObject({ numberLocale: null, missionAddress: null, formalNames: { fr: { article: 'le', name: 'Mexique' } } });
    const after = partyBlock(findState(env.ctx.db, 'MEX')!, 'es');
    expect(after.numberConvention).toBe('dot-comma');
    expect(after.debtor).toBeUndefined();
  });

  it('keeps the old billing lines for a State without formal names', async () => {
    await patch('FRA', { billing: { addressLines: ['Mission permanente de la France', 'Genève'], emails: ['fra@example.org'] } });
    expect(partyBlock(findState(env.ctx.db, 'FRA')!, 'fr')).toEqual({
      iso3: 'FRA',
      name: 'France',
      addressLines: ['Mission permanente de la France', 'Genève'],
      emails: ['fra@example.org'],
      numberConvention: 'space-comma',
    });
  });

  it('refuses bad values with 422 problem+json naming the field, writing nothing', async () => {
    const cases: [unknown, string][] = [
      [{ numberLocale: 'xx-YY' }, 'numberLocale'],
      [{ numberLocale: 'es_MX' }, 'numberLocale'],
      [{ formalNames: { fr: { article: 'el', name: 'France' } } }, 'formalNames.fr.article'],
      [{ formalNames: { en: { article: 'The', name: 'Netherlands' } } }, 'formalNames.en.article'],
      [{ formalNames: { es: { article: 'la', name: '  ' } } }, 'formalNames.es.name'],
      [{ formalNames: { de: { article: '', name: 'Frankreich' } } }, 'formalNames.de'],
      [{ formalNames: { fr: { name: 'France' } } }, 'formalNames.fr.article'],
      [{ missionAddress: { ...GENEVA, street: 'x'.repeat(71) } }, 'missionAddress.street'],
      [{ missionAddress: { ...GENEVA, buildingNumber: '1'.repeat(17) } }, 'missionAddress.buildingNumber'],
      [{ missionAddress: { ...GENEVA, postalCode: '1'.repeat(17) } }, 'missionAddress.postalCode'],
      [{ missionAddress: { ...GENEVA, city: 'G'.repeat(36) } }, 'missionAddress.city'],
      [{ missionAddress: { ...GENEVA, countryCode: 'CHE' } }, 'missionAddress.countryCode'],
      [{ missionAddress: { ...GENEVA, countryCode: 'ch' } }, 'missionAddress.countryCode'],
      [{ missionAddress: { street: 'Case postale 1', city: 'Genève', countryCode: 'CH' } }, 'missionAddress.postalCode'],
    ];
    const before = rowCounts(env.ctx);
    const fra = findState(env.ctx.db, 'FRA');
    for (const [payload, field] of cases) {
      for (const res of [await patch('FRA', payload), await post('/api/v1/states', { ...STATE_FRA, iso3: 'DEU', ...(payload as object) })]) {
        expect(res.statusCode, field).toBe(422);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json().errors.map((e: { field: string }) => e.field), field).toContain(field);
      }
    }
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(findState(env.ctx.db, 'FRA')).toEqual(fra);
  });

  it('imports the addressing columns of a register CSV, naming the line’s field when one is wrong', async () => {
    const header =
      'iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language,formal_en,article_en,formal_fr,article_fr,formal_es,article_es,number_locale,mission_street,mission_building,mission_postcode,mission_city,mission_country';
    const nld = 'NLD,Netherlands,Pays-Bas,Países Bajos,true,ratification,2011-02-23,en,Netherlands,the,Pays-Bas,les,Países Bajos,los,nl-NL,Case postale 7,,1211,Genève,';
    const bad = `${header}\n${nld}\nAUT,Austria,Autriche,Austria,true,ratification,2009-04-02,en,,,,,,,de-XX,,,,,\n`;
    const before = rowCounts(env.ctx);
    const refused = await post('/api/v1/states/import', bad, { 'content-type': 'text/csv' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toContain('states.1.numberLocale');
    expect(rowCounts(env.ctx)).toEqual(before);

    const ok = await post('/api/v1/states/import', `${header}\n${nld}\nAUT,Austria,Autriche,Austria,true,ratification,2009-04-02,en,,,,,,,,,,,,\n`, {
      'content-type': 'text/csv',
    });
    expect(ok.statusCode).toBe(201);
    const [netherlands, austria] = ok.json().states;
    expect(netherlands).toMatchObject({
      formalNames: { en: { article: 'the', name: 'Netherlands' }, fr: { article: 'les', name: 'Pays-Bas' }, es: { article: 'los', name: 'Países Bajos' } },
      numberLocale: 'nl-NL',
      missionAddress: { street: 'Case postale 7', postalCode: '1211', city: 'Genève', countryCode: 'CH' },
    });
    expect(netherlands.missionAddress).not.toHaveProperty('buildingNumber');
    expect(austria).toMatchObject({ formalNames: null, numberLocale: null, missionAddress: null });
    expect(partyBlock(findState(env.ctx.db, 'NLD')!, 'fr').addressee?.[0]).toBe('Mission permanente des Pays-Bas');

    const exported = await env.app.inject({ url: '/api/v1/states', headers: { ...auth(env.tokens.finance), accept: 'text/csv' } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    const lines = exported.body.split('\r\n');
    expect(lines[0]).toBe(header.replace('language,', 'language,entry_into_force,'));
    expect(lines.find((l) => l.startsWith('NLD,'))).toBe(
      'NLD,Netherlands,Pays-Bas,Países Bajos,true,ratification,2011-02-23,en,,Netherlands,the,Pays-Bas,les,Países Bajos,los,nl-NL,Case postale 7,,1211,Genève,CH',
    );
  });
});
