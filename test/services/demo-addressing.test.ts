/**
 * The demo's Missions are addressed as they title themselves, and their
 * numbers follow their own convention (SPEC 9.10): what the stored invoice
 * documents of 2018 carry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, demoBudgetLines, loadDemoRegister } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { listStates, parseStatesCsv, statesCsv } from '../../src/services/states.js';
import { stateImport } from '../../src/schemas/states.js';
import type { InvoiceDocument, PartyBlock } from '../../src/pdf/types.js';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  const actor = cliActor('test');
  loadDemoRegister(env.ctx, actor);
  createBudget(env.ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, lines: demoBudgetLines(DEMO_BUDGET_2018.amount) }));
  setIssuer(env.ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  await issueInvoiceBatch(env.ctx, actor, 2018);
}, 120_000);
afterAll(() => env.close());

function party(iso3: string): PartyBlock {
  const row = env.ctx.sqlite.prepare("SELECT document FROM invoices WHERE state_iso3 = ? AND number LIKE 'ISU-2018-%'").get(iso3) as { document: string };
  return (JSON.parse(row.document) as InvoiceDocument).state;
}

describe('the demo’s invoices address the Missions', () => {
  it('France, Mexico and the United Kingdom by their formal names, in the invoice’s language', () => {
    expect(party('FRA').addressee).toEqual([
      'Mission permanente de la France',
      'auprès de l’Office des Nations Unies et des autres organisations internationales à Genève',
    ]);
    expect(party('MEX').addressee).toEqual(['Misión Permanente de México', 'ante la Oficina de las Naciones Unidas y otros organismos internacionales en Ginebra']);
    expect(party('GBR').addressee).toEqual([
      'Permanent Mission of the United Kingdom of Great Britain and Northern Ireland',
      'to the United Nations Office and other international organizations in Geneva',
    ]);
    expect(party('NLD').addressee?.[0]).toBe('Permanent Mission of the Netherlands');
    expect(party('PER').addressee?.[0]).toBe('Misión Permanente del Perú');
    expect(party('AFG').addressee?.[0]).toBe('Permanent Mission of Afghanistan');
  });

  it('with the postal lines below, the country in the invoice’s language, and the QR-bill debtor within 70 characters', () => {
    const fra = party('FRA');
    expect(fra.addressLines).toHaveLength(3);
    expect(fra.addressLines[0]).toMatch(/^Case postale \d+$/);
    expect(fra.addressLines.slice(1)).toEqual(['1211 Genève', 'Suisse']);
    expect(party('MEX').addressLines[2]).toBe('Suiza');
    expect(party('GBR').addressLines[2]).toBe('Switzerland');
    expect(fra.debtor).toEqual({ name: 'Mission permanente de la France', address: fra.addressLines[0], zip: '1211', city: 'Genève', country: 'CH' });
    const rows = env.ctx.sqlite.prepare("SELECT document FROM invoices WHERE number LIKE 'ISU-2018-%'").all() as { document: string }[];
    expect(rows).toHaveLength(103);
    for (const r of rows) {
      const state = (JSON.parse(r.document) as InvoiceDocument).state;
      expect(state.addressee, state.iso3).toHaveLength(2);
      expect(state.debtor!.name.length, state.iso3).toBeLessThanOrEqual(70);
    }
  });

  it('with each State’s number convention: Mexico 13,803.34, Spain 13.803,34', () => {
    expect(party('MEX').numberConvention).toBe('comma-dot');
    expect(party('ESP').numberConvention).toBe('dot-comma');
    expect(party('FRA').numberConvention).toBe('space-comma');
    expect(party('GBR').numberConvention).toBe('comma-dot');
    expect(party('CHE').numberConvention).toBe('apostrophe-dot');
    expect(party('GTM').numberConvention).toBe('comma-dot');
    // No locale in the seed: the invoice language's convention.
    expect(party('BEN').numberConvention).toBe('space-comma');
  });
});

describe('the register as CSV', () => {
  it('reads back through the import what it wrote, for the 103 States of the demo', () => {
    const list = listStates(env.ctx);
    const csv = statesCsv(list);
    expect(csv.split('\r\n')[0]).toBe(
      'iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language,entry_into_force,formal_en,article_en,formal_fr,article_fr,formal_es,article_es,number_locale,mission_street,mission_building,mission_postcode,mission_city,mission_country',
    );
    const parsed = parseStatesCsv(csv);
    expect(parsed.errors).toEqual([]);
    const back = stateImport.parse({ states: parsed.states }).states;
    expect(back).toHaveLength(103);
    back.forEach((s, i) => {
      const o = list[i]!;
      expect(s.iso3).toBe(o.iso3);
      expect({ name: s.name, fr: s.names?.fr ?? null, es: s.names?.es ?? null }).toEqual({ name: o.names.en, fr: o.names.fr, es: o.names.es });
      expect([s.unMember, s.language, s.instrument, s.depositDate]).toEqual([o.unMember, o.language, o.instrument, o.depositDate]);
      expect(s.formalNames ?? null, o.iso3).toEqual(o.formalNames);
      expect(s.numberLocale ?? null).toBe(o.numberLocale);
      expect(s.missionAddress ?? null).toEqual(o.missionAddress);
    });
  });
});
