/**
 * The bank pages without a browser (inject) on the demo: uploading a
 * camt.053 (multipart/form-data, the CSRF and `_idem` tokens as form fields):
 * a line with one of our RF references recorded as a payment at once, the
 * other queued, the counts shown; the same file again recorded nothing and
 * said so; a malformed file or one for another account refused at the file
 * field (422, nothing written); the CSRF guard; the queue filtered through
 * the query string; working a line (match to a State, book a fee, ignore)
 * once whatever the double submits; field errors; the roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_TEXT } from '../../src/http/pages/bank-text.js';
import { listInvoices, type InvoiceOut } from '../../src/services/invoices.js';
import { getBankLine } from '../../src/services/bank/lines.js';
import { verifyLedger } from '../../src/services/verify.js';
import { rowCounts } from '../helpers.js';
import { count, dataText, daysAgo, demoEnv, Sessions, statementFor, today, tokensOf, type DemoEnv } from './books-helpers.js';

let env: DemoEnv;
let s: Sessions;
let inv: InvoiceOut;
let file: string;
const t = BANK_TEXT.en;

beforeAll(async () => {
  env = await demoEnv('isu-bank-pages-');
  s = new Sessions(env.app);
  await s.loginAll();
  inv = listInvoices(env.ctx, { year: 2018 }, null).find((i) => i.status !== 'cancelled' && i.remaining !== '0.00' && i.iso3 !== 'LSO')!;
  file = statementFor(env.ctx, 'PAGES-STMT-1', [
    { ref: 'PG-0001', direction: 'credit', amount: '100.00', valueDate: daysAgo(1), debtorName: 'Treasury', creditorReference: inv.creditorReference },
    { ref: 'PG-0002', direction: 'credit', amount: '55.00', valueDate: daysAgo(1), debtorName: 'Someone', unstructured: ['Gift'] },
  ]);
}, 120_000);
afterAll(() => env.close());

const xml = (content: string) => ({ name: 'camt053.xml', type: 'application/xml', content });

describe('who may', () => {
  it('finance has the pages; the Presidency, the auditors and admin get the 403 page, a State user a 404', async () => {
    for (const url of ['/bank', '/bank/queue', '/bank/lines/5']) {
      expect((await s.get('finance', url)).statusCode, url).toBe(200);
      for (const u of ['presidency', 'auditor', 'admin']) expect((await s.get(u, url)).statusCode, `${u} ${url}`).toBe(403);
      expect((await s.get('france', url)).statusCode, url).toBe(404);
    }
    expect((await s.get('finance', '/bank/lines/999')).statusCode).toBe(404);
  });
});

describe('uploading a statement', () => {
  let location: string;

  it('records the line with our RF reference as a payment and queues the other: 303 to the counts', async () => {
    const page = await s.get('finance', '/bank');
    expect(page.body).toContain('enctype="multipart/form-data"');
    const tokens = tokensOf(page.body, '/bank/statements');
    const payments = count(env.ctx, 'payments');
    const res = await s.upload('finance', '/bank/statements', tokens, xml(file));
    expect(res.statusCode, res.body).toBe(303);
    location = res.headers.location as string;
    expect(location).toMatch(/^\/bank\?imported=\d+&entries=2&lines=2&recorded=1&queued=1&duplicates=0$/);
    expect(count(env.ctx, 'payments')).toBe(payments + 1);
    // A double submit: the same result, nothing more.
    const again = await s.upload('finance', '/bank/statements', tokens, xml(file));
    expect(again.headers.location).toBe(location);
    expect(count(env.ctx, 'payments')).toBe(payments + 1);
    const result = await s.get('finance', location);
    expect(result.body).toContain(t.importedTitle);
    expect(result.body).toContain(t.importedText(1, 1));
    expect(dataText(result.body, 'data-count', 'recorded')).toBe('1');
    expect(dataText(result.body, 'data-count', 'queued')).toBe('1');
    const paid = env.ctx.sqlite.prepare("SELECT amount_centimes AS a, state_iso3 AS iso3 FROM payments WHERE bank_reference = 'PG-0001'").safeIntegers(true).get() as { a: bigint; iso3: string };
    expect(paid).toEqual({ a: 10_000n, iso3: inv.iso3 });
  });

  it('the same file again (a new form): recorded nothing, and the page says it was already imported', async () => {
    const page = await s.get('finance', '/bank');
    const before = rowCounts(env.ctx);
    const res = await s.upload('finance', '/bank/statements', tokensOf(page.body, '/bank/statements'), xml(file));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('already=1');
    expect(rowCounts(env.ctx)).toEqual(before);
    const result = await s.get('finance', res.headers.location as string);
    expect(result.body).toContain(t.alreadyText);
  });

  it('malformed XML, a file for another account, no file: 422 at the file field, nothing written', async () => {
    const page = await s.get('finance', '/bank');
    const tokens = tokensOf(page.body, '/bank/statements');
    const before = rowCounts(env.ctx);
    const broken = await s.upload('finance', '/bank/statements', tokens, xml('<Document><BkToCstmrStmt>'));
    expect(broken.statusCode).toBe(422);
    expect(broken.body).toMatch(/id="camt-file"[^>]*aria-invalid="true"/);
    expect(broken.body).toContain('The file was refused; nothing was imported');
    const other = statementFor(env.ctx, 'PAGES-STMT-X', [{ ref: 'PG-X', direction: 'credit', amount: '1.00', valueDate: daysAgo(1) }], 'CH9300762011623852957');
    const foreign = await s.upload('finance', '/bank/statements', tokens, xml(other));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('CH9300762011623852957 is not one of the ISU&#39;s accounts');
    const none = await s.upload('finance', '/bank/statements', tokens, null);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain(t.fileMissing);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('in French, the refusal of another account is said in French', async () => {
    const page = await s.get('finance', '/bank?lang=fr');
    const other = statementFor(env.ctx, 'PAGES-STMT-Y', [{ ref: 'PG-Y', direction: 'credit', amount: '1.00', valueDate: daysAgo(1) }], 'CH9300762011623852957');
    const res = await s.upload('finance', '/bank/statements?lang=fr', tokensOf(page.body, '/bank/statements'), xml(other));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('n’est pas l’un des comptes de l’ISU');
    await s.get('finance', '/bank?lang=en');
  });

  it('without the session’s CSRF token, or by the Presidency: 403, nothing written', async () => {
    const page = await s.get('finance', '/bank');
    const tokens = tokensOf(page.body, '/bank/statements');
    const before = rowCounts(env.ctx);
    const other = statementFor(env.ctx, 'PAGES-STMT-2', [{ ref: 'PG-0009', direction: 'credit', amount: '9.00', valueDate: daysAgo(1) }]);
    expect((await s.upload('finance', '/bank/statements', { _idem: tokens._idem }, xml(other))).statusCode).toBe(403);
    expect((await s.upload('finance', '/bank/statements', { ...tokens, _csrf: 'x'.repeat(43) }, xml(other))).statusCode).toBe(403);
    expect((await s.upload('presidency', '/bank/statements', tokens, xml(other))).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('the queue', () => {
  it('lists the waiting lines, with why each waits; the filter is in the query string', async () => {
    const res = await s.get('finance', '/bank/queue');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/bank/lines/5"');
    expect(res.body).toContain('href="/bank/lines/6"');
    expect(res.body).not.toContain('href="/bank/lines/1"'); // matched at the demo's import
    expect(res.body).toContain('no creditor reference: match it to a State or donor');
    const all = await s.get('finance', '/bank/queue?status=all&statement=1');
    expect(all.body).toContain('href="/bank/lines/1"');
    expect(all.body).toMatch(/<option value="all" selected>/);
    expect((await s.get('finance', '/bank/queue?status=lost')).statusCode).toBe(400);
  });
});

describe('working a line', () => {
  it('matching a credit to a State Party: 303 to the line, the payment recorded once', async () => {
    const page = await s.get('finance', '/bank/lines/5');
    expect(page.body).toContain(t.suggestionsTitle);
    expect(page.body).toMatch(/<option value="LSO" selected>/); // the suggestion prefilled
    const form = { ...tokensOf(page.body, '/bank/lines/5/match'), iso3: 'LSO', donor: '', purpose: 'assessed', invoice: '' };
    const payments = count(env.ctx, 'payments');
    const first = await s.post('finance', '/bank/lines/5/match', form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe('/bank/lines/5?done=match');
    const again = await s.post('finance', '/bank/lines/5/match', form);
    expect(again.headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'payments')).toBe(payments + 1);
    expect(getBankLine(env.ctx, 5).status).toBe('matched');
    const done = await s.get('finance', first.headers.location as string);
    expect(done.body).toContain(t.doneNotice.match);
    expect(done.body).toMatch(/href="\/payments\/\d+"/);
    expect(done.body).not.toContain('action="/bank/lines/5/match"');
  });

  it('neither a State nor a donor: 422 at the State field, nothing written', async () => {
    const queued = env.ctx.sqlite.prepare("SELECT id FROM bank_lines WHERE entry_key LIKE '%PG-0002%' OR acct_svcr_ref = 'PG-0002'").get() as { id: number };
    const page = await s.get('finance', `/bank/lines/${queued.id}`);
    const before = rowCounts(env.ctx);
    const res = await s.post('finance', `/bank/lines/${queued.id}/match`, { ...tokensOf(page.body, `/bank/lines/${queued.id}/match`), iso3: '', donor: '', purpose: 'voluntary', invoice: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="match-iso3" name="iso3" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('ignoring a line needs a reason; with one, it leaves the queue once', async () => {
    const queued = env.ctx.sqlite.prepare("SELECT id FROM bank_lines WHERE acct_svcr_ref = 'PG-0002'").get() as { id: number };
    const page = await s.get('finance', `/bank/lines/${queued.id}`);
    const tokens = tokensOf(page.body, `/bank/lines/${queued.id}/ignore`);
    const before = rowCounts(env.ctx);
    const blank = await s.post('finance', `/bank/lines/${queued.id}/ignore`, { ...tokens, reason: ' ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toMatch(/id="ign-reason" name="reason" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = await s.post('finance', `/bank/lines/${queued.id}/ignore`, { ...tokens, reason: 'Returned to the sender' });
    expect(ok.statusCode).toBe(303);
    expect((await s.post('finance', `/bank/lines/${queued.id}/ignore`, { ...tokens, reason: 'Returned to the sender' })).headers.location).toBe(ok.headers.location);
    expect(getBankLine(env.ctx, queued.id).status).toBe('ignored');
    expect(count(env.ctx, 'bank_line_actions')).toBe(before.bank_line_actions! + 1);
  });

  it('a bank fee booked as bank charges: an expenditure, once; the line cannot be worked again (409 said at the form)', async () => {
    const page = await s.get('finance', '/bank/lines/6');
    expect(page.body).toContain(t.bookChargesTitle);
    const tokens = tokensOf(page.body, '/bank/lines/6/book');
    const n = count(env.ctx, 'expenditures');
    const res = await s.post('finance', '/bank/lines/6/book', { ...tokens, as: 'bank-charges', line: '' });
    expect(res.statusCode, res.body).toBe(303);
    expect(count(env.ctx, 'expenditures')).toBe(n + 1);
    expect(getBankLine(env.ctx, 6).status).toBe('booked');
    // A stale form of the same line (another token): the service's conflict, nothing written.
    const before = rowCounts(env.ctx);
    const stale = await s.post('finance', '/bank/lines/6/ignore', { ...tokensOf(page.body, '/bank/lines/6/ignore'), reason: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('bank line 6 was already dealt with');
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(verifyLedger(env.ctx).ok).toBe(true);
    expect(today()).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
});

describe('upload limits', () => {
  it('a file above the API’s limit: 413, nothing written; a visitor’s upload is not read (to the login page)', async () => {
    const page = await s.get('finance', '/bank');
    const before = rowCounts(env.ctx);
    const big = await s.upload('finance', '/bank/statements', tokensOf(page.body, '/bank/statements'), xml(`<x>${'a'.repeat(4 * 1024 * 1024)}</x>`));
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^text\/html/);
    const visitor = await env.app.inject({ method: 'POST', url: '/bank/statements', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' });
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login');
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});
