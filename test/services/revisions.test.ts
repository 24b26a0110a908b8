/**
 * Budget revisions (SPEC 9.3, issue 13) on the demo's register and UN scale:
 * a 610,000.00 budget invoiced and partly paid, raised to 625,000.00, then
 * cut to 600,000.00. Nothing issued is edited: each State's difference is a
 * supplementary invoice or partial credit notes, to the centime, and after
 * each revision what a State's live documents come to is exactly its
 * assessment in a database where the budget had the revised amount from the
 * start. Money paid beyond a line's new amount goes back to the State's
 * credit; posting the same decision again issues nothing more.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBalance } from '../../src/services/accounts.js';
import { cliActor } from '../../src/services/actor.js';
import { assessBudget, createBudget, getBudget } from '../../src/services/budgets.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, loadDemoRegister } from '../../src/services/demo.js';
import { creditNotePdf, invoicePdf, issueInvoiceBatch, listCreditNotes, listInvoices } from '../../src/services/invoices.js';
import { listPayments, recordPayment } from '../../src/services/payments.js';
import { reversePayment } from '../../src/services/corrections.js';
import { statusOfContributions } from '../../src/services/reports.js';
import { reviseBudget } from '../../src/services/revisions.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate, budgetRevisionCreate, type AssessmentOut, type RevisionOut } from '../../src/schemas/budgets.js';
import { makeEnv, rowCounts, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

const actor = cliActor('test');
const cents = (s: string) => BigInt(s.replace('.', ''));
const chf = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;

async function envWithBudget(amount: string): Promise<TestEnv> {
  return makeEnv(
    (ctx) => {
      loadDemoRegister(ctx, actor);
      createBudget(ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, amount }));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
    },
    { users: false },
  );
}

const UP = budgetRevisionCreate.parse({ amount: '625000.00', decisionRef: 'CCM/MSP/2018/R1', approvedOn: '2018-02-01', reason: 'Budget raised by the intersessional meeting', issueDate: '2018-02-05' });
const DOWN = budgetRevisionCreate.parse({ amount: '600000.00', decisionRef: 'CCM/MSP/2018/R2', approvedOn: '2018-06-01', reason: 'Budget reduced: savings on meetings', issueDate: '2018-06-04' });

let env: TestEnv;
let v1: AssessmentOut;
let at625: AssessmentOut;
let at600: AssessmentOut;
let up: RevisionOut;
let down: RevisionOut;
/** A State that paid its 2018 invoice in full before the revisions, and one that paid half. */
let fullPayer: string;
let halfPayer: string;
let liveAfterUp: Map<string, bigint>;

/** What each State's live documents of 2018 come to: invoices − credit notes. */
function liveByState(): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const i of listInvoices(env.ctx, { year: 2018 }, null)) m.set(i.iso3, (m.get(i.iso3) ?? 0n) + cents(i.total));
  for (const c of listCreditNotes(env.ctx, { year: 2018 }, null)) m.set(c.iso3, (m.get(c.iso3) ?? 0n) - cents(c.total));
  return m;
}

beforeAll(async () => {
  env = await envWithBudget('610000.00');
  const [e625, e600] = [await envWithBudget('625000.00'), await envWithBudget('600000.00')];
  at625 = assessBudget(e625.ctx, 2018);
  at600 = assessBudget(e600.ctx, 2018);
  await e625.close();
  await e600.close();

  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  v1 = assessBudget(env.ctx, 2018);
  const invs = listInvoices(env.ctx, { year: 2018 }, null);
  const fra = invs.find((i) => i.iso3 === 'FRA')!;
  const mex = invs.find((i) => i.iso3 === 'MEX')!;
  [fullPayer, halfPayer] = [fra.iso3, mex.iso3];
  recordPayment(env.ctx, actor, 'fra-2018', { iso3: 'FRA', amount: fra.total, receivedOn: '2017-10-02', reference: fra.creditorReference });
  recordPayment(env.ctx, actor, 'mex-2018', { iso3: 'MEX', amount: chf(cents(mex.total) / 2n), receivedOn: '2017-10-03' });

  up = await reviseBudget(env.ctx, actor, 2018, UP);
  liveAfterUp = liveByState();
  down = await reviseBudget(env.ctx, actor, 2018, DOWN);
}, 180_000);
afterAll(() => env.close());

describe('a revision raising the 610,000.00 budget to 625,000.00', () => {
  it('issues supplementary invoices of each State’s difference between the two assessments, summing to exactly 15,000.00', () => {
    expect(up).toMatchObject({ version: 2, previousVersion: 1, amount: '625000.00', previousAmount: '610000.00', replayed: false });
    expect(v1.total).toBe('610000.00');
    expect(at625.total).toBe('625000.00');
    const sup = listInvoices(env.ctx, { year: 2018 }, null).filter((i) => i.kind === 'supplementary');
    expect(sup).toHaveLength(v1.rows.length);
    const before = new Map(v1.rows.map((r) => [r.iso3, cents(r.total)]));
    for (const row of at625.rows) {
      const inv = sup.find((i) => i.iso3 === row.iso3)!;
      expect(cents(inv.total), row.iso3).toBe(cents(row.total) - before.get(row.iso3)!);
      // Line by line too: each category's rise.
      const was = v1.rows.find((r) => r.iso3 === row.iso3)!;
      for (const l of inv.lines) expect(cents(l.amount)).toBe(cents(row.amounts[l.category]!) - cents(was.amounts[l.category]!));
    }
    expect(chf(sup.reduce((s, i) => s + cents(i.total), 0n))).toBe('15000.00');
    expect(up.totals).toEqual({ supplementary: '15000.00', credited: '0.00' });
    expect(up.states.every((s) => s.outcome === 'supplementary' && s.supplementaryInvoice !== null)).toBe(true);
  });

  it('numbers them after the batch, points each at the State’s invoice and its budget version', () => {
    const all = listInvoices(env.ctx, { year: 2018 }, null);
    const sup = all.filter((i) => i.kind === 'supplementary');
    const seqs = all.map((i) => Number(i.number.slice(-4)));
    expect(seqs).toEqual(seqs.map((_, k) => k + 1));
    for (const s of sup) {
      const original = all.find((i) => i.number === s.originalInvoice)!;
      expect(original).toMatchObject({ kind: 'assessment', iso3: s.iso3 });
      expect(s.issueDate).toBe('2018-02-05');
      // The budget's cut-off (2018-03-31) leaves more than 30 days: it is kept.
      expect(s.cutoffDate).toBe('2018-03-31');
    }
    const row = env.ctx.sqlite.prepare("SELECT DISTINCT budget_version AS v FROM invoices WHERE kind = 'supplementary'").all();
    expect(row).toEqual([{ v: 2 }]);
  });

  it('applies a State’s credit on issue: money paid beyond the first invoice pays the supplementary one', () => {
    // France paid exactly its first invoice: the supplementary one is payable in full.
    const fra = listInvoices(env.ctx, { year: 2018, state: 'FRA' }, null).find((i) => i.kind === 'supplementary')!;
    expect(fra.creditAppliedOnIssue).toBe('0.00');
    expect(fra.netPayable).toBe(fra.total);
  });

  it('prints each supplementary invoice in its State’s language with the revision explained', async () => {
    const sup = listInvoices(env.ctx, { year: 2018 }, null).filter((i) => i.kind === 'supplementary');
    const one = async (lang: string, needle: RegExp) => {
      const inv = sup.find((i) => i.language === lang)!;
      const text = (await pdfText(fs.readFileSync((await invoicePdf(env.ctx, inv.number, null)).file))).replace(/\s+/g, ' ');
      expect(text).toMatch(needle);
      expect(text).toContain(inv.originalInvoice!);
      expect(text).toContain('CCM/MSP/2018/R1');
    };
    await one('en', /Supplementary invoice: the 2018 budget was revised by decision CCM\/MSP\/2018\/R1 of 1 February 2018 \(version 2\)/);
    await one('fr', /Facture complémentaire : le budget 2018 a été révisé par la décision CCM\/MSP\/2018\/R1 du 1(er)? février 2018 \(version 2\)/);
    await one('es', /Factura complementaria: el presupuesto de 2018 fue revisado por la decisión CCM\/MSP\/2018\/R1 del 1 de febrero de 2018 \(versión 2\)/);
  });
});

describe('a revision cutting the budget to 600,000.00', () => {
  it('issues partial credit notes summing exactly to the reduction, each State’s difference', () => {
    expect(down).toMatchObject({ version: 3, previousVersion: 2, amount: '600000.00', previousAmount: '625000.00' });
    expect(down.totals).toEqual({ supplementary: '0.00', credited: '25000.00' });
    const partial = listCreditNotes(env.ctx, { year: 2018 }, null);
    expect(chf(partial.reduce((s, c) => s + cents(c.total), 0n))).toBe('25000.00');
    const byState = new Map<string, bigint>();
    for (const c of partial) byState.set(c.iso3, (byState.get(c.iso3) ?? 0n) + cents(c.total));
    for (const row of at600.rows) expect(byState.get(row.iso3), row.iso3).toBe(liveAfterUp.get(row.iso3)! - cents(row.total));
  });

  it('credits the latest invoice first: the supplementary one, then the first', () => {
    const cns = listCreditNotes(env.ctx, { year: 2018 }, null);
    const invs = listInvoices(env.ctx, { year: 2018 }, null);
    for (const s of down.states) {
      const sup = invs.find((i) => i.iso3 === s.iso3 && i.kind === 'supplementary')!;
      const mine = cns.filter((c) => c.iso3 === s.iso3);
      // 625k → 600k takes back more than the 610k → 625k rise: the supplementary invoice is credited whole, then the first.
      expect(mine.map((c) => c.invoiceNumber)).toEqual([sup.number, sup.originalInvoice]);
      expect(cents(mine.find((c) => c.invoiceNumber === sup.number)!.total)).toBe(cents(sup.total));
      // Partly credited, never cancelled.
      expect(sup.status).toBe('issued');
    }
  });

  it('leaves every State owing exactly its assessment in a database where the budget was 600,000.00 from the start', () => {
    const live = liveByState();
    for (const row of at600.rows) expect(chf(live.get(row.iso3)!), row.iso3).toBe(row.total);
    expect(chf([...live.values()].reduce((a, b) => a + b, 0n))).toBe('600000.00');
  });

  it('gives back to the State’s credit what it had paid beyond its new contribution', () => {
    const fra = computeBalance(env.ctx, fullPayer, '2018-06-30');
    const revised = cents(at600.rows.find((r) => r.iso3 === fullPayer)!.total);
    const paid = cents(v1.rows.find((r) => r.iso3 === fullPayer)!.total);
    // France paid its 610k share; it owes its 600k share: the excess is credit, nothing is outstanding.
    expect(cents(fra.unappliedCredit)).toBe(paid - revised);
    expect(cents(fra.outstanding)).toBe(0n);
    const mex = computeBalance(env.ctx, halfPayer, '2018-06-30');
    expect(cents(mex.unappliedCredit)).toBe(0n);
    expect(cents(mex.outstanding)).toBe(cents(at600.rows.find((r) => r.iso3 === halfPayer)!.total) - cents(v1.rows.find((r) => r.iso3 === halfPayer)!.total) / 2n);
  });

  it('prints the partial credit notes with the revision explained, in the State’s language', async () => {
    const cn = listCreditNotes(env.ctx, { year: 2018, state: 'FRA' }, null)[0]!;
    const text = (await pdfText(fs.readFileSync((await creditNotePdf(env.ctx, cn.number, null)).file))).replace(/\s+/g, ' ');
    expect(text).toContain('Révision du budget : le budget 2018 a été révisé par la décision CCM/MSP/2018/R2');
    expect(text).toContain('Budget reduced: savings on meetings');
  });
});

describe('the revised budget', () => {
  it('shows its versions; the figures in force are the latest; each version’s assessment can be read', () => {
    const b = getBudget(env.ctx, 2018);
    expect(b).toMatchObject({ amount: '600000.00', version: 3, decisionRef: DEMO_BUDGET_2018.decisionRef });
    expect(b.versions.map((v) => [v.version, v.amount, v.decisionRef])).toEqual([
      [1, '610000.00', DEMO_BUDGET_2018.decisionRef],
      [2, '625000.00', 'CCM/MSP/2018/R1'],
      [3, '600000.00', 'CCM/MSP/2018/R2'],
    ]);
    expect(assessBudget(env.ctx, 2018)).toEqual({ ...at600 });
    expect(assessBudget(env.ctx, 2018, 1)).toEqual(v1);
    expect(assessBudget(env.ctx, 2018, 2).total).toBe('625000.00');
    expect(() => assessBudget(env.ctx, 2018, 4)).toThrow('Version 4 of the 2018 budget');
  });

  it('the status report measures coverage against the revised budget; invoiced less credited is that budget', () => {
    const r = statusOfContributions(env.ctx, 2018, '2018-12-31');
    expect(r.budget).toBe('600000.00');
    // Assessed is what was invoiced (the first invoices and the supplementary ones), credited what the credit notes took back.
    expect([r.totals.assessed, r.totals.credited]).toEqual(['625000.00', '25000.00']);
    expect(chf(cents(r.totals.assessed) - cents(r.totals.credited))).toBe('600000.00');
    for (const row of r.rows) expect(chf(cents(row.assessed) - cents(row.credited)), row.iso3).toBe(at600.rows.find((a) => a.iso3 === row.iso3)!.total);
  });

  it('passes isu verify', () => {
    const v = verifyLedger(env.ctx);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('posting a decision again', () => {
  it('with the same figures issues nothing more and answers the same', async () => {
    const before = rowCounts(env.ctx);
    const again = await reviseBudget(env.ctx, actor, 2018, DOWN);
    expect(again).toEqual({ ...down, replayed: true });
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('with other figures, or an earlier decision, is refused and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    await expect(reviseBudget(env.ctx, actor, 2018, { ...DOWN, amount: '599000.00' })).rejects.toMatchObject({ status: 409, extra: { field: 'decisionRef' } });
    await expect(reviseBudget(env.ctx, actor, 2018, { ...UP, amount: '630000.00' })).rejects.toMatchObject({ status: 409 });
    await expect(reviseBudget(env.ctx, actor, 2018, { ...DOWN, decisionRef: 'X/1' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'amount' }] });
    await expect(reviseBudget(env.ctx, actor, 2018, { ...DOWN, decisionRef: 'X/2', amount: '1.00', approvedOn: '2018-05-01' })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'approvedOn' }],
    });
    await expect(reviseBudget(env.ctx, actor, 2018, { ...DOWN, decisionRef: 'X/3', amount: '1.00', issueDate: '2018-05-31' })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'issueDate' }],
    });
    await expect(reviseBudget(env.ctx, actor, 2018, { ...DOWN, decisionRef: 'X/4', scaleCode: 'NOPE' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'scaleCode' }] });
    await expect(reviseBudget(env.ctx, actor, 2017, { ...DOWN, decisionRef: 'X/5' })).rejects.toMatchObject({ status: 404 });
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('after the revisions', () => {
  it('reversing a payment a revision partly gave back to credit opens again only what is still applied; the rest comes from credit', () => {
    const pay = listPayments(env.ctx, { state: fullPayer }, null)[0]!;
    reversePayment(env.ctx, actor, pay.id, { reason: 'The bank recalled the transfer', date: '2018-06-04' });
    const b = computeBalance(env.ctx, fullPayer, '2018-06-30');
    expect(b.unappliedCredit).toBe('0.00');
    expect(b.outstanding).toBe(at600.rows.find((r) => r.iso3 === fullPayer)!.total);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('a supplementary invoice issued after the cut-off gets 30 days to pay and is not in arrears before then', async () => {
    const r = await reviseBudget(env.ctx, actor, 2018, {
      amount: '612000.00',
      decisionRef: 'CCM/MSP/2018/R3',
      approvedOn: '2018-09-01',
      reason: 'Budget raised for the Review Conference preparations',
      issueDate: '2018-09-03',
    });
    expect(r).toMatchObject({ version: 4, totals: { supplementary: '12000.00', credited: '0.00' } });
    const sup = listInvoices(env.ctx, { year: 2018, state: halfPayer }, null).find((i) => i.budgetVersion === 4)!;
    expect(sup.cutoffDate).toBe('2018-10-03');
    const owed = (d: string) => computeBalance(env.ctx, halfPayer, d);
    const onDeadline = owed('2018-10-03');
    // The first invoice's cut-off has passed: what is owed on it is in arrears, the supplementary invoice not yet.
    expect(onDeadline.arrears).toEqual([{ year: 2018, amount: chf(cents(onDeadline.outstanding) - cents(sup.total)) }]);
    const dayAfter = owed('2018-10-04');
    expect(dayAfter.arrears).toEqual([{ year: 2018, amount: dayAfter.outstanding }]);
  });
});
