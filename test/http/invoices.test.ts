import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidCreditorReference, groupsOfFour } from '../../src/domain/creditor-reference.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

const STATE_IRL = { iso3: 'IRL', name: 'Ireland', names: { fr: 'Irlande', es: 'Irlanda' }, unMember: true, language: 'en' as const, depositDate: '2008-12-03' };
const STATE_CIV = { iso3: 'CIV', name: 'Côte d’Ivoire', names: { fr: 'Côte d’Ivoire', es: 'Côte d’Ivoire' }, unMember: true, language: 'fr' as const, depositDate: '2012-03-30' };
const SCALE = { code: 'T', title: 't', source: 's', rates: [{ iso3: 'FRA', rate: '4.859' }, { iso3: 'MEX', rate: '1.435' }, { iso3: 'IRL', rate: '0.335' }, { iso3: 'CIV', rate: '0.009' }] };

let env: TestEnv;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, user = 'finance', payload?: unknown) =>
  env.app.inject({ method, url, headers: auth(env.tokens[user]), ...(payload !== undefined ? { payload: payload as object } : {}) });

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_IRL, STATE_CIV]);
    createScale(ctx, cliActor('test'), SCALE);
    createBudget(ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, scaleCode: 'T' }));
  });
});
afterAll(() => env.close());

describe('the invoice batch', () => {
  it('refuses to issue before the issuer is configured, writing nothing', async () => {
    const before = rowCounts(env.ctx);
    const res = await inject('POST', '/api/v1/budgets/2018/invoices', 'finance', { issueDate: '2017-09-15' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/issuer/);
    expect(rowCounts(env.ctx)).toEqual(before);
    setIssuer(env.ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });

  it('refuses an issue date before the approval or in the future, writing nothing', async () => {
    const before = rowCounts(env.ctx);
    for (const issueDate of ['2017-09-05', '2999-01-01', '2017-02-30']) {
      const res = await inject('POST', '/api/v1/budgets/2018/invoices', 'finance', { issueDate });
      expect(res.statusCode, issueDate).toBe(422);
      expect(res.json().errors[0].field).toBe('issueDate');
    }
    expect((await inject('POST', '/api/v1/budgets/2018/invoices', 'presidency', {})).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('issues one invoice per assessed State, gapless, each with a valid unique creditor reference, in the ledger', async () => {
    const res = await inject('POST', '/api/v1/budgets/2018/invoices', 'finance', { issueDate: '2017-09-15' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.alreadyIssued).toBe(0);
    expect(body.issued.map((i: { number: string; iso3: string }) => [i.number, i.iso3])).toEqual([
      ['ISU-2018-0001', 'CIV'],
      ['ISU-2018-0002', 'FRA'],
      ['ISU-2018-0003', 'IRL'],
      ['ISU-2018-0004', 'MEX'],
    ]);
    const refs = body.issued.map((i: { creditorReference: string }) => i.creditorReference);
    expect(new Set(refs).size).toBe(4);
    for (const r of refs) expect(isValidCreditorReference(r)).toBe(true);
    const assessment = (await inject('GET', '/api/v1/budgets/2018/assessment')).json();
    for (const inv of body.issued) expect(inv.total).toBe(assessment.rows.find((r: { iso3: string }) => r.iso3 === inv.iso3).total);
    const report = verifyLedger(env.ctx);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    const receivable = env.ctx.sqlite
      .prepare("SELECT state_iso3 AS iso3, SUM(amount_centimes) AS c FROM postings WHERE account_code = '1100' GROUP BY state_iso3 ORDER BY 1")
      .safeIntegers(true)
      .all() as { iso3: string; c: bigint }[];
    expect(receivable.map((r) => [r.iso3, r.c])).toEqual(
      assessment.rows.map((r: { iso3: string; total: string }) => [r.iso3, BigInt(r.total.replace('.', ''))]),
    );
  });

  it('is idempotent: a second batch issues nothing and says how many existed', async () => {
    const before = rowCounts(env.ctx);
    const res = await inject('POST', '/api/v1/budgets/2018/invoices', 'finance', {});
    expect(res.json()).toMatchObject({ issued: [], alreadyIssued: 4 });
    // With no body at all (curl -X POST without -d): the same answer.
    const bare = await inject('POST', '/api/v1/budgets/2018/invoices', 'finance');
    expect(bare.statusCode).toBe(200);
    expect(bare.json()).toMatchObject({ issued: [], alreadyIssued: 4 });
    const { audit_log: _a, ...countsBefore } = before;
    const { audit_log: _b, ...countsAfter } = rowCounts(env.ctx);
    expect(countsAfter).toEqual(countsBefore);
  });

  it('freezes the budget: changing its amount, scheme, scale or dates answers 409; the decision reference may be corrected', async () => {
    for (const patch of [{ amount: '600000.00' }, { cutoffDate: '2018-06-30' }, { scheme: { categories: [{ code: '7(a)', label: 'x', share: '1', method: 'equal' }] } }]) {
      const res = await inject('PATCH', '/api/v1/budgets/2018', 'finance', patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(409);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await inject('PATCH', '/api/v1/budgets/2018', 'finance', { decisionRef: 'CCM/MSP/2017/2 (corrected)' })).statusCode).toBe(200);
    expect(() => env.ctx.sqlite.prepare('UPDATE budgets SET amount_centimes = 1 WHERE year = 2018').run()).toThrow(/frozen/);
    expect((await inject('GET', '/api/v1/budgets/2018')).json().amount).toBe('590000.00');
  });

  it('serves the PDF with the same bytes every time, and renders it again identically when the file is lost', async () => {
    const inv = (await inject('GET', '/api/v1/invoices/ISU-2018-0002')).json();
    const a = await inject('GET', '/api/v1/invoices/ISU-2018-0002/pdf');
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(sha(a.rawPayload)).toBe(inv.pdfSha256);
    const file = path.join(env.ctx.invoiceDir, '2018', 'ISU-2018-0002.pdf');
    expect(sha(fs.readFileSync(file))).toBe(inv.pdfSha256);
    fs.rmSync(file);
    const b = await inject('GET', '/api/v1/invoices/ISU-2018-0002/pdf');
    expect(sha(b.rawPayload)).toBe(inv.pdfSha256);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('prints, per language, the name, number, amounts, total, cut-off date and reference, and the QR-bill carries that reference', async () => {
    const expectations = [
      { number: 'ISU-2018-0002', name: 'France', payable: '31 mars 2018', money: (s: string) => s.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') },
      { number: 'ISU-2018-0004', name: 'México', payable: '31 de marzo de 2018', money: (s: string) => s.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '.') },
      { number: 'ISU-2018-0003', name: 'Ireland', payable: '31 March 2018', money: (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') },
      { number: 'ISU-2018-0001', name: 'Côte d’Ivoire', payable: '31 mars 2018', money: (s: string) => s.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') },
    ];
    for (const e of expectations) {
      const inv = (await inject('GET', `/api/v1/invoices/${e.number}`)).json();
      // pdfjs reports the no-break space of French figures as a plain space: compare with spaces folded.
      const text = (await pdfText((await inject('GET', `/api/v1/invoices/${e.number}/pdf`)).rawPayload)).replace(/\u00a0/g, ' ');
      const fmt = (amount: string) => {
        const [whole, frac] = amount.split('.') as [string, string];
        return e.money(`${whole}.${frac}`).replace(/\u00a0/g, ' ');
      };
      expect(text, e.number).toContain(e.name);
      expect(text).toContain(e.number);
      for (const line of inv.lines) expect(text, `${e.number} ${line.category}`).toContain(fmt(line.amount));
      expect(text).toContain(fmt(inv.total));
      expect(text).toContain(e.payable);
      expect(text).toContain(groupsOfFour(inv.creditorReference));
      // The QR-bill's payment part and receipt each print the reference: at least three occurrences with the invoice's own.
      expect(text.split(groupsOfFour(inv.creditorReference)).length - 1).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('who may see invoices', () => {
  it("gives a State user its own invoices and 404 for another State's invoice or PDF", async () => {
    const list = await inject('GET', '/api/v1/invoices?year=2018', 'fra');
    expect(list.statusCode).toBe(200);
    expect(list.json().map((i: { iso3: string }) => i.iso3)).toEqual(['FRA']);
    expect((await inject('GET', '/api/v1/invoices/ISU-2018-0002/pdf', 'fra')).statusCode).toBe(200);
    for (const url of ['/api/v1/invoices/ISU-2018-0004', '/api/v1/invoices/ISU-2018-0004/pdf', '/api/v1/invoices?state=MEX', '/api/v1/invoices/ISU-2018-0099']) {
      const res = await inject('GET', url, 'fra');
      expect(res.statusCode, url).toBe(404);
    }
    expect((await inject('GET', '/api/v1/invoices/ISU-2018-0004/pdf', 'mex')).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/invoices?year=2018', 'presidency')).json()).toHaveLength(4);
  });
});

describe('cancellation by credit note', () => {
  it('issues CN-2018-0001 reversing the invoice, which keeps its number and shows as cancelled', async () => {
    const before = rowCounts(env.ctx);
    expect((await inject('POST', '/api/v1/invoices/ISU-2018-0003/cancel', 'finance', { reason: '' })).statusCode).toBe(422);
    expect((await inject('POST', '/api/v1/invoices/ISU-2018-0003/cancel', 'auditor', { reason: 'x' })).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);

    const res = await inject('POST', '/api/v1/invoices/ISU-2018-0003/cancel', 'finance', { reason: 'Issued to the wrong mission address', date: '2017-10-02' });
    expect(res.statusCode).toBe(201);
    const cn = res.json();
    expect(cn).toMatchObject({ number: 'CN-2018-0001', invoiceNumber: 'ISU-2018-0003', iso3: 'IRL', issueDate: '2017-10-02' });
    const inv = (await inject('GET', '/api/v1/invoices/ISU-2018-0003')).json();
    expect(inv).toMatchObject({ number: 'ISU-2018-0003', status: 'cancelled', creditNote: 'CN-2018-0001' });
    expect(cn.total).toBe(inv.total);
    const pdf = await inject('GET', '/api/v1/credit-notes/CN-2018-0001/pdf');
    expect(pdf.statusCode).toBe(200);
    expect(sha(pdf.rawPayload)).toBe(cn.pdfSha256);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('CN-2018-0001');
    expect(text).toContain('ISU-2018-0003');
    const irl = env.ctx.sqlite.prepare("SELECT SUM(amount_centimes) AS c FROM postings WHERE account_code = '1100' AND state_iso3 = 'IRL'").safeIntegers(true).get() as { c: bigint };
    expect(irl.c).toBe(0n);
    expect(verifyLedger(env.ctx).ok).toBe(true);
    expect((await inject('POST', '/api/v1/invoices/ISU-2018-0003/cancel', 'finance', { reason: 'again' })).statusCode).toBe(409);
    expect((await inject('GET', '/api/v1/invoices?status=cancelled')).json().map((i: { number: string }) => i.number)).toEqual(['ISU-2018-0003']);
  });

  it('keeps numbering gapless after a batch, a re-run and a cancellation', async () => {
    const rerun = (await inject('POST', '/api/v1/budgets/2018/invoices', 'finance', {})).json();
    expect(rerun).toMatchObject({ issued: [], alreadyIssued: 4 });
    const seqs = (env.ctx.sqlite.prepare('SELECT seq FROM invoices WHERE year = 2018 ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
    const check = verifyLedger(env.ctx).checks.find((c) => c.name === 'numbering is gapless per year');
    expect(check?.ok).toBe(true);
  });

  it('keeps issued invoices immutable in the database', () => {
    expect(() => env.ctx.sqlite.prepare("UPDATE invoices SET total_centimes = 1 WHERE number = 'ISU-2018-0001'").run()).toThrow(/immutable/);
    expect(() => env.ctx.sqlite.prepare("DELETE FROM invoices WHERE number = 'ISU-2018-0001'").run()).toThrow(/immutable/);
  });

  it('verify catches a PDF altered on disk', () => {
    const file = path.join(env.ctx.invoiceDir, '2018', 'ISU-2018-0001.pdf');
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([original, Buffer.from('%tampered\n')]));
    const report = verifyLedger(env.ctx);
    expect(report.checks.find((c) => c.name.startsWith('PDFs on disk'))).toMatchObject({ ok: false, detail: 'altered: ISU-2018-0001' });
    fs.writeFileSync(file, original);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});
