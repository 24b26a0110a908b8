/**
 * SPEC 9.2: credit is used before anyone is chased. A State holding
 * unapplied credit when an invoice is issued has it applied at once (oldest
 * first, so earlier arrears before the new invoice); the invoice shows the
 * credit applied and the net payable, which the QR-bill carries; a net of
 * zero says "nothing to pay" and has no payment part. A cancellation's
 * released money goes to the State's other open invoices; `applyHeldCredit`
 * (isu credit apply) does the same for credit held from before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { computeBalance } from '../../src/services/accounts.js';
import { unappliedCredit } from '../../src/services/applications.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, getInvoice, invoicePdf, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { applyHeldCredit, recordPayment } from '../../src/services/payments.js';
import { statusOfContributions } from '../../src/services/reports.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { decodeQrOnLastPage, hasPdftoppm } from '../pdf/qr.js';
import { pdfText } from '../pdf-text.js';
import fs from 'node:fs';

const actor = cliActor('test');
const cents = (s: string) => BigInt(s.replace('.', ''));
const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
let env: TestEnv;
/** Invoice totals in centimes ("FRA2017"). */
const total: Record<string, bigint> = {};
const number: Record<string, string> = {};

const NOR = { ...STATE_FRA, iso3: 'NOR', name: 'Norway', names: { fr: 'Norvège', es: 'Noruega' }, language: 'en' as const, depositDate: '2008-12-03' };
const CHE = { ...STATE_FRA, iso3: 'CHE', name: 'Switzerland', names: { fr: 'Suisse', es: 'Suiza' }, language: 'fr' as const, depositDate: '2012-07-17' };

beforeAll(async () => {
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX, NOR, CHE]);
      createScale(ctx, actor, { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'NOR', rate: '0.849' }, { iso3: 'CHE', rate: '1.140' }] });
      createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' });
  for (const i of listInvoices(env.ctx, { year: 2017 }, null)) {
    total[`${i.iso3}2017`] = cents(i.total);
    number[`${i.iso3}2017`] = i.number;
  }
  // FRA pays 2017 and CHF 500,000.00 more: far more than its 2018 share. MEX pays 2017 and CHF 1,000.00 more.
  // CHE pays its 2017 invoice exactly. NOR pays nothing.
  recordPayment(env.ctx, actor, 'fra', { iso3: 'FRA', amount: money(total.FRA2017! + 50_000_000n), receivedOn: '2017-02-01', confirmLarge: true }); // more than the 2017 budget: confirmed (finding 13)
  recordPayment(env.ctx, actor, 'mex', { iso3: 'MEX', amount: money(total.MEX2017! + 100_000n), receivedOn: '2017-02-01' });
  recordPayment(env.ctx, actor, 'che', { iso3: 'CHE', amount: money(total.CHE2017!), receivedOn: '2017-02-01' });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  for (const i of listInvoices(env.ctx, { year: 2018 }, null)) {
    total[`${i.iso3}2018`] = cents(i.total);
    number[`${i.iso3}2018`] = i.number;
  }
});
afterAll(() => env.close());

describe('credit applied when an invoice is issued', () => {
  it('covers the whole invoice when the credit is larger: net payable 0.00, nothing to pay, no QR-bill, paid in full', async () => {
    const inv = getInvoice(env.ctx, number.FRA2018!, null);
    expect(inv.creditAppliedOnIssue).toBe(money(total.FRA2018!));
    expect(inv.netPayable).toBe('0.00');
    expect(unappliedCredit(env.ctx, 'FRA', '2017-09-15')).toBe(50_000_000n - total.FRA2018!);
    const { file } = await invoicePdf(env.ctx, inv.number, null);
    const text = (await pdfText(fs.readFileSync(file))).replace(/\s+/g, ' ');
    // France: French labels and number format.
    expect(text).toContain('Crédit imputé (paiements reçus d’avance)');
    expect(text).toContain('Montant net à payer (CHF) 0,00');
    expect(text).toContain('Rien à payer : votre crédit couvre cette facture');
    expect(text).not.toContain('Section paiement');
    const row = statusOfContributions(env.ctx, 2018, '2017-12-31').rows.find((r) => r.iso3 === 'FRA')!;
    expect(row).toMatchObject({ status: 'paid', collected: money(total.FRA2018!), outstanding: '0.00' });
    expect(computeBalance(env.ctx, 'FRA', '2018-06-30').arrears).toEqual([]);
  });

  it('covers part of it when the credit is smaller: the net is printed and carried by the QR-bill', async () => {
    const inv = getInvoice(env.ctx, number.MEX2018!, null);
    expect(inv.creditAppliedOnIssue).toBe('1000.00');
    expect(inv.netPayable).toBe(money(total.MEX2018! - 100_000n));
    expect(unappliedCredit(env.ctx, 'MEX', '2017-09-15')).toBe(0n);
    const { file } = await invoicePdf(env.ctx, inv.number, null);
    const text = (await pdfText(fs.readFileSync(file))).replace(/\s+/g, ' ');
    const es = (c: bigint) => money(c).replace('.', ',').replace(/\B(?=(\d{3})+,)/g, '.');
    // The minus sign is written as the font can carry it (WinAnsi has no U+2212).
    expect(text).toMatch(new RegExp(`Crédito aplicado \\(pagos recibidos por adelantado\\) [−-]${es(100_000n).replace('.', '\\.')}`));
    expect(text).toContain(`Importe neto a pagar (CHF) ${es(total.MEX2018! - 100_000n)}`);
    if (hasPdftoppm || process.env.CI) {
      const qr = decodeQrOnLastPage(env.dir, file).split(/\r?\n/);
      expect(qr[18]).toBe(money(total.MEX2018! - 100_000n)); // the amount field of the QR-bill payload
      expect(qr[28]).toBe(inv.creditorReference);
    }
    const row = statusOfContributions(env.ctx, 2018, '2017-12-31').rows.find((r) => r.iso3 === 'MEX')!;
    expect(row).toMatchObject({ status: 'partial', collected: '1000.00', unappliedCredit: '0.00' });
  });

  it('leaves an invoice without credit as it was: total payable, QR-bill for the total', async () => {
    const inv = getInvoice(env.ctx, number.CHE2018!, null);
    expect(inv).toMatchObject({ creditAppliedOnIssue: '0.00', netPayable: inv.total });
    const { file } = await invoicePdf(env.ctx, inv.number, null);
    const text = (await pdfText(fs.readFileSync(file))).replace(/\s+/g, ' ');
    expect(text).not.toContain('Crédit imputé');
    expect(text).toContain('Section paiement');
  });

  it("prints as earlier years outstanding exactly the State's arrears at the issue date", async () => {
    for (const key of ['FRA2018', 'MEX2018', 'NOR2018', 'CHE2018']) {
      const inv = getInvoice(env.ctx, number[key]!, null);
      const doc = env.ctx.sqlite.prepare('SELECT document FROM invoices WHERE number = ?').get(inv.number) as { document: string };
      const arrears = computeBalance(env.ctx, inv.iso3, inv.issueDate).arrears.filter((a) => a.year < 2018);
      expect(JSON.parse(doc.document).earlierOutstanding, key).toEqual(arrears);
    }
    // NOR paid nothing for 2017: its 2018 invoice lists 2017 in full.
    expect(JSON.parse((env.ctx.sqlite.prepare('SELECT document FROM invoices WHERE number = ?').get(number.NOR2018) as { document: string }).document).earlierOutstanding).toEqual([
      { year: 2017, amount: money(total.NOR2017!) },
    ]);
  });
});

describe('credit released by a cancellation, and credit held from before', () => {
  it('a cancellation gives back what was paid and applies it at once to the other open invoices, oldest first', async () => {
    // NOR pays its 2018 invoice by name (its 2017 one stays open), then the 2018 invoice is cancelled.
    recordPayment(env.ctx, actor, 'nor18', { iso3: 'NOR', amount: money(total.NOR2018!), receivedOn: '2017-10-01', invoice: number.NOR2018 });
    expect(computeBalance(env.ctx, 'NOR', '2017-10-01').outstanding).toBe(money(total.NOR2017!));
    await cancelInvoice(env.ctx, actor, number.NOR2018!, { reason: 'test: issued in error', date: '2017-11-01' });
    const open2017 = total.NOR2017! > total.NOR2018! ? total.NOR2017! - total.NOR2018! : 0n;
    const credit = total.NOR2018! > total.NOR2017! ? total.NOR2018! - total.NOR2017! : 0n;
    const b = computeBalance(env.ctx, 'NOR', '2017-11-01');
    expect(b.outstanding).toBe(money(open2017));
    expect(b.unappliedCredit).toBe(money(credit));
    expect(verifyLedger(env.ctx).ok).toBe(true);
    // The report follows the money given back: NOR's 2017 money (paid on its 2018 invoice, given back, applied to 2017)
    // is in excess only as far as it is still credit, counted once.
    const row = statusOfContributions(env.ctx, 2017, '2017-11-01').rows.find((r) => r.iso3 === 'NOR')!;
    expect(row).toMatchObject({ received: money(total.NOR2018!), inExcess: money(credit), unappliedCredit: money(credit) });
    expect(row.collected).toBe(money(total.NOR2017! - open2017));
  });

  it('applyHeldCredit (isu credit apply) applies credit held while invoices are open, once', () => {
    // MEX pays CHF 300.00 naming its 2017 invoice, which is already paid: the money stays credit although 2018 is open.
    recordPayment(env.ctx, actor, 'mex17', { iso3: 'MEX', amount: '300.00', receivedOn: '2017-12-01', invoice: number.MEX2017 });
    expect(unappliedCredit(env.ctx, 'MEX', '2017-12-01')).toBe(30_000n);
    const before = cents(computeBalance(env.ctx, 'MEX', '2017-12-31').outstanding);
    const applied = applyHeldCredit(env.ctx, actor, '2017-12-31');
    expect(applied).toEqual([{ iso3: 'MEX', applied: '300.00', unappliedCredit: '0.00' }]);
    expect(cents(computeBalance(env.ctx, 'MEX', '2017-12-31').outstanding)).toBe(before - 30_000n);
    // FRA holds credit too but has nothing open: left alone. A second run finds nothing.
    expect(applyHeldCredit(env.ctx, actor, '2017-12-31')).toEqual([]);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});
