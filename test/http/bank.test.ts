/**
 * Bank statements in (SPEC 9.6), over HTTP, with the hand-written camt files
 * of test/fixtures/camt: lines matched by their RF reference become payments
 * applied exactly as if finance had keyed them (a twin database keys the same
 * payments through POST /payments and every figure is compared); the EUR
 * line keeps its instructed amount and rate; the same file again records
 * nothing; a wrong account, a truncated file or an unknown message answer 422
 * with nothing written; the closing balance against the ledger is right to
 * the centime; the queue's actions; who may see and do what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/services/verify.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { OPERATING, registerWithInvoices, RESERVE } from '../bank-fixtures.js';
import { auth, rowCounts, type TestEnv } from '../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'camt');
const JAN = fs.readFileSync(path.join(FIXTURES, 'camt053-001.04-operating-2018-01.xml'), 'utf8');
const NOTIFICATION = fs.readFileSync(path.join(FIXTURES, 'camt054-001.08-operating-2018-02-12.xml'), 'utf8');
const FEB = fs.readFileSync(path.join(FIXTURES, 'camt053-001.08-2018-02.xml'), 'utf8');

let env: TestEnv;
let twin: TestEnv;
const get = (e: TestEnv, url: string, user = 'finance') => e.app.inject({ url, headers: auth(e.tokens[user]) });
const post = (e: TestEnv, url: string, body: unknown, user = 'finance') => e.app.inject({ method: 'POST', url, headers: auth(e.tokens[user]), payload: body as object });
const importXml = (e: TestEnv, xml: string, user = 'finance', type = 'application/xml') =>
  e.app.inject({ method: 'POST', url: '/api/v1/bank/statements', headers: { ...auth(e.tokens[user]), 'content-type': type }, payload: xml });
const cents = (s: string) => BigInt(s.replace('.', ''));

beforeAll(async () => {
  [env, twin] = await Promise.all([registerWithInvoices(), registerWithInvoices()]);
  const res = await env.app.inject({
    method: 'PUT',
    url: '/api/v1/bank/accounts',
    headers: auth(env.tokens.admin),
    payload: { operating: { iban: 'CH56 0483 5012 3456 7800 9', currency: 'CHF' }, reserve: { iban: RESERVE, currency: 'CHF' } },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await Promise.all([env.close(), twin.close()]);
});

describe('bank accounts', () => {
  it("default to the issuer's IBAN in CHF; an admin sets them (audited), checked, nothing written when refused", async () => {
    const def = await get(twin, '/api/v1/bank/accounts');
    expect(def.json()).toEqual({ operating: { iban: OPERATING, currency: 'CHF' }, reserve: null, source: 'issuer' });
    expect((await get(twin, '/api/v1/bank/accounts', 'presidency')).statusCode).toBe(403);
    const before = rowCounts(twin.ctx);
    const put = (body: unknown, user = 'admin') => twin.app.inject({ method: 'PUT', url: '/api/v1/bank/accounts', headers: auth(twin.tokens[user]), payload: body as object });
    expect((await put({ operating: { iban: OPERATING, currency: 'CHF' } }, 'finance')).statusCode).toBe(403);
    const cases: [unknown, string][] = [
      [{ operating: { iban: 'CH56 0483 5012 3456 7800 8', currency: 'CHF' } }, 'operating.iban'],
      [{ operating: { iban: OPERATING, currency: 'chf' } }, 'operating.currency'],
      [{ operating: { iban: OPERATING, currency: 'CHF' }, reserve: { iban: OPERATING, currency: 'CHF' } }, 'reserve.iban'],
      [{ reserve: { iban: RESERVE, currency: 'CHF' } }, 'operating'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(rowCounts(twin.ctx)).toEqual(before);
    const audit = env.ctx.sqlite.prepare("SELECT username, details FROM audit_log WHERE entity_id = 'bank.accounts'").all() as { username: string; details: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.username).toBe('admin');
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ before: { source: 'issuer' }, after: { operating: { iban: OPERATING }, reserve: { iban: RESERVE } } });
    expect((await get(env, '/api/v1/bank/accounts', 'admin')).json()).toMatchObject({ source: 'settings', reserve: { iban: RESERVE, currency: 'CHF' } });
  });
});

describe('refused files', () => {
  it('a wrong account, a truncated file, an unknown message or too many decimals: 422 naming it, nothing written', async () => {
    const before = rowCounts(env.ctx);
    const cases: [string, string, RegExp][] = [
      [JAN.replace(/CH5604835012345678009/g, 'DE89370400440532013000'), 'Stmt[1].Acct.Id.IBAN', /for account DE89370400440532013000, which is not one of the ISU's accounts \(CH5604835012345678009, CH9300762011623852957\); nothing was imported/],
      [JAN.slice(0, Math.floor(JAN.length / 2)), 'body', /malformed XML/],
      [JAN.slice(0, JAN.lastIndexOf('</Document>')), 'body', /malformed XML/],
      [JAN.replace(/camt\.053\.001\.04/g, 'camt.052.001.04'), 'Document', /unknown message: urn:iso:std:iso:20022:tech:xsd:camt\.052\.001\.04/],
      [JAN.replace(/camt\.053\.001\.04/g, 'camt.053.001.09'), 'Document', /unknown message/],
      [JAN.replace(/camt\.053\.001\.04/g, 'camt.053.001.01'), 'Document', /unknown message/],
      [JAN.replace('xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"', ''), 'Document', /unknown message: <Document> without a namespace/],
      [JAN.replace('<Amt Ccy="CHF">69040.36</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>', '<Amt Ccy="CHF">69040.365</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>'), 'Stmt[1].Ntry[1].Amt', /3 decimals/],
      [JAN.replace('<Amt Ccy="CHF">11702.00</Amt>\n        <CdtDbtInd>CRDT', '<Amt Ccy="CHF">1.17E4</Amt>\n        <CdtDbtInd>CRDT'), 'Stmt[1].Ntry[2].Amt', /not a decimal amount/],
      [JAN.replace('<Sts>BOOK</Sts>', '<Sts>BOOK</Sts>').replace('<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>BOOK', '<CdtDbtInd>CRED</CdtDbtInd>\n        <Sts>BOOK'), 'Stmt[1].Ntry[1].CdtDbtInd', /CRDT or DBIT/],
      [JAN.replace('<!DOCTYPE', '').replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY x "y">]>'), 'body', /document type declaration/],
      ['', 'body', /empty/],
      ['<html><body>not a bank file</body></html>', 'Document', /unknown message/],
    ];
    for (const [xml, field, detail] of cases) {
      const res = await importXml(env, xml);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.json().detail).toMatch(detail);
    }
    expect((await importXml(env, JAN, 'finance', 'application/json')).statusCode).toBe(415);
    expect((await importXml(env, JAN, 'finance', 'text/plain')).statusCode).toBe(415);
    expect((await importXml(env, JAN, 'presidency')).statusCode).toBe(403);
    expect((await importXml(env, JAN, 'fra')).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

/** The four payments of the January statement, keyed by hand as finance would from the bank's advice. */
const KEYED = [
  { iso3: 'FRA', amount: '69040.36', receivedOn: '2018-01-10', reference: 'RF06ISU20170001', bankReference: 'EXB180110CR00041', invoice: 'ISU-2017-0001', purpose: 'assessed' },
  { iso3: 'MEX', amount: '11702.00', receivedOn: '2018-01-16', currency: 'EUR', originalAmount: '10000.00', reference: 'RF97ISU20180003', bankReference: 'EXB180115CR00077', invoice: 'ISU-2018-0003', purpose: 'assessed' },
  { iso3: 'BEN', amount: '59196.76', receivedOn: '2018-01-22', reference: 'RF54ISU20180001', bankReference: 'EXB180122CR00102-1', invoice: 'ISU-2018-0001', purpose: 'assessed' },
  { iso3: 'MEX', amount: '30959.64', receivedOn: '2018-01-22', reference: 'RF76ISU20170002', bankReference: 'EXB180122CR00102-2', invoice: 'ISU-2017-0002', purpose: 'assessed' },
];

describe('the January statement (camt.053.001.04)', () => {
  let jan: { statements: { id: number; queued: { line: number }[] }[] };

  it('records the four lines quoting our RF references as payments at once, queues the rest, compares the closing balance', async () => {
    const res = await importXml(env, JAN);
    expect(res.statusCode, res.body).toBe(201);
    jan = res.json();
    expect(res.json()).toMatchObject({
      alreadyImported: false,
      messageType: 'camt.053',
      messageVersion: '001.04',
      messageId: 'EXB-20180201-053-000117',
      counts: { entries: 6, notBooked: 1, newLines: 6, duplicates: 0, paymentsRecorded: 4, queued: 2 },
      statements: [
        {
          statementId: '053-CH5604835012345678009-2018-01',
          iban: OPERATING,
          accountRole: 'operating',
          closingBalance: { amount: '175873.76', date: '2018-01-31' },
          ledgerCash: '170898.76',
          ledgerAccounts: ['1000'],
          // The unmatched CHF 5,000.00 less the CHF 25.00 fee, both still in the queue.
          difference: '4975.00',
        },
      ],
    });
    expect(res.json().statements[0].queued.map((q: { amount: string; reason: string }) => [q.amount, q.reason])).toEqual([
      ['5000.00', 'no creditor reference: match it to a State or donor, or book it as other income'],
      ['25.00', 'money out: book it as bank charges, or ignore it with a reason'],
    ]);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('applied every payment exactly as the same payment keyed through POST /payments', async () => {
    for (const [i, body] of KEYED.entries()) {
      const res = await twin.app.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...auth(twin.tokens.finance), 'idempotency-key': `keyed-${i}` }, payload: body });
      expect(res.statusCode, res.body).toBe(201);
    }
    const strip = (ps: Record<string, unknown>[]) => ps.map(({ id: _id, createdAt: _c, ...rest }) => rest);
    const imported = (await get(env, '/api/v1/payments')).json();
    const keyed = (await get(twin, '/api/v1/payments')).json();
    expect(strip(imported)).toEqual(strip(keyed));
    expect(imported).toHaveLength(4);
    for (const iso3 of ['FRA', 'MEX', 'BEN'])
      for (const asOf of ['2018-01-16', '2018-01-31', '2018-12-31']) {
        const a = (await get(env, `/api/v1/states/${iso3}/balance?asOf=${asOf}`)).json();
        expect(a, `${iso3} ${asOf}`).toEqual((await get(twin, `/api/v1/states/${iso3}/balance?asOf=${asOf}`)).json());
      }
    const ledger = (e: TestEnv) =>
      e.ctx.sqlite
        .prepare('SELECT account_code, state_iso3, budget_year, category, CAST(SUM(amount_centimes) AS TEXT) AS s FROM postings GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4')
        .all();
    expect(ledger(env)).toEqual(ledger(twin));
    // MEX's batch line paid its 2017 invoice in full; its EUR line went to its 2018 invoice, 7(a) first.
    const mex = imported.filter((p: { iso3: string }) => p.iso3 === 'MEX');
    expect(mex.map((p: { applications: unknown[] }) => p.applications)).toEqual([
      [{ invoice: 'ISU-2018-0003', category: '7(a)', amount: '11702.00', appliedOn: '2018-01-16' }],
      [
        { invoice: 'ISU-2017-0002', category: '7(a)', amount: '15000.00', appliedOn: '2018-01-22' },
        { invoice: 'ISU-2017-0002', category: '7(b)', amount: '15959.64', appliedOn: '2018-01-22' },
      ],
    ]);
  });

  it('keeps the EUR line’s instructed amount and rate, on the line and on its payment', async () => {
    const lines = (await get(env, '/api/v1/bank/lines?status=matched')).json();
    const eur = lines.find((l: { bankReference: string }) => l.bankReference === 'EXB180115CR00077');
    expect(eur).toMatchObject({ amount: '11702.00', currency: 'CHF', original: { currency: 'EUR', amount: '10000.00', rate: '1.1702' }, valueDate: '2018-01-16', bookingDate: '2018-01-15' });
    expect(eur.action).toMatchObject({ kind: 'payment', automatic: true });
    const pay = (await get(env, `/api/v1/payments/${eur.action.paymentId}`)).json();
    expect(pay).toMatchObject({ amount: '11702.00', currency: 'EUR', originalAmount: '10000.00', bankReference: 'EXB180115CR00077' });
    // The batch entry became one line per transaction, each with its own bank reference and amount.
    const batch = lines.filter((l: { bankReference: string }) => l.bankReference.startsWith('EXB180122CR00102'));
    expect(batch.map((l: { entryKey: string; amount: string }) => [l.entryKey, l.amount])).toEqual([
      ['EXB180122CR00102-1', '59196.76'],
      ['EXB180122CR00102-2', '30959.64'],
    ]);
  });

  it('the same file again records nothing and says so (200, alreadyImported)', async () => {
    const before = rowCounts(env.ctx);
    const again = await importXml(env, JAN);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      alreadyImported: true,
      counts: { entries: 6, newLines: 0, duplicates: 6, paymentsRecorded: 0, queued: 0 },
      statements: [{ id: jan.statements[0]!.id, closingBalance: { amount: '175873.76' }, difference: '4975.00' }],
    });
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('a notification, then the statement that contains its entry (camt.054.001.08, camt.053.001.08)', () => {
  it('records the notified payment once; the statement counts it as known, records the rest, queues the reserve account’s lines', async () => {
    const n = await importXml(env, NOTIFICATION);
    expect(n.statusCode, n.body).toBe(201);
    expect(n.json()).toMatchObject({
      messageType: 'camt.054',
      messageVersion: '001.08',
      counts: { entries: 1, newLines: 1, paymentsRecorded: 1, queued: 0 },
      statements: [{ iban: OPERATING, closingBalance: null, ledgerCash: null, difference: null }],
    });
    const line = (await get(env, '/api/v1/bank/lines?status=matched')).json().find((l: { entryKey: string }) => l.entryKey === 'EXB180212CR00007');
    expect(line).toMatchObject({ bookingDate: '2018-02-12', valueDate: '2018-02-12', endToEndId: null, debtor: { name: 'Direction generale des Finances publiques', iban: 'FR7630006000011234567890189' } });
    const s = await importXml(env, FEB);
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({
      messageVersion: '001.08',
      counts: { entries: 5, newLines: 4, duplicates: 1, paymentsRecorded: 1, queued: 3 },
      statements: [
        { accountRole: 'operating', counts: { duplicates: 1, paymentsRecorded: 1, queued: 1 }, closingBalance: { amount: '417291.95' }, ledgerCash: '412313.80', difference: '4978.15' },
        { accountRole: 'reserve', iban: RESERVE, ledgerAccounts: ['1010'], closingBalance: { amount: '15000.00', date: '2018-02-28' }, ledgerCash: '0.00', difference: '15000.00' },
      ],
    });
    const reserveQueue = s.json().statements[1].queued.map((q: { reason: string }) => q.reason);
    expect(reserveQueue[1]).toMatch(/invoice ISU-2018-0002 of FRA, but the money came to the reserve account/);
    // The notified entry is one line, one payment.
    expect((env.ctx.sqlite.prepare("SELECT count(*) AS n FROM payments WHERE bank_reference = 'EXB180212CR00007'").get() as { n: number }).n).toBe(1);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('the queue', () => {
  const lineOf = async (bankReference: string) => ((await get(env, '/api/v1/bank/lines')).json() as { id: number; bankReference: string }[]).find((l) => l.bankReference === bankReference)!;

  it('lists unmatched lines with why they wait and who they may be from (suggestions, never applied)', async () => {
    const res = await get(env, '/api/v1/bank/lines?status=unmatched', 'presidency');
    expect(res.statusCode).toBe(200);
    const lines = res.json() as { bankReference: string; status: string; suggestions: unknown[]; queueReason: string; action: unknown }[];
    expect(lines.map((l) => l.bankReference)).toEqual(['EXB180129CR00131', 'EXB180131DB00009', 'EXB180215CR00501', 'EXB180226CR00502', 'EXB180228IN00001']);
    expect(lines.every((l) => l.status === 'unmatched' && l.action === null)).toBe(true);
    expect(lines[0]!.suggestions).toEqual([{ iso3: 'FRA', name: 'France', invoice: 'ISU-2018-0002', purpose: 'assessed', why: 'invoice ISU-2018-0002 is named in the text' }]);
    expect(lines[2]!.suggestions).toEqual([{ iso3: 'MEX', name: 'Mexico', invoice: null, purpose: 'reserve', why: 'the State is named in the text' }]);
    expect(lines[3]!.suggestions).toEqual([{ iso3: 'FRA', name: 'France', invoice: null, purpose: 'reserve', why: "its creditor reference is invoice ISU-2018-0002's" }]);
    expect(lines[1]!.suggestions).toEqual([]);
    const all = (await get(env, '/api/v1/bank/lines')).json();
    expect(all).toHaveLength(11); // 6 in January, 1 notified, 4 more in February (one known from the notification)
    expect((await get(env, '/api/v1/bank/lines?status=matched')).json()).toHaveLength(6);
    expect((await get(env, '/api/v1/bank/lines?status=booked')).json()).toEqual([]);
    expect((await get(env, '/api/v1/bank/lines?status=pending')).statusCode).toBe(400);
  });

  it('matches a credit line to the State and invoice finance names, with the line’s figures; once', async () => {
    const line = await lineOf('EXB180129CR00131');
    const res = await post(env, `/api/v1/bank/lines/${line.id}/match`, { iso3: 'FRA', purpose: 'assessed', invoice: 'ISU-2018-0002' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'matched', action: { kind: 'payment', automatic: false, actor: 'finance' }, queueReason: null, suggestions: [] });
    const pay = (await get(env, `/api/v1/payments/${res.json().action.paymentId}`)).json();
    expect(pay).toMatchObject({ iso3: 'FRA', amount: '5000.00', receivedOn: '2018-01-29', bankReference: 'EXB180129CR00131', invoice: 'ISU-2018-0002', purpose: 'assessed' });
    // 7(a) was paid by the CHF 100,000.00 recorded from the notification: this goes to 7(b).
    expect(pay.applications).toEqual([{ invoice: 'ISU-2018-0002', category: '7(b)', amount: '5000.00', appliedOn: '2018-01-29' }]);
    const before = rowCounts(env.ctx);
    const again = await post(env, `/api/v1/bank/lines/${line.id}/match`, { iso3: 'MEX', purpose: 'assessed' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already dealt with \(payment/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('refuses what cannot be: a debit matched, a reserve-account line as assessed money, an unknown State, another State’s invoice — nothing written', async () => {
    const fee = await lineOf('EXB180131DB00009');
    const reserveLine = await lineOf('EXB180215CR00501');
    const before = rowCounts(env.ctx);
    const cases: [number, unknown, number, string][] = [
      [fee.id, { iso3: 'FRA', purpose: 'assessed' }, 422, 'id'],
      [reserveLine.id, { iso3: 'MEX', purpose: 'assessed' }, 422, 'purpose'],
      [reserveLine.id, { iso3: 'ZZZ', purpose: 'reserve' }, 422, 'iso3'],
      [reserveLine.id, { donor: 'A foundation', purpose: 'assessed' }, 422, 'purpose'],
      [reserveLine.id, { iso3: 'MEX', donor: 'x', purpose: 'reserve' }, 422, 'iso3'],
      [reserveLine.id, { iso3: 'MEX', purpose: 'voluntary', invoice: 'ISU-2018-0003' }, 422, 'invoice'],
      [reserveLine.id, { iso3: 'MEX', purpose: 'reserve', extra: 1 }, 422, 'extra'],
      [999999, { iso3: 'MEX', purpose: 'reserve' }, 404, ''],
    ];
    for (const [id, body, status, field] of cases) {
      const res = await post(env, `/api/v1/bank/lines/${id}/match`, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // The operating account's interest line, with a reserve account of its own: not a reserve contribution.
    const interest = await lineOf('EXB180228IN00001');
    const res = await post(env, `/api/v1/bank/lines/${interest.id}/match`, { iso3: 'MEX', purpose: 'reserve' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/the reserve has an account of its own \(CH9300762011623852957\)/);
    expect((await post(env, `/api/v1/bank/lines/${interest.id}/match`, { iso3: 'MEX', purpose: 'assessed' }, 'presidency')).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('matches money on the reserve account as a contribution to the reserve (reserve cash)', async () => {
    const line = await lineOf('EXB180215CR00501');
    const res = await post(env, `/api/v1/bank/lines/${line.id}/match`, { iso3: 'MEX', purpose: 'reserve' });
    expect(res.statusCode, res.body).toBe(200);
    const reserve = (await get(env, '/api/v1/reserve?asOf=2018-02-28')).json();
    expect(reserve.balance).toBe('10000.00');
  });

  it('books the fee as bank charges (an expenditure naming the bank reference) and interest as other income (Dr cash, Cr 4300)', async () => {
    const fee = await lineOf('EXB180131DB00009');
    const interest = await lineOf('EXB180228IN00001');
    expect((await post(env, `/api/v1/bank/lines/${fee.id}/book`, { as: 'other-income' })).json().errors[0].field).toBe('as');
    expect((await post(env, `/api/v1/bank/lines/${interest.id}/book`, { as: 'bank-charges' })).json().errors[0].field).toBe('as');
    // Budget lines (SPEC 9.5): only bank charges carry one, and only when the budget has lines (this one has none).
    const before = rowCounts(env.ctx);
    expect((await post(env, `/api/v1/bank/lines/${interest.id}/book`, { as: 'other-income', line: 'staff' })).json().errors[0].field).toBe('line');
    const coded = await post(env, `/api/v1/bank/lines/${fee.id}/book`, { as: 'bank-charges', line: 'staff' });
    expect(coded.statusCode).toBe(422);
    expect(coded.json().errors[0]).toEqual({ field: 'line', message: 'the 2018 budget has no lines: leave the line out' });
    expect(rowCounts(env.ctx)).toEqual(before);
    const f = await post(env, `/api/v1/bank/lines/${fee.id}/book`, { as: 'bank-charges' });
    expect(f.statusCode, f.body).toBe(200);
    expect(f.json()).toMatchObject({ status: 'booked', action: { kind: 'bank-charges', automatic: false } });
    const exp = (await get(env, '/api/v1/expenditures?year=2018')).json();
    expect(exp).toEqual([{ id: f.json().action.expenditureId, date: '2018-01-31', amount: '25.00', description: 'Bank charges (bank ref. EXB180131DB00009): Account maintenance fee January 2018', budgetYear: 2018, line: null, reversal: null }]);
    const i = await post(env, `/api/v1/bank/lines/${interest.id}/book`, { as: 'other-income' });
    expect(i.statusCode, i.body).toBe(200);
    const postings = env.ctx.sqlite
      .prepare('SELECT account_code AS account, CAST(amount_centimes AS TEXT) AS amount FROM postings WHERE entry_id = ? ORDER BY account_code')
      .all(i.json().action.journalEntryId);
    expect(postings).toEqual([
      { account: '1000', amount: '315' },
      { account: '4300', amount: '-315' },
    ]);
    // The cash-flow outlook counts other income as money in.
    const feb = (await get(env, '/api/v1/cashflow?year=2018&asOf=2018-02-28')).json().months[1];
    expect(feb.receipts).toBe('241418.19'); // 100,000.00 + 141,415.04 + 3.15
    expect(feb.actualSpending).toBe('0.00');
    expect((await post(env, `/api/v1/bank/lines/${interest.id}/book`, { as: 'other-income' })).statusCode).toBe(409);
  });

  it('ignores a line with its reason; the closing balances then agree with the ledger but for what was ignored', async () => {
    const line = await lineOf('EXB180226CR00502');
    expect((await post(env, `/api/v1/bank/lines/${line.id}/book`, { as: 'other-income' })).json().detail).toMatch(/reserve account/);
    expect((await post(env, `/api/v1/bank/lines/${line.id}/ignore`, { reason: '' })).statusCode).toBe(422);
    const res = await post(env, `/api/v1/bank/lines/${line.id}/ignore`, { reason: 'France paid to the wrong account; the bank moves it to the operating account' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ignored', action: { kind: 'ignored', reason: 'France paid to the wrong account; the bank moves it to the operating account' } });
    expect((await post(env, `/api/v1/bank/lines/${line.id}/ignore`, { reason: 'again' })).statusCode).toBe(409);
    const statements = (await get(env, '/api/v1/bank/statements', 'auditor')).json() as { statementId: string; difference: string | null; lines: Record<string, number> }[];
    expect(statements.map((s) => [s.statementId, s.difference, s.lines])).toEqual([
      ['053-CH5604835012345678009-2018-01', '0.00', { total: 6, unmatched: 0, matched: 5, booked: 1, ignored: 0 }],
      ['054-CH5604835012345678009-20180212-1', null, { total: 1, unmatched: 0, matched: 1, booked: 0, ignored: 0 }],
      ['053-CH5604835012345678009-2018-02', '0.00', { total: 2, unmatched: 0, matched: 1, booked: 1, ignored: 0 }],
      ['053-CH9300762011623852957-2018-02', '5000.00', { total: 2, unmatched: 0, matched: 1, booked: 0, ignored: 1 }],
    ]);
    expect((await get(env, '/api/v1/bank/lines?status=unmatched')).json()).toEqual([]);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('a State user sees no bank line; presidency and auditors read but change nothing', async () => {
    for (const url of ['/api/v1/bank/lines', '/api/v1/bank/lines/1', '/api/v1/bank/statements', '/api/v1/bank/accounts']) expect((await get(env, url, 'fra')).statusCode, url).toBe(403);
    expect((await get(env, '/api/v1/bank/lines/1', 'auditor')).statusCode).toBe(200);
    expect((await get(env, '/api/v1/bank/lines/999999')).statusCode).toBe(404);
    for (const user of ['presidency', 'auditor', 'admin', 'fra'])
      expect((await post(env, '/api/v1/bank/lines/1/ignore', { reason: 'x' }, user)).statusCode, user).toBe(403);
  });
});

describe('import totals', () => {
  it('every line is a payment of the amount the bank booked; the payments add up to the credits matched', () => {
    const sum = (q: string) => (env.ctx.sqlite.prepare(q).safeIntegers(true).get() as { s: bigint }).s;
    expect(sum("SELECT SUM(p.amount_centimes) AS s FROM payments p JOIN bank_line_actions a ON a.payment_id = p.id")).toBe(
      sum("SELECT SUM(l.amount_centimes) AS s FROM bank_lines l JOIN bank_line_actions a ON a.line_id = l.id WHERE a.action = 'payment'"),
    );
    expect(cents('417291.95') - cents('175873.76')).toBe(cents('100000.00') + cents('141415.04') + cents('3.15'));
  });
});
