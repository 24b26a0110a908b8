/**
 * Bank statements in (SPEC 9.6), the cases around the fixtures: the parser
 * on every shape it meets; lines whose reference cannot be recorded at once
 * (a closed period, a cancelled invoice, a transfer keyed by hand before, the
 * reserve account, an account in another currency) wait with their reason;
 * a reminder's reference makes the money the State's, applied oldest first,
 * as if keyed; the operating account's ledger cash includes the reserve's
 * while the reserve has no account of its own; and isu verify reports a bank
 * line whose payment or booking was tampered with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camt053, type WriterEntry } from '../../scripts/camt-writer.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { creditorReference } from '../../src/domain/creditor-reference.js';
import { cliActor } from '../../src/services/actor.js';
import { setBankAccounts } from '../../src/services/bank/accounts.js';
import { parseCamt } from '../../src/services/bank/camt.js';
import { importBankFile } from '../../src/services/bank/import.js';
import { bookBankLine, getBankLine, listBankLines, matchBankLine } from '../../src/services/bank/lines.js';
import { cancelInvoice, reissueInvoice } from '../../src/services/invoices.js';
import { listPayments, recordPayment } from '../../src/services/payments.js';
import { closePeriod } from '../../src/services/periods.js';
import { recordExpenditure } from '../../src/services/reserve.js';
import { verifyLedger } from '../../src/services/verify.js';
import { bankAccountsIn } from '../../src/schemas/bank.js';
import { makeEnv, rowCounts, type TestEnv } from '../helpers.js';
import { OPERATING, register, registerWithInvoices, RESERVE } from '../bank-fixtures.js';

const actor = cliActor('test');
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'camt');

let seq = 0;
/** A camt.053.001.08 of the operating account with these entries. */
function statement(entries: WriterEntry[], opts: { iban?: string; currency?: string; opening?: string } = {}) {
  seq++;
  return camt053({
    messageId: `TEST-${seq}`,
    createdAt: '2018-07-01T06:00:00',
    statements: [{ id: `STMT-${seq}`, sequence: seq, iban: opts.iban ?? OPERATING, currency: opts.currency, from: '2018-06-01', to: '2018-06-30', opening: opts.opening ?? '0.00', entries }],
  });
}
const credit = (ref: string, amount: string, valueDate: string, more: Partial<WriterEntry> = {}): WriterEntry => ({ ref, direction: 'credit', amount, valueDate, ...more });

describe('the camt parser', () => {
  it('reads the three fixtures exactly', () => {
    const jan = parseCamt(fs.readFileSync(path.join(FIXTURES, 'camt053-001.04-operating-2018-01.xml'), 'utf8'));
    expect(jan.statements[0]!.lines.map((l) => [l.entryKey, l.direction, l.amountCentimes, l.valueDate, l.structuredReference, l.original])).toEqual([
      ['EXB180110CR00041', 'credit', 6904036n, '2018-01-10', 'RF06 ISU2 0170 001', null],
      ['EXB180115CR00077', 'credit', 1170200n, '2018-01-16', 'RF97ISU20180003', { currency: 'EUR', amount: '10000.00', rate: '1.1702' }],
      ['EXB180122CR00102-1', 'credit', 5919676n, '2018-01-22', 'RF54ISU20180001', null],
      ['EXB180122CR00102-2', 'credit', 3095964n, '2018-01-22', 'RF76ISU20170002', null],
      ['EXB180129CR00131', 'credit', 500000n, '2018-01-29', null, null],
      ['EXB180131DB00009', 'debit', 2500n, '2018-01-31', null, null],
    ]);
    expect(jan.statements[0]).toMatchObject({ entryCount: 6, notBooked: 1, openingBalance: { amountCentimes: 0n, date: '2018-01-01' }, closingBalance: { amountCentimes: 17587376n, date: '2018-01-31' } });
    expect(jan.statements[0]!.lines[4]).toMatchObject({ debtorName: 'Ambassade de France', unstructured: 'Contribution France facture isu 2018 2 acompte', endToEndId: null });
    expect(jan.statements[0]!.lines[0]).toMatchObject({ debtorName: "Ministere de l'Europe et des Affaires etrangeres", debtorIban: 'FR7630006000011234567890189', endToEndId: 'MEAE-2018-CCM-0042' });
    expect(jan.statements[0]!.lines[5]!.unstructured).toBe('Account maintenance fee January 2018');
    const n = parseCamt(fs.readFileSync(path.join(FIXTURES, 'camt054-001.08-operating-2018-02-12.xml'), 'utf8'));
    expect(n).toMatchObject({ type: 'camt.054', version: '001.08', messageId: 'EXB-20180212-054-000311' });
    expect(n.statements[0]).toMatchObject({ iban: OPERATING, closingBalance: null, lines: [{ bookingDate: '2018-02-12', debtorName: 'Direction generale des Finances publiques' }] });
    const feb = parseCamt(fs.readFileSync(path.join(FIXTURES, 'camt053-001.08-2018-02.xml'), 'utf8'));
    expect(feb.statements.map((s) => [s.iban, s.closingBalance!.amountCentimes, s.lines.length])).toEqual([
      [OPERATING, 41729195n, 3],
      [RESERVE, 1500000n, 2],
    ]);
  });

  it('tells the versions apart by the namespace, prefixed or not, 001.02 to 001.08', () => {
    const base = statement([credit('R1', '10.00', '2018-06-05')]);
    for (const v of ['02', '03', '04', '05', '06', '07', '08']) expect(parseCamt(base.replace('camt.053.001.08', `camt.053.001.${v}`)).version).toBe(`001.${v}`);
    const prefixed = base.replace('<Document xmlns=', '<c:Document xmlns:c=').replace('</Document>', '</c:Document>');
    expect(parseCamt(prefixed).type).toBe('camt.053');
    expect(() => parseCamt(base.replace('xmlns=', 'xmlns:c='))).toThrow(/unknown message/);
    expect(() => parseCamt(base.replace('BkToCstmrStmt>', 'BkToCstmrDbtCdtNtfctn>').replace('BkToCstmrStmt>', 'BkToCstmrDbtCdtNtfctn>'))).toThrow(/BkToCstmrStmt: is missing/);
    expect(() => parseCamt(base.replace(/<Stmt>[\s\S]*<\/Stmt>/, ''))).toThrow(/no statement/);
    const twice = base.replace(/(<Stmt>[\s\S]*<\/Stmt>)/, '$1$1');
    expect(() => parseCamt(twice)).toThrow(/Stmt\[2\]\.Id: STMT-\d+ is the id of an earlier statement of the file/);
    expect(parseCamt(`\uFEFF${base}`).messageId).toMatch(/^TEST-/);
  });

  it('reads dates and times, signed balances, entries without details, and refuses what it cannot read exactly', () => {
    const xml = statement([credit('R1', '10.50', '2018-06-05', { bookingDate: '2018-06-04' })], { opening: '-20.00' }).replace(/<Amt Ccy="CHF">10.50<\/Amt>/g, '<Amt Ccy="CHF">0010.50</Amt>');
    const s = parseCamt(xml).statements[0]!;
    expect(s.openingBalance).toEqual({ amountCentimes: -2000n, date: '2018-06-01' });
    expect(s.closingBalance).toEqual({ amountCentimes: -950n, date: '2018-06-30' });
    expect(s.lines[0]).toMatchObject({ amountCentimes: 1050n, bookingDate: '2018-06-04', valueDate: '2018-06-05', structuredReference: null, unstructured: null, debtorName: null });
    const dtTm = xml.replace('<ValDt><Dt>2018-06-05</Dt></ValDt>', '<ValDt><DtTm>2018-06-06T23:10:00+02:00</DtTm></ValDt>');
    expect(parseCamt(dtTm).statements[0]!.lines[0]!.valueDate).toBe('2018-06-06');
    const noValue = xml.replace('<ValDt><Dt>2018-06-05</Dt></ValDt>', '');
    expect(parseCamt(noValue).statements[0]!.lines[0]!.valueDate).toBe('2018-06-04');
    expect(() => parseCamt(noValue.replace('<BookgDt><Dt>2018-06-04</Dt></BookgDt>', ''))).toThrow(/neither a value date nor a booking date/);
    expect(() => parseCamt(xml.replace('2018-06-05', '2018-06-31'))).toThrow(/"2018-06-31" is not a date/);
    expect(() => parseCamt(xml.replace(/<Ntry>[\s\S]*?<Amt Ccy="CHF">0010.50/, (m) => m.replace('CHF', 'EUR')))).toThrow(/is in EUR; the account is in CHF/);
    expect(() => parseCamt(xml.replace('<IBAN>CH5604835012345678009</IBAN>', '<Othr><Id>12345</Id></Othr>'))).toThrow(/not named by an IBAN/);
    expect(() => parseCamt(xml.replace('CH5604835012345678009', 'CH5604835012345678008'))).toThrow(/not a valid IBAN/);
    expect(() => parseCamt(xml.replace('<Amt Ccy="CHF">0010.50</Amt>\n        <CdtDbtInd>', '<Amt Ccy="CHF">0.00</Amt>\n        <CdtDbtInd>'))).toThrow(/is zero/);
    expect(() => parseCamt(xml.replace('<MsgId>', '<MsgIdX>').replace('</MsgId>', '</MsgIdX>'))).toThrow(/GrpHdr.MsgId: is missing/);
  });

  it('splits a batch only when its transactions carry amounts that add up to the entry; otherwise one line with the shared text', () => {
    const batch = (amounts: [string, string], total: string) =>
      statement([credit('B1', total, '2018-06-05', { unstructured: ['x'] })]).replace(
        /<NtryDtls>[\s\S]*<\/NtryDtls>/,
        `<NtryDtls>${amounts
          .map(
            (a, i) =>
              `<TxDtls><Refs><EndToEndId>E${i}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="CHF">${a}</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>part ${i}</Ustrd><Strd><CdtrRefInf><Ref>${creditorReference(`ISU2018000${i + 1}`)}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`,
          )
          .join('')}</NtryDtls>`,
      );
    const split = parseCamt(batch(['10.00', '5.50'], '15.50')).statements[0]!.lines;
    expect(split.map((l) => [l.entryKey, l.txIndex, l.amountCentimes, l.acctSvcrRef, l.endToEndId, l.unstructured])).toEqual([
      ['B1/1', 1, 1000n, 'B1', 'E0', 'part 0'],
      ['B1/2', 2, 550n, 'B1', 'E1', 'part 1'],
    ]);
    const whole = parseCamt(batch(['10.00', '5.00'], '15.50')).statements[0]!.lines;
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatchObject({ entryKey: 'B1', txIndex: null, amountCentimes: 1550n, structuredReference: null, unstructured: 'part 0 part 1', endToEndId: null });
  });
});

describe('lines that wait, and why', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await registerWithInvoices();
  });
  afterAll(() => env.close());

  it('records nothing in a closed period, for a cancelled invoice, or for a transfer already keyed by hand; each waits with its reason', async () => {
    closePeriod(env.ctx, actor, { through: '2018-03-31', reason: 'Q1 closed' });
    await cancelInvoice(env.ctx, actor, 'ISU-2018-0002', { reason: 'issued by mistake', date: '2018-04-03' });
    const reissued = await reissueInvoice(env.ctx, actor, 'ISU-2018-0002', { reason: 'issued again', date: '2018-04-04' });
    recordPayment(env.ctx, actor, 'keyed-1', { iso3: 'BEN', amount: '100.00', receivedOn: '2018-06-11', bankReference: 'K1', reference: 'RF54ISU20180001' });
    const before = rowCounts(env.ctx);
    const { result } = importBankFile(
      env.ctx,
      actor,
      statement([
        credit('L1', '500.00', '2018-03-30', { creditorReference: 'RF97ISU20180003' }),
        credit('C1', '600.00', '2018-06-05', { creditorReference: 'RF27 ISU2 0180 002' }),
        credit('K1', '100.00', '2018-06-11', { creditorReference: 'RF54ISU20180001' }),
        credit('Q1', '70.00', '2018-06-12', { creditorReference: '210000000003139471430009017' }),
        credit('U1', '80.00', '2018-06-13', { creditorReference: creditorReference('XYZ123') }),
        credit('F1', '90.00', '2099-06-13', { creditorReference: 'RF97ISU20180003' }),
        // Refused by the payments service itself (the invoice is later than the money): nothing of it is written.
        credit('X1', '95.00', '2018-04-02', { creditorReference: reissued.creditorReference }),
      ]),
    );
    expect(result.counts).toMatchObject({ newLines: 7, paymentsRecorded: 0, queued: 7 });
    expect(result.statements[0]!.queued.map((q) => q.reason)).toEqual([
      'the reference is invoice ISU-2018-0003 of MEX, but the value date 2018-03-30 is in a closed period (locked through 2018-03-31)',
      `the reference is invoice ISU-2018-0002 of FRA, cancelled by CN-2018-0001: the money is FRA's; match it to FRA (invoice ${reissued.number} was issued in its place)`,
      'the reference is invoice ISU-2018-0001 of BEN, but bank reference K1 is already on payment 1: the same transfer keyed by hand? ignore the line once checked',
      'reference 210000000003139471430009017 is not an RF creditor reference of ours (a QR reference, or a typo)',
      `reference ${creditorReference('XYZ123')} is none of our invoices or reminders`,
      'the reference is invoice ISU-2018-0003 of MEX, but the value date 2099-06-13 is in the future',
      `invoice: invoice ${reissued.number} was issued on 2018-04-04, after the value date`,
    ]);
    const after = rowCounts(env.ctx);
    for (const table of ['payments', 'journal_entries', 'postings', 'applications', 'bank_line_actions']) expect(after[table], table).toBe(before[table]);
    expect(after.bank_lines).toBe(before.bank_lines! + 7);
    // The cancelled invoice's line suggests its State and the invoice issued in its place.
    const cancelled = listBankLines(env.ctx, { status: 'unmatched' }).find((l) => l.entryKey === 'C1')!;
    expect(cancelled.suggestions).toEqual([{ iso3: 'FRA', name: 'France', invoice: reissued.number, purpose: 'assessed', why: "its creditor reference is invoice ISU-2018-0002's" }]);
    matchBankLine(env.ctx, actor, cancelled.id, { iso3: 'FRA', purpose: 'assessed', invoice: reissued.number });
    expect(getBankLine(env.ctx, cancelled.id).status).toBe('matched');
    // Nothing is booked into the closed period either.
    const locked = listBankLines(env.ctx, { status: 'unmatched' }).find((l) => l.entryKey === 'L1')!;
    expect(() => bookBankLine(env.ctx, actor, locked.id, { as: 'other-income' })).toThrow(/closed period/);
    expect(() => matchBankLine(env.ctx, actor, locked.id, { iso3: 'MEX', purpose: 'assessed' })).toThrow(/closed period/);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('queues every line of an account kept in another currency', () => {
    const e = bankAccountsIn.parse({ operating: { iban: OPERATING, currency: 'CHF' }, reserve: { iban: RESERVE, currency: 'EUR' } });
    setBankAccounts(env.ctx, actor, e);
    const { result } = importBankFile(env.ctx, actor, statement([credit('E1', '100.00', '2018-06-20', { creditorReference: 'RF97ISU20180003' })], { iban: RESERVE, currency: 'EUR' }));
    expect(result.statements[0]).toMatchObject({ accountRole: 'reserve', currency: 'EUR', closingBalance: { amount: '100.00' }, ledgerCash: null, difference: null });
    expect(result.statements[0]!.queued[0]!.reason).toBe('the reference is invoice ISU-2018-0003 of MEX, but the account is in EUR: payments are recorded in CHF');
    expect(() => importBankFile(env.ctx, actor, statement([credit('E2', '1.00', '2018-06-20')], { iban: RESERVE, currency: 'CHF' }))).toThrow(/kept in EUR, the file says CHF/);
    const line = listBankLines(env.ctx, { status: 'unmatched' }).find((l) => l.entryKey === 'E1')!;
    expect(() => matchBankLine(env.ctx, actor, line.id, { iso3: 'MEX', purpose: 'reserve' })).toThrow(/kept in EUR/);
  });
});

describe("a reminder's reference", () => {
  let env: TestEnv;
  let twin: TestEnv;
  beforeAll(async () => {
    [env, twin] = await Promise.all([registerWithInvoices(), registerWithInvoices()]);
  });
  afterAll(async () => {
    await Promise.all([env.close(), twin.close()]);
  });

  it("makes the money the State's, applied oldest first, exactly as keyed with the reference", () => {
    const reference = creditorReference('REM20180001');
    env.ctx.sqlite
      .prepare(
        `INSERT INTO reminders (number, state_iso3, as_of, issue_date, level, total_centimes, reference, language, document, pdf_sha256, created_by)
         VALUES ('REM-2018-0001', 'MEX', '2018-04-30', '2018-04-30', 1, 18407668, ?, 'es', '{}', ?, 'test')`,
      )
      .run(reference, 'a'.repeat(64));
    env.ctx.sqlite
      .prepare("INSERT INTO reminder_lines (reminder_number, invoice_number, due_date, outstanding_centimes) VALUES ('REM-2018-0001', 'ISU-2018-0003', '2018-03-31', 18407668)")
      .run();
    const { result } = importBankFile(env.ctx, actor, statement([credit('M1', '40000.00', '2018-06-05', { creditorReference: reference })]));
    expect(result.counts.paymentsRecorded).toBe(1);
    recordPayment(twin.ctx, actor, 'keyed', { iso3: 'MEX', amount: '40000.00', receivedOn: '2018-06-05', reference, bankReference: 'M1' });
    const strip = ({ id: _i, createdAt: _c, ...rest }: Record<string, unknown>) => rest;
    const [imported] = listPayments(env.ctx, {}, null);
    expect(strip(imported as never)).toEqual(strip(listPayments(twin.ctx, {}, null)[0] as never));
    expect(imported!.invoice).toBeNull();
    expect(imported!.applications.map((a) => [a.invoice, a.category, a.amount])).toEqual([
      ['ISU-2017-0002', '7(a)', '15000.00'],
      ['ISU-2017-0002', '7(b)', '15959.64'],
      ['ISU-2018-0003', '7(a)', '9040.36'],
    ]);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('accounts', () => {
  it('without a reserve account, the operating account holds the reserve too: its ledger cash is 1000 + 1010', async () => {
    const env = await registerWithInvoices();
    try {
      recordPayment(env.ctx, actor, 'r', { donor: 'A foundation', amount: '300.00', receivedOn: '2018-06-01', purpose: 'reserve' });
      recordExpenditure(env.ctx, actor, { date: '2018-06-02', amount: '50.00', description: 'rent' });
      const { result } = importBankFile(env.ctx, actor, statement([credit('A1', '1000.00', '2018-06-05', { creditorReference: 'RF54ISU20180001' })], { opening: '250.00' }));
      expect(result.statements[0]).toMatchObject({ accountRole: 'operating', ledgerAccounts: ['1000', '1010'], closingBalance: { amount: '1250.00' }, ledgerCash: '1250.00', difference: '0.00' });
      // A reserve contribution on that account is one to match.
      const { result: r2 } = importBankFile(env.ctx, actor, statement([credit('A2', '10.00', '2018-06-06', { unstructured: ['reserve contribution Mexico'] })]));
      const line = getBankLine(env.ctx, r2.statements[0]!.queued[0]!.line);
      expect(line.suggestions).toEqual([{ iso3: 'MEX', name: 'Mexico', invoice: null, purpose: 'assessed', why: 'the State is named in the text' }]);
      expect(matchBankLine(env.ctx, actor, line.id, { iso3: 'MEX', purpose: 'reserve' }).status).toBe('matched');
      expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it('with no account configured at all (no issuer), a file is refused, nothing written', async () => {
    const env = await makeEnv((ctx) => register(ctx));
    try {
      env.ctx.sqlite.prepare("DELETE FROM settings WHERE key = 'issuer'").run();
      const before = rowCounts(env.ctx);
      expect(() => importBankFile(env.ctx, actor, statement([credit('N1', '1.00', '2018-06-05')]))).toThrow(/no bank account of the ISU is configured/);
      expect(rowCounts(env.ctx)).toEqual(before);
    } finally {
      await env.close();
    }
  });
});

describe('isu verify and bank lines', () => {
  it('reports a matched line whose payment, or a booked line whose entry, was tampered with', async () => {
    const env = await registerWithInvoices();
    try {
      const { result } = importBankFile(
        env.ctx,
        actor,
        statement([
          credit('T1', '1000.00', '2018-06-05', { creditorReference: 'RF54ISU20180001' }),
          credit('T2', '3.00', '2018-06-06', { additionalInfo: 'interest' }),
          { ref: 'T3', direction: 'debit', amount: '7.00', valueDate: '2018-06-07', additionalInfo: 'fee' },
        ]),
      );
      const [t2, t3] = result.statements[0]!.queued.map((q) => q.line);
      bookBankLine(env.ctx, actor, t2!, { as: 'other-income' });
      bookBankLine(env.ctx, actor, t3!, { as: 'bank-charges' });
      const failing = () => verifyLedger(env.ctx).checks.filter((c) => !c.ok).map((c) => c.name);
      expect(failing()).toEqual([]);
      const { sqlite } = env.ctx;
      // Someone with the database file drops the guards and edits the records.
      sqlite.exec('DROP TRIGGER payments_no_update');
      sqlite.prepare("UPDATE payments SET received_on = '2018-06-04' WHERE bank_reference = 'T1'").run();
      expect(failing()).toEqual(expect.arrayContaining([expect.stringMatching(/^append-only triggers/), expect.stringMatching(/^every bank line recorded as a payment/)]));
      sqlite.prepare("UPDATE payments SET received_on = '2018-06-05' WHERE bank_reference = 'T1'").run();
      expect(failing().filter((n) => /bank line/.test(n))).toEqual([]);
      sqlite.prepare("UPDATE payments SET state_iso3 = 'FRA' WHERE bank_reference = 'T1'").run();
      expect(failing()).toContainEqual(expect.stringMatching(/^every bank line recorded as a payment/));
      sqlite.prepare("UPDATE payments SET state_iso3 = 'BEN' WHERE bank_reference = 'T1'").run();
      sqlite.exec('DROP TRIGGER bank_lines_no_update');
      sqlite.prepare("UPDATE bank_lines SET amount_centimes = 400 WHERE entry_key = 'T2'").run();
      expect(failing()).toContainEqual(expect.stringMatching(/^every booked bank line's journal entry/));
      sqlite.prepare("UPDATE bank_lines SET amount_centimes = 300 WHERE entry_key = 'T2'").run();
      sqlite.exec('DROP TRIGGER expenditures_no_update');
      sqlite.prepare("UPDATE expenditures SET date = '2018-06-08' WHERE description LIKE 'Bank charges (bank ref. T3)%'").run();
      expect(failing()).toContainEqual(expect.stringMatching(/^every booked bank line's journal entry/));
    } finally {
      await env.close();
    }
  });
});
