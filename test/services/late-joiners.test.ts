/**
 * Late joiners (SPEC 9.3, issue 13): a State in force before the budget's
 * membership date but registered after the batch ran is never skipped: the
 * re-run issues it a `late` invoice of what it would have had in the
 * assessment (the same amount as in a register that held it from the start),
 * the other invoices are unchanged, the batch answer accounts for every
 * assessed State, and the status report shows the late assessment apart.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { invoicePdf, issueInvoiceBatch, listInvoices, type BatchResult } from '../../src/services/invoices.js';
import { statusOfContributions } from '../../src/services/reports.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

const actor = cliActor('test');
const NOR = { ...STATE_FRA, iso3: 'NOR', name: 'Norway', names: { fr: 'Norvège', es: 'Noruega' }, language: 'en' as const, depositDate: '2008-12-03' };
// In force on 2018-06-01: after the membership date (2018-01-01), so not assessed for 2018.
const LATER = { ...STATE_FRA, iso3: 'PLW', name: 'Palau', names: { fr: 'Palaos', es: 'Palau' }, language: 'en' as const, depositDate: '2017-12-01' };
const SCALE = { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'NOR', rate: '0.849' }, { iso3: 'PLW', rate: '0.001' }] };

async function env(withNorwayFromTheStart: boolean): Promise<TestEnv> {
  return makeEnv(
    (ctx) => {
      importStates(ctx, actor, withNorwayFromTheStart ? [STATE_FRA, STATE_MEX, NOR] : [STATE_FRA, STATE_MEX]);
      createScale(ctx, actor, SCALE);
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
    },
    { users: false },
  );
}

let late: TestEnv;
let fromStart: TestEnv;
let first: BatchResult;
let rerun: BatchResult;

beforeAll(async () => {
  [late, fromStart] = [await env(false), await env(true)];
  first = await issueInvoiceBatch(late.ctx, actor, 2018, { issueDate: '2017-09-15' });
  await issueInvoiceBatch(fromStart.ctx, actor, 2018, { issueDate: '2017-09-15' });
  importStates(late.ctx, actor, [NOR, LATER]);
  rerun = await issueInvoiceBatch(late.ctx, actor, 2018, { issueDate: '2017-10-02' });
});
afterAll(async () => {
  await late.close();
  await fromStart.close();
});

describe('a State registered after the batch', () => {
  it('gets a late invoice on the re-run; the answer accounts for every assessed State', () => {
    expect(first.states.map((s) => [s.iso3, s.outcome, s.kind])).toEqual([
      ['FRA', 'issued', 'assessment'],
      ['MEX', 'issued', 'assessment'],
    ]);
    expect(rerun.states.map((s) => [s.iso3, s.outcome, s.kind])).toEqual([
      ['FRA', 'already-issued', 'assessment'],
      ['MEX', 'already-issued', 'assessment'],
      ['NOR', 'issued', 'late'],
    ]);
    expect(rerun.states.find((s) => s.iso3 === 'FRA')!.invoice).toBe(first.issued[0]!.number);
    expect(rerun.issued).toEqual([expect.objectContaining({ iso3: 'NOR', kind: 'late' })]);
  });

  it('is invoiced what it would have had in the assessment; the others are unchanged', () => {
    const byIso = (e: TestEnv) => Object.fromEntries(listInvoices(e.ctx, { year: 2018 }, null).map((i) => [i.iso3, i]));
    const [l, s] = [byIso(late), byIso(fromStart)];
    expect(l.NOR).toMatchObject({ kind: 'late', total: s.NOR!.total, lines: s.NOR!.lines });
    // France and Mexico keep the invoices of the first batch (computed without Norway).
    expect(l.FRA!.total).toBe(first.issued.find((i) => i.iso3 === 'FRA')!.total);
    expect(l.FRA!.total).not.toBe(s.FRA!.total);
    expect(verifyLedger(late.ctx).ok).toBe(true);
  });

  it('is shown apart in the status of contributions, beyond the budget', () => {
    const r = statusOfContributions(late.ctx, 2018, '2018-12-31');
    const nor = listInvoices(late.ctx, { year: 2018, state: 'NOR' }, null)[0]!;
    expect(r.lateAssessments).toEqual([{ iso3: 'NOR', name: 'Norway', invoice: nor.number, amount: nor.total }]);
    const cents = (a: string) => BigInt(a.replace('.', ''));
    expect(cents(r.totals.assessed)).toBe(cents(r.budget) + cents(nor.total));
    expect(r.rows.map((x) => x.iso3)).not.toContain('PLW');
  });

  it('says why on its PDF; a third run issues nothing more', async () => {
    const nor = listInvoices(late.ctx, { year: 2018, state: 'NOR' }, null)[0]!;
    const text = (await pdfText(fs.readFileSync((await invoicePdf(late.ctx, nor.number, null)).file))).replace(/\s+/g, ' ');
    expect(text).toContain('Late assessment: the Convention entered into force for this State on 1 August 2010, on or before the budget\u2019s membership date (1 January 2018)');
    const third = await issueInvoiceBatch(late.ctx, actor, 2018, { issueDate: '2017-10-03' });
    expect(third.issued).toEqual([]);
    expect(third.states.map((s) => s.outcome)).toEqual(['already-issued', 'already-issued', 'already-issued']);
  });
});
