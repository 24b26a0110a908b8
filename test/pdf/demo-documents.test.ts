/**
 * Issue 17 (SPEC 9.10), on the demo's register and 2018 invoices: each
 * invoice reads in its language with the Mission's formal name, amounts in
 * the State's number convention, one page with the QR-bill whose debtor is
 * the Mission, and the EN 16931 XML inside equal to the /xml route's answer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, demoBudgetLines, loadDemoRegister } from '../../src/services/demo.js';
import { getInvoice, invoicePdf, issueInvoiceBatch } from '../../src/services/invoices.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { auth, makeEnv, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';
import { decodeQrOnLastPage, hasPdftoppm } from './qr.js';

let env: TestEnv;
const numberOf: Record<string, string> = {};

beforeAll(async () => {
  env = await makeEnv();
  const actor = cliActor('test');
  loadDemoRegister(env.ctx, actor);
  createBudget(env.ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, lines: demoBudgetLines(DEMO_BUDGET_2018.amount) }));
  setIssuer(env.ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  await issueInvoiceBatch(env.ctx, actor, 2018);
  for (const r of env.ctx.sqlite.prepare("SELECT number, state_iso3 AS iso3 FROM invoices WHERE number LIKE 'ISU-2018-%'").all() as { number: string; iso3: string }[])
    numberOf[r.iso3] = r.number;
}, 120_000);
afterAll(() => env.close());

async function file(iso3: string): Promise<string> {
  return (await invoicePdf(env.ctx, numberOf[iso3]!, null)).file;
}
const text = async (iso3: string) => (await pdfText(fs.readFileSync(await file(iso3)))).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page[^s]/g) ?? []).length;

describe('issue 17: the demo’s 2018 invoices as a reader sees them', () => {
  it('French (France): the letterhead in French, "Mission permanente de la France auprès de l’Office…", amounts 1 234,56', async () => {
    const t = await text('FRA');
    expect(t).toContain('Unité d’appui à l’application — Convention sur les armes à sous-munitions');
    expect(t).toContain('Mission permanente de la France auprès de l’Office des Nations Unies et des autres organisations internationales à Genève');
    expect(t).not.toContain('Implementation Support Unit');
    const total = getInvoice(env.ctx, numberOf.FRA!, null).total; // e.g. "42637.30"
    const [whole, cents] = total.split('.');
    expect(t).toContain(`${whole!.replace(/\B(?=(\d{3})+$)/g, ' ')},${cents}`);
  });

  it('Spanish (Mexico): the letterhead in Spanish, "Misión Permanente de México ante la Oficina…", the total written 13,803.34-style; Spain 13.803,34-style', async () => {
    const t = await text('MEX');
    expect(t).toContain('Dependencia de Apoyo a la Aplicación — Convención sobre Municiones en Racimo');
    expect(t).toContain('Misión Permanente de México ante la Oficina de las Naciones Unidas y otros organismos internacionales en Ginebra');
    expect(t).toContain('La sección de pago va en inglés');
    const mex = getInvoice(env.ctx, numberOf.MEX!, null).total;
    expect(mex).toBe('13803.34');
    expect(t).toContain('13,803.34');
    expect(t).not.toContain('13.803,34');
    const esp = getInvoice(env.ctx, numberOf.ESP!, null).total;
    const [whole, cents] = esp.split('.');
    const spanish = `${whole!.replace(/\B(?=(\d{3})+$)/g, '.')},${cents}`;
    expect(await text('ESP')).toContain(`CHF ${spanish}`);
  });

  it('English (United Kingdom): the letterhead in English and "Permanent Mission of the United Kingdom of Great Britain and Northern Ireland to the United Nations Office…"', async () => {
    const t = await text('GBR');
    expect(t).toContain('Implementation Support Unit — Convention on Cluster Munitions');
    expect(t).toContain('Permanent Mission of the United Kingdom of Great Britain and Northern Ireland to the United Nations Office and other international organizations in Geneva');
  });

  it('at least 95 of the 103 invoices are one page', async () => {
    let onePage = 0;
    for (const iso3 of Object.keys(numberOf)) if (pages(fs.readFileSync(await file(iso3))) === 1) onePage++;
    expect(Object.keys(numberOf)).toHaveLength(103);
    expect(onePage).toBeGreaterThanOrEqual(95);
  });

  it.skipIf(!hasPdftoppm && !process.env.CI)('the QR code decoded from a rendering carries the Mission as the debtor', async () => {
    for (const iso3 of ['FRA', 'MEX']) {
      const lines = decodeQrOnLastPage(env.dir, await file(iso3)).split(/\r?\n/);
      // SIX IG QR-bill: the ultimate debtor block (address type S) follows the currency.
      const at = lines.indexOf('CHF');
      expect(lines.slice(at + 1, at + 9)).toEqual(
        iso3 === 'FRA'
          ? ['S', 'Mission permanente de la France', expect.stringMatching(/^Case postale \d+$/), '', '1211', 'Genève', 'CH', 'SCOR']
          : ['S', 'Misión Permanente de México', expect.stringMatching(/^Case postale \d+$/), '', '1211', 'Genève', 'CH', 'SCOR'],
      );
    }
  });

  it('the embedded e-invoice XML names the invoice, the State as buyer, the ISU with its IBAN as seller, each category as a line and the total; it equals the /xml route', async () => {
    for (const iso3 of ['FRA', 'MEX', 'GBR']) {
      const pdfFile = await file(iso3);
      const xml = execFileSync('qpdf', [`--show-attachment=factur-x.xml`, pdfFile], { encoding: 'utf8' });
      expect(XMLValidator.validate(xml)).toBe(true);
      const inv = getInvoice(env.ctx, numberOf[iso3]!, null);
      const res = await env.app.inject({ url: `/api/v1/invoices/${inv.number}/xml`, headers: auth(env.tokens.finance) });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(xml);
      const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false }).parse(xml);
      const cii = parsed.CrossIndustryInvoice;
      expect(cii.ExchangedDocument.ID).toBe(inv.number);
      const trade = cii.SupplyChainTradeTransaction;
      const lines = [trade.IncludedSupplyChainTradeLineItem].flat();
      expect(lines.map((l: { SpecifiedLineTradeSettlement: { SpecifiedTradeSettlementLineMonetarySummation: { LineTotalAmount: string } } }) => l.SpecifiedLineTradeSettlement.SpecifiedTradeSettlementLineMonetarySummation.LineTotalAmount)).toEqual(
        inv.lines.map((l) => l.amount),
      );
      const agreement = trade.ApplicableHeaderTradeAgreement;
      expect(agreement.SellerTradeParty.Name).toBe(DEMO_ISSUER.name);
      expect(agreement.BuyerTradeParty.Name).toContain(iso3 === 'GBR' ? 'United Kingdom' : iso3 === 'FRA' ? 'France' : 'México');
      const settlement = trade.ApplicableHeaderTradeSettlement;
      expect([settlement.SpecifiedTradeSettlementPaymentMeans].flat()[0].PayeePartyCreditorFinancialAccount.IBANID).toBe(DEMO_ISSUER.bank.iban.replace(/\s/g, ''));
      const sum = settlement.SpecifiedTradeSettlementHeaderMonetarySummation;
      expect(sum.GrandTotalAmount).toBe(inv.total);
      expect(sum.DuePayableAmount).toBe(inv.netPayable);
      expect(path.basename(pdfFile)).toBe(`${inv.number}.pdf`);
    }
  });
});
