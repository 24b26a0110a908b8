/**
 * Reminders over HTTP (SPEC 9.7): who is listed on a date, to the centime;
 * letters REM-{year}-{seq} issued once per State per day; bad input named
 * and nothing written; a State user sees its own only; the PDF re-renders to
 * the same bytes, even after the issuer's bank details change.
 *
 * The story: budgets 2017 (cut-off 2017-03-31) and 2018 (cut-off 2018-03-31).
 * FRA pays CHF 1,000.00 (to 2017, oldest first); IRL pays its 2018 invoice
 * naming it with CHF 13,000.00 more (credit), its 2017 invoice stays open;
 * MEX pays everything; BEN (assessed from 2018) pays CHF 40,000.00.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, issueInvoiceBatch } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { reminderPdf } from '../../src/services/reminders.js';
import { createScale } from '../../src/services/scales.js';
import { approveIssuerChange, issuerSettingsSchema, requireIssuer, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

const IRL = { iso3: 'IRL', name: 'Ireland', names: { fr: 'Irlande', es: 'Irlanda' }, unMember: true, language: 'en' as const, depositDate: '2008-12-03' };
const actor = cliActor('test');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

let env: TestEnv;
const inject = (method: 'GET' | 'POST', url: string, user = 'finance', payload?: unknown) =>
  env.app.inject({ method, url, headers: auth(env.tokens[user]), ...(payload !== undefined ? { payload: payload as object } : {}) });

interface Due {
  iso3: string;
  invoices: { number: string; year: number; dueDate: string; invoiced: string; left: string }[];
  overdue: string;
  credit: string;
  toPay: string;
  lastReminder: { number: string; issueDate: string; asOf: string; level: number } | null;
}
const due = async (asOf: string, user = 'finance') => {
  const res = await inject('GET', `/api/v1/reminders?asOf=${asOf}`, user);
  expect(res.statusCode).toBe(200);
  return res.json() as { asOf: string; states: Due[]; totals: { states: number; overdue: string; credit: string; toPay: string } };
};
const brief = (d: Due) => [d.iso3, d.invoices.map((i) => `${i.number}:${i.left}`).join(' '), d.overdue, d.credit, d.toPay];

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX, STATE_BEN, IRL]);
    createScale(ctx, actor, { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'IRL', rate: '0.335' }] });
    createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
  });
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' }).catch(() => undefined); // no issuer yet: refused
  setIssuer(env.ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  // ISU-2017-0001 FRA 61,309.40 · -0002 IRL 13,537.49 · -0003 MEX 25,153.11; ISU-2018-0001 BEN 44,436.82 · -0002 FRA 346,838.51 · -0003 IRL 65,111.73 · -0004 MEX 133,612.94
  recordPayment(env.ctx, actor, 'mex', { iso3: 'MEX', amount: '158766.05', receivedOn: '2018-01-10' });
  recordPayment(env.ctx, actor, 'irl', { iso3: 'IRL', amount: '78111.73', receivedOn: '2018-01-10', invoice: 'ISU-2018-0003' });
  recordPayment(env.ctx, actor, 'fra', { iso3: 'FRA', amount: '1000.00', receivedOn: '2018-02-01' });
  recordPayment(env.ctx, actor, 'ben', { iso3: 'BEN', amount: '40000.00', receivedOn: '2018-03-01' });
});
afterAll(() => env.close());

describe('GET /reminders: who is overdue beyond their credit', () => {
  it('on the day after the 2017 cut-off: every 2017 invoice, in full', async () => {
    expect((await due('2017-03-31')).states).toEqual([]);
    const d = await due('2017-04-01');
    expect(d.states.map(brief)).toEqual([
      ['FRA', 'ISU-2017-0001:61309.40', '61309.40', '0.00', '61309.40'],
      ['IRL', 'ISU-2017-0002:13537.49', '13537.49', '0.00', '13537.49'],
      ['MEX', 'ISU-2017-0003:25153.11', '25153.11', '0.00', '25153.11'],
    ]);
    expect(d.totals).toEqual({ states: 3, overdue: '100000.00', credit: '0.00', toPay: '100000.00' });
    expect(d.states[0]!.invoices[0]).toEqual({ number: 'ISU-2017-0001', year: 2017, dueDate: '2017-03-31', invoiced: '61309.40', left: '61309.40' });
  });

  it('on the 2018 cut-off itself the 2018 invoices are still in time; the credit held is deducted', async () => {
    const d = await due('2018-03-31');
    expect(d.states.map(brief)).toEqual([
      ['FRA', 'ISU-2017-0001:60309.40', '60309.40', '0.00', '60309.40'],
      ['IRL', 'ISU-2017-0002:13537.49', '13537.49', '13000.00', '537.49'],
    ]);
  });

  it('the day after: the 2018 invoices join, oldest first; a State that paid everything is never listed', async () => {
    const d = await due('2018-04-01');
    expect(d.states.map(brief)).toEqual([
      ['BEN', 'ISU-2018-0001:4436.82', '4436.82', '0.00', '4436.82'],
      ['FRA', 'ISU-2017-0001:60309.40 ISU-2018-0002:346838.51', '407147.91', '0.00', '407147.91'],
      ['IRL', 'ISU-2017-0002:13537.49', '13537.49', '13000.00', '537.49'],
    ]);
    expect(d.totals).toEqual({ states: 3, overdue: '425122.22', credit: '13000.00', toPay: '412122.22' });
    expect(d.states.every((s) => s.lastReminder === null)).toBe(true);
  });

  it('refuses a malformed asOf with 400 naming it; defaults to today', async () => {
    for (const asOf of ['2018-02-30', 'yesterday']) {
      const res = await inject('GET', `/api/v1/reminders?asOf=${asOf}`);
      expect(res.statusCode, asOf).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors[0].field).toBe('asOf');
    }
    const today = await inject('GET', '/api/v1/reminders');
    expect(today.json().asOf).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe('POST /reminders: the letters', () => {
  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    const cases: [unknown, string][] = [
      [{}, 'asOf'],
      [{ asOf: '2018-02-30' }, 'asOf'],
      [{ asOf: '2018-04-01', date: '2999-01-01' }, 'date'],
      [{ asOf: '2018-04-05', date: '2018-04-03' }, 'asOf'],
      [{ asOf: '2018-04-01', states: ['fra'] }, 'states.0'],
      [{ asOf: '2018-04-01', states: [] }, 'states'],
      [{ asOf: '2018-04-01', states: ['FRA', 'XYZ'] }, 'states.1'],
      [{ asOf: '2018-04-01', states: ['MEX'] }, 'states.0'],
      [{ asOf: '2018-04-01', date: '2018-04-03', extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await inject('POST', '/api/v1/reminders', 'finance', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect((await inject('POST', '/api/v1/reminders', 'finance', { asOf: '2018-04-01', states: ['MEX'] })).json().detail).toMatch(/MEX has nothing overdue beyond its credit/);
    for (const user of ['presidency', 'auditor', 'admin', 'fra']) expect((await inject('POST', '/api/v1/reminders', user, { asOf: '2018-04-01' })).statusCode, user).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('issues one letter per State to remind, numbered in ISO3 order, each with its lines and audit row and no journal entry', async () => {
    const before = rowCounts(env.ctx);
    const res = await inject('POST', '/api/v1/reminders', 'finance', { asOf: '2018-04-01', date: '2018-04-03' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ asOf: '2018-04-01', issueDate: '2018-04-03', issued: 3, existing: 0 });
    expect(body.letters.map((l: { number: string; iso3: string; level: number; toPay: string; outcome: string }) => [l.number, l.iso3, l.level, l.toPay, l.outcome])).toEqual([
      ['REM-2018-0001', 'BEN', 1, '4436.82', 'issued'],
      ['REM-2018-0002', 'FRA', 1, '407147.91', 'issued'],
      ['REM-2018-0003', 'IRL', 1, '537.49', 'issued'],
    ]);
    const irl = body.letters[2];
    expect(irl).toMatchObject({ language: 'en', stateName: 'Ireland', overdue: '13537.49', credit: '13000.00', creditorReference: 'RF06REM20180003', pdfUrl: '/api/v1/reminders/letters/REM-2018-0003/pdf' });
    expect(body.letters[0].creditorReference).toBe('RF60REM20180001');
    const after = rowCounts(env.ctx);
    expect(after.reminders! - before.reminders!).toBe(3);
    expect(after.reminder_lines! - before.reminder_lines!).toBe(4);
    expect(after.audit_log! - before.audit_log!).toBe(3);
    expect(after.journal_entries).toBe(before.journal_entries);
    expect(after.postings).toBe(before.postings);
    const lines = env.ctx.sqlite.prepare("SELECT invoice_number AS n, due_date AS d, outstanding_centimes AS c FROM reminder_lines WHERE reminder_number = 'REM-2018-0002' ORDER BY 1").all();
    expect(lines).toEqual([
      { n: 'ISU-2017-0001', d: '2017-03-31', c: 6030940 },
      { n: 'ISU-2018-0002', d: '2018-03-31', c: 34683851 },
    ]);
    const audit = env.ctx.sqlite.prepare("SELECT username, details FROM audit_log WHERE entity_type = 'reminder' AND entity_id = 'REM-2018-0003'").get() as { username: string; details: string };
    expect(audit.username).toBe('finance');
    expect(JSON.parse(audit.details)).toMatchObject({ iso3: 'IRL', asOf: '2018-04-01', level: 1, toPay: '537.49', credit: '13000.00', reference: 'RF06REM20180003' });
    for (const l of body.letters) expect(fs.existsSync(path.join(env.ctx.invoiceDir, 'reminders', '2018', `${l.number}.pdf`))).toBe(true);
  });

  it('a second run the same day answers the letters already issued with 200 and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    for (const body of [{ asOf: '2018-04-01', date: '2018-04-03' }, { asOf: '2018-04-02', date: '2018-04-03' }, { asOf: '2018-04-01', date: '2018-04-03', states: ['FRA', 'FRA'] }]) {
      const res = await inject('POST', '/api/v1/reminders', 'finance', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(200);
      expect(res.json().issued).toBe(0);
      expect(res.json().letters.every((l: { outcome: string; issueDate: string }) => l.outcome === 'existing' && l.issueDate === '2018-04-03')).toBe(true);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
    const d = await due('2018-04-01');
    expect(d.states.map((s) => [s.iso3, s.lastReminder])).toEqual([
      ['BEN', { number: 'REM-2018-0001', issueDate: '2018-04-03', asOf: '2018-04-01', level: 1 }],
      ['FRA', { number: 'REM-2018-0002', issueDate: '2018-04-03', asOf: '2018-04-01', level: 1 }],
      ['IRL', { number: 'REM-2018-0003', issueDate: '2018-04-03', asOf: '2018-04-01', level: 1 }],
    ]);
  });

  it('climbs a level a letter while the invoices stay unpaid; a State its credit now covers is not written to; numbers restart each year', async () => {
    // IRL's credit grows to its overdue amount exactly (money naming the paid 2018 invoice is kept as credit).
    recordPayment(env.ctx, actor, 'irl-2', { iso3: 'IRL', amount: '537.49', receivedOn: '2018-05-05', invoice: 'ISU-2018-0003' });
    expect((await due('2018-05-05')).states.map((s) => s.iso3)).toEqual(['BEN', 'FRA']);
    const named = await inject('POST', '/api/v1/reminders', 'finance', { asOf: '2018-05-05', date: '2018-05-07', states: ['IRL'] });
    expect(named.statusCode).toBe(422);
    const res = await inject('POST', '/api/v1/reminders', 'finance', { asOf: '2018-05-05', date: '2018-05-07' });
    expect(res.statusCode).toBe(201);
    expect(res.json().letters.map((l: { number: string; iso3: string; level: number }) => [l.number, l.iso3, l.level])).toEqual([
      ['REM-2018-0004', 'BEN', 2],
      ['REM-2018-0005', 'FRA', 2],
    ]);
    const next = await inject('POST', '/api/v1/reminders', 'finance', { asOf: '2018-12-31', date: '2019-01-04', states: ['FRA'] });
    expect(next.statusCode).toBe(201);
    expect(next.json().letters.map((l: { number: string; level: number; creditorReference: string }) => [l.number, l.level, l.creditorReference])).toEqual([['REM-2019-0001', 3, 'RF11REM20190001']]);
  });

  it('never lists a cancelled invoice (from its cancellation on)', async () => {
    await cancelInvoice(env.ctx, actor, 'ISU-2018-0001', { reason: 'test', date: '2018-06-01' });
    expect((await due('2018-05-31')).states.map((s) => s.iso3)).toEqual(['BEN', 'FRA']);
    expect((await due('2018-06-01')).states.map((s) => s.iso3)).toEqual(['FRA']);
  });
});

describe('the letters: listing, State users, PDFs', () => {
  it('lists letters by State, year, as-of date and issue date', async () => {
    const numbers = async (q: string, user = 'finance') => (await inject('GET', `/api/v1/reminders/letters${q}`, user)).json().map((l: { number: string }) => l.number);
    expect(await numbers('')).toEqual(['REM-2018-0001', 'REM-2018-0002', 'REM-2018-0003', 'REM-2018-0004', 'REM-2018-0005', 'REM-2019-0001']);
    expect(await numbers('?state=FRA')).toEqual(['REM-2018-0002', 'REM-2018-0005', 'REM-2019-0001']);
    expect(await numbers('?year=2019')).toEqual(['REM-2019-0001']);
    expect(await numbers('?asOf=2018-05-05')).toEqual(['REM-2018-0004', 'REM-2018-0005']);
    expect(await numbers('?date=2018-04-03&state=IRL')).toEqual(['REM-2018-0003']);
    expect(await numbers('', 'presidency')).toHaveLength(6);
    const one = await inject('GET', '/api/v1/reminders/letters/REM-2018-0002', 'auditor');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ iso3: 'FRA', stateName: 'France', language: 'fr', level: 1, overdue: '407147.91', credit: '0.00', toPay: '407147.91' });
    expect((await inject('GET', '/api/v1/reminders/letters/REM-2018-0099')).statusCode).toBe(404);
    expect((await inject('GET', '/api/v1/reminders/letters/REM-18-1')).statusCode).toBe(400);
  });

  it('shows a State user its own reminders only; another State’s answer 404', async () => {
    expect((await due('2018-04-01', 'fra')).states.map((s) => s.iso3)).toEqual(['FRA']);
    expect((await due('2018-04-01', 'mex')).states).toEqual([]);
    const mine = await inject('GET', '/api/v1/reminders/letters', 'fra');
    expect(mine.json().map((l: { number: string }) => l.number)).toEqual(['REM-2018-0002', 'REM-2018-0005', 'REM-2019-0001']);
    expect((await inject('GET', '/api/v1/reminders/letters?state=IRL', 'fra')).statusCode).toBe(404);
    for (const url of ['/api/v1/reminders/letters/REM-2018-0003', '/api/v1/reminders/letters/REM-2018-0003/pdf']) expect((await inject('GET', url, 'fra')).statusCode, url).toBe(404);
    const pdf = await inject('GET', '/api/v1/reminders/letters/REM-2018-0002/pdf', 'fra');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('serves the PDF as issued, in the State’s language, and renders it again byte for byte after the file is lost and the bank details changed', async () => {
    const letter = (await inject('GET', '/api/v1/reminders/letters/REM-2018-0002')).json();
    const res = await inject('GET', '/api/v1/reminders/letters/REM-2018-0002/pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${letter.pdfSha256}"`);
    expect(sha(res.rawPayload)).toBe(letter.pdfSha256);
    const t = (await pdfText(res.rawPayload)).replace(/\u00a0/g, ' ');
    for (const s of ['RAPPEL', 'REM-2018-0002', 'Premier rappel', '1er avril 2018', 'ISU-2017-0001', '60 309,40', 'ISU-2018-0002', '346 838,51', '407 147,91', 'RF33 REM2 0180 002'])
      expect(t, s).toContain(s);
    expect(letter.creditorReference).toBe('RF33REM20180002');

    // A change of the bank details, approved by a second operator (four eyes, SPEC 9.8).
    const change = setIssuer(env.ctx, actor, issuerSettingsSchema.parse({ ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, bankName: 'Another Bank' } }));
    expect(change.status).toBe('pending');
    if (change.status === 'pending') approveIssuerChange(env.ctx, { ...actor, username: 'cli:second-admin' }, change.change.id);
    expect(requireIssuer(env.ctx.db).bank.bankName).toBe('Another Bank');
    const { file } = await reminderPdf(env.ctx, 'REM-2018-0002', null);
    fs.rmSync(file);
    const again = await inject('GET', '/api/v1/reminders/letters/REM-2018-0002/pdf');
    expect(again.statusCode).toBe(200);
    expect(sha(again.rawPayload)).toBe(letter.pdfSha256);
    expect(fs.existsSync(file)).toBe(true);
    // A file that was altered is replaced by the document's rendering.
    fs.writeFileSync(file, 'tampered');
    expect(sha(fs.readFileSync((await reminderPdf(env.ctx, 'REM-2018-0002', 'FRA')).file))).toBe(letter.pdfSha256);
    await expect(reminderPdf(env.ctx, 'REM-2018-0002', 'IRL')).rejects.toThrow(/not found/);
  });
});
