/**
 * The expenditures page without a browser (inject) on the demo: the
 * execution by line of a year in the query string; recording an expenditure
 * on a line (303, the line's spent figure moves, recorded once whatever the
 * double submits); field errors and the service's coding refusal at the field
 * (422, nothing written); a CSV import (multipart/form-data, the tokens as
 * form fields) all or nothing, its errors listed by row; the CSRF guard on
 * the upload; the roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney as formatCentimes, parseMoney } from '../../src/domain/money.js';
import { formatMoney } from '../../src/pdf/i18n.js';
import { EXPENDITURES_TEXT } from '../../src/http/pages/expenditures-text.js';
import { budgetExecution } from '../../src/services/budget-lines.js';
import { verifyLedger } from '../../src/services/verify.js';
import { rowCounts } from '../helpers.js';
import { count, dataText, daysAgo, demoEnv, Sessions, tokensOf, type DemoEnv } from './books-helpers.js';

let env: DemoEnv;
let s: Sessions;
const t = EXPENDITURES_TEXT.en;
const spentOn = (line: string) => budgetExecution(env.ctx, 2018).lines.find((l) => l.code === line)!.spent;

beforeAll(async () => {
  env = await demoEnv('isu-exp-pages-');
  s = new Sessions(env.app);
  await s.loginAll();
}, 120_000);
afterAll(() => env.close());

describe('who may', () => {
  it('finance has the page; the Presidency, the auditors and admin get the 403 page, a State user a 404', async () => {
    expect((await s.get('finance', '/expenditures')).statusCode).toBe(200);
    for (const u of ['presidency', 'auditor', 'admin']) expect((await s.get(u, '/expenditures')).statusCode, u).toBe(403);
    expect((await s.get('france', '/expenditures')).statusCode).toBe(404);
  });
});

describe('the execution by line', () => {
  it('shows the year and line of the query string, each line against its budget, every amount as the service has it', async () => {
    const res = await s.get('finance', '/expenditures?year=2018&line=staff');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(t.executionTitle(2018));
    expect(res.body).toContain(t.listTitleLine(2018, 'staff'));
    const ex = budgetExecution(env.ctx, 2018);
    for (const l of ex.lines) if (l.code) expect(dataText(res.body, 'data-spent', l.code), l.code).toBe(formatMoney(l.spent, 'en'));
    expect(res.body).toMatch(/<option value="staff" selected>/);
    // Only the staff line's expenditures are listed.
    expect(res.body).not.toMatch(/<td class="mono" translate="no">travel<\/td>/);
    expect(res.body).toMatch(/<td class="mono" translate="no">staff<\/td>/);
  });

  it('a bad filter: 400 page', async () => {
    expect((await s.get('finance', '/expenditures?year=20x8')).statusCode).toBe(400);
  });
});

describe('recording an expenditure', () => {
  it('on a line: 303 to the year with the expenditure, the line’s spent figure moves; a double submit records once', async () => {
    const page = await s.get('finance', '/expenditures?year=2018');
    const before = spentOn('travel');
    const n = count(env.ctx, 'expenditures');
    const form = { ...tokensOf(page.body, '/expenditures'), date: daysAgo(1), amount: '1,250.40', description: 'Flights to the Meeting of States Parties', budgetYear: '2018', line: 'travel' };
    const first = await s.post('finance', '/expenditures', form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toMatch(/^\/expenditures\?year=2018&recorded=\d+$/);
    const again = await s.post('finance', '/expenditures', form);
    expect(again.headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'expenditures')).toBe(n + 1);
    const row = env.ctx.sqlite.prepare('SELECT amount_centimes AS a, line, budget_year AS y FROM expenditures ORDER BY id DESC LIMIT 1').safeIntegers(true).get() as { a: bigint; line: string; y: bigint };
    expect(row).toEqual({ a: 125_040n, line: 'travel', y: 2018n });
    expect(spentOn('travel')).toBe(formatCentimes(parseMoney(before) + 125_040n));
    const after = await s.get('finance', first.headers.location as string);
    expect(after.body).toContain(t.recordedNotice(Number(/recorded=(\d+)/.exec(first.headers.location as string)![1])));
    expect(after.body).toContain('Flights to the Meeting of States Parties');
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });

  it('without a line when the budget has lines: the service’s refusal at the line field (422), nothing written', async () => {
    const page = await s.get('finance', '/expenditures?year=2018');
    const before = rowCounts(env.ctx);
    const res = await s.post('finance', '/expenditures', { ...tokensOf(page.body, '/expenditures'), date: daysAgo(1), amount: '10.00', description: 'Stamps', budgetYear: '2018', line: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="exp-line" name="line" aria-invalid="true"/);
    expect(res.body).toContain('the 2018 budget has lines: give one of staff');
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('a bad amount, no description, a future date: 422 at the fields, nothing written; said in Spanish', async () => {
    const page = await s.get('finance', '/expenditures?year=2018&lang=es');
    const before = rowCounts(env.ctx);
    const bad = await s.post('finance', '/expenditures?lang=es', { ...tokensOf(page.body, '/expenditures'), date: daysAgo(1), amount: 'doce', description: '', budgetYear: '2018', line: 'staff' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="exp-amount" name="amount" aria-invalid="true"/);
    expect(bad.body).toMatch(/id="exp-description" name="description" aria-invalid="true"/);
    const future = await s.post('finance', '/expenditures?lang=es', { ...tokensOf(page.body, '/expenditures'), date: '2999-01-01', amount: '5,00', description: 'x', budgetYear: '', line: '' });
    expect(future.statusCode).toBe(422);
    expect(future.body).toMatch(/id="exp-date" name="date" aria-invalid="true"/);
    expect(future.body).toContain('<html lang="es">');
    expect(rowCounts(env.ctx)).toEqual(before);
    await s.get('finance', '/expenditures?lang=en');
  });
});

describe('importing a CSV file', () => {
  const csvOk = `date,amount,description,budgetYear,line\n${daysAgo(2)},100.00,Printer toner,2018,office-it\n${daysAgo(2)},42.50,Postage,2018,communication\n`;

  it('all rows good: 303 with the count and total; recorded once however often the form is posted', async () => {
    const page = await s.get('finance', '/expenditures');
    expect(page.body).toContain('enctype="multipart/form-data"');
    const tokens = tokensOf(page.body, '/expenditures/import');
    const n = count(env.ctx, 'expenditures');
    const first = await s.upload('finance', '/expenditures/import', tokens, { name: 'x.csv', type: 'text/csv', content: csvOk });
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe('/expenditures?year=2018&imported=2&total=142.50');
    const again = await s.upload('finance', '/expenditures/import', tokens, { name: 'x.csv', type: 'text/csv', content: csvOk });
    expect(again.headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'expenditures')).toBe(n + 2);
    const after = await s.get('finance', first.headers.location as string);
    expect(after.body).toContain(t.importedNotice(2, 'CHF\u00a0142.50'));
  });

  it('a bad row: 422, every refused row listed, nothing written', async () => {
    const page = await s.get('finance', '/expenditures');
    const before = rowCounts(env.ctx);
    const csv = `date,amount,description,budgetYear,line\n${daysAgo(2)},12.x,Toner,2018,office-it\n${daysAgo(2)},5.00,,2018,staff\n`;
    const res = await s.upload('finance', '/expenditures/import', tokensOf(page.body, '/expenditures/import'), { name: 'bad.csv', type: 'text/csv', content: csv });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="csv-file"[^>]*aria-invalid="true"/);
    expect(res.body).toContain(t.fileRefused(2));
    expect(res.body).toContain('Row 1 (line 2 of the file), column amount');
    expect(res.body).toContain('Row 2 (line 3 of the file), column description');
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('a row the service refuses (no such line): 422 naming the row, nothing written of the good rows', async () => {
    const page = await s.get('finance', '/expenditures');
    const before = rowCounts(env.ctx);
    const csv = `date,amount,description,budgetYear,line\n${daysAgo(2)},10.00,Toner,2018,office-it\n${daysAgo(2)},5.00,Cake,2018,party\n`;
    const res = await s.upload('finance', '/expenditures/import', tokensOf(page.body, '/expenditures/import'), { name: 'bad.csv', type: 'text/csv', content: csv });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Row 2 (line 3 of the file), column line: party is not a line of the 2018 budget');
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('no file: 422 at the field; without the session’s CSRF token: 403; nothing written', async () => {
    const page = await s.get('finance', '/expenditures');
    const before = rowCounts(env.ctx);
    const tokens = tokensOf(page.body, '/expenditures/import');
    const none = await s.upload('finance', '/expenditures/import', tokens, null);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain(t.fileMissing);
    const forged = await s.upload('finance', '/expenditures/import', { _idem: tokens._idem }, { name: 'x.csv', type: 'text/csv', content: csvOk });
    expect(forged.statusCode).toBe(403);
    const presidency = await s.upload('presidency', '/expenditures/import', tokens, { name: 'x.csv', type: 'text/csv', content: csvOk });
    expect(presidency.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('reversing an expenditure', () => {
  it('303 to the expenditure, reversed once however often the form is posted; the line’s spent figure goes back; a stale form is refused (409), nothing written', async () => {
    const id = (env.ctx.sqlite.prepare("SELECT id FROM expenditures WHERE description = 'Flights to the Meeting of States Parties'").get() as { id: number }).id;
    const before = spentOn('travel');
    const page = await s.get('finance', `/expenditures/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(t.expenditureTitle(id));
    const form = { ...tokensOf(page.body, `/expenditures/${id}/reverse`), reason: 'Keyed twice', date: '' };
    const blank = await s.post('finance', `/expenditures/${id}/reverse`, { ...form, reason: '' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toMatch(/id="rev-reason" name="reason" aria-invalid="true"/);
    const reversals = count(env.ctx, 'reversals');
    const first = await s.post('finance', `/expenditures/${id}/reverse`, form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe(`/expenditures/${id}?reversed=1`);
    expect((await s.post('finance', `/expenditures/${id}/reverse`, form)).headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'reversals')).toBe(reversals + 1);
    expect(spentOn('travel')).toBe(formatCentimes(parseMoney(before) - 125_040n));
    const after = await s.get('finance', first.headers.location as string);
    expect(after.body).toContain(t.reversedNotice);
    expect(after.body).not.toContain(`action="/expenditures/${id}/reverse"`);
    const rows = rowCounts(env.ctx);
    const stale = await s.post('finance', `/expenditures/${id}/reverse`, { ...tokensOf(page.body, `/expenditures/${id}/reverse`), _idem: 'A'.repeat(24), reason: 'again', date: '' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain(`expenditure ${id} was already reversed`);
    expect(rowCounts(env.ctx)).toEqual(rows);
    expect(verifyLedger(env.ctx).ok).toBe(true);
    expect((await s.get('finance', '/expenditures/99999')).statusCode).toBe(404);
    expect((await s.get('auditor', `/expenditures/${id}`)).statusCode).toBe(403);
  });
});
