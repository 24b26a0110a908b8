/**
 * Year-end closing over HTTP (SPEC 9.4, issue 15): closing posts one entry
 * carrying the year's income and expenditure to the accumulated fund and
 * locks the year; closing again posts nothing; years close in order; a
 * closed year refuses writes (409) and cannot be reopened; `isu verify`
 * checks the closings and reports tampering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { verifyLedger } from '../../src/services/verify.js';
import { auth, makeIssued2018Env, rowCounts, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');

beforeAll(async () => {
  env = await makeIssued2018Env();
});
afterAll(() => env.close());

let key = 0;
const send = (method: 'POST' | 'GET', url: string, body?: unknown, user = 'finance') =>
  env.app.inject({
    method,
    url,
    headers: { ...auth(env.tokens[user]), ...(method === 'POST' && url === '/api/v1/payments' ? { 'idempotency-key': `c${++key}` } : {}) },
    ...(body === undefined ? {} : { payload: body as object }),
  });

async function refused(url: string, body: unknown, status: number, field: string, user = 'finance') {
  const before = rowCounts(env.ctx);
  const res = await send('POST', url, body, user);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json() as { field?: string; errors?: { field: string }[]; detail: string };
  expect(p.field ?? p.errors?.[0]?.field, res.body).toBe(field);
  expect(rowCounts(env.ctx)).toEqual(before);
  return p;
}

const sumOf = (account: string, from: string, to: string) =>
  (
    env.ctx.sqlite
      .prepare('SELECT COALESCE(SUM(p.amount_centimes), 0) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = ? AND j.entry_date BETWEEN ? AND ?')
      .safeIntegers(true)
      .get(account, from, to) as { s: bigint }
  ).s;

describe('closing a year (SPEC 9.4)', () => {
  it('years close in order; only finance and admin close; a year not over is refused', async () => {
    expect((await send('POST', '/api/v1/expenditures', { date: '2017-03-31', amount: '1234.56', description: 'Staff, March 2017' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/expenditures', { date: '2018-02-28', amount: '200.00', description: 'Travel, February 2018' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/payments', { iso3: 'FRA', amount: '1000.00', receivedOn: '2018-01-15' })).statusCode).toBe(201);
    const p = await refused('/api/v1/years/2018/close', { reason: 'Audited' }, 409, 'year');
    expect(p.detail).toMatch(/2017 has income or expenditure and is not closed: close 2017 first/);
    await refused('/api/v1/years/2099/close', { reason: 'x' }, 422, 'year');
    await refused('/api/v1/years/2017/close', {}, 422, 'reason');
    for (const user of ['presidency', 'auditor'])
      expect((await send('POST', '/api/v1/years/2017/close', { reason: 'x' }, user)).statusCode).toBe(403);
    expect((await send('GET', '/api/v1/years/2017/closing', undefined, 'auditor')).statusCode).toBe(404);
  });

  it('closing 2017 posts one entry zeroing its income and expenditure into the accumulated fund, and locks through 2017-12-31', async () => {
    const res = await send('POST', '/api/v1/years/2017/close', { reason: 'Accounts of 2017 audited' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      year: 2017,
      lockedThrough: '2017-12-31',
      surplus: '588765.44',
      postings: [
        { account: '4100', amount: '590000.00' },
        { account: '5100', amount: '-1234.56' },
        { account: '3200', amount: '-588765.44' },
      ],
      actor: 'finance',
    });
    for (const a of ['4100', '4200', '4300', '5100']) expect(sumOf(a, '2017-01-01', '2017-12-31')).toBe(0n);
    expect(sumOf('3200', '0000-01-01', '9999-12-31')).toBe(-58_876_544n);
    expect((await send('GET', '/api/v1/periods', undefined, 'auditor')).json().lockedThrough).toBe('2017-12-31');
    expect((await send('GET', '/api/v1/years/2017/closing', undefined, 'presidency')).json()).toEqual(c);
    expect(verifyLedger(env.ctx).ok).toBe(true);

    const before = rowCounts(env.ctx);
    const again = await send('POST', '/api/v1/years/2017/close', { reason: 'again' }, 'admin');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(c);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('after closing, writes dated in 2017 answer 409; the closed year cannot be reopened; an earlier year cannot be closed after it', async () => {
    await refused('/api/v1/payments', { iso3: 'MEX', amount: '10.00', receivedOn: '2017-12-20' }, 409, 'receivedOn');
    await refused('/api/v1/expenditures', { date: '2017-06-01', amount: '10.00', description: 'late' }, 409, 'date');
    const p = await refused('/api/v1/periods/reopen', { through: '2017-06-30', reason: 'an adjustment' }, 409, 'through', 'admin');
    expect(p.detail).toMatch(/2017 is closed/);
    await refused('/api/v1/periods/reopen', { through: null, reason: 'an adjustment' }, 409, 'through', 'admin');
    await refused('/api/v1/years/2016/close', { reason: 'x' }, 409, 'year');
  });

  it('closing 2018 twice posts once (a deficit); 2018-dated writes then answer 409; verify passes', async () => {
    const first = await send('POST', '/api/v1/years/2018/close', { reason: 'Accounts of 2018 audited' }, 'admin');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ year: 2018, lockedThrough: '2018-12-31', surplus: '-200.00', postings: [{ account: '5100', amount: '-200.00' }, { account: '3200', amount: '200.00' }] });
    const before = rowCounts(env.ctx);
    const second = await send('POST', '/api/v1/years/2018/close', { reason: 'Accounts of 2018 audited' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(rowCounts(env.ctx)).toEqual(before);
    await refused('/api/v1/payments', { iso3: 'MEX', amount: '10.00', receivedOn: '2018-12-31' }, 409, 'receivedOn');
    await refused('/api/v1/expenditures', { date: '2018-07-01', amount: '10.00', description: 'late' }, 409, 'date');
    expect((await send('POST', '/api/v1/payments', { iso3: 'MEX', amount: '10.00', receivedOn: '2019-01-02' })).statusCode).toBe(201);
    expect(sumOf('3200', '0000-01-01', '9999-12-31')).toBe(-58_856_544n);
    const v = verifyLedger(env.ctx);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('a year with nothing to close is closed without an entry, under the lock in force', async () => {
    const before = rowCounts(env.ctx);
    const res = await send('POST', '/api/v1/years/2019/close', { reason: 'Nothing but a payment' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ year: 2019, journalEntryId: null, surplus: '0.00', postings: [], lockedThrough: '2019-12-31' });
    expect(rowCounts(env.ctx)).toMatchObject({ journal_entries: before.journal_entries, year_closings: before.year_closings! + 1, period_locks: before.period_locks! + 1 });
  });

  it("the statement's expenditure is by the budget line of each expenditure (a reversal with what it reverses), the uncoded ones together", async () => {
    const s = env.ctx.sqlite;
    s.prepare("INSERT INTO budget_lines (year, version, code, label, position, amount_centimes) VALUES (2018, 1, 'TRAVEL', 'Travel (illustrative)', 1, 100000)").run();
    const coded = (s.prepare("INSERT INTO journal_entries (entry_date, kind, description, ref_type, actor) VALUES ('2020-03-01', 'expenditure', 'coded', 'expenditure', 'x') RETURNING id").get() as { id: number }).id;
    s.prepare("INSERT INTO postings (entry_id, account_code, amount_centimes) VALUES (?, '5100', 1234), (?, '1000', -1234)").run(coded, coded);
    const id = (s.prepare("INSERT INTO expenditures (date, amount_centimes, description, journal_entry_id, budget_year, line) VALUES ('2020-03-01', 1234, 'coded', ?, 2018, 'TRAVEL') RETURNING id").get(coded) as { id: number }).id;
    expect((await send('POST', '/api/v1/expenditures', { date: '2020-04-01', amount: '5.00', description: 'uncoded' })).statusCode).toBe(201);
    const lines = async () => (await send('GET', '/api/v1/reports/financial-statement?year=2020', undefined, 'auditor')).json().incomeAndExpenditure.expenditureByLine;
    expect(await lines()).toEqual([
      { line: 'TRAVEL', label: 'Travel (illustrative)', current: '12.34', previous: '0.00' },
      { line: null, label: 'Not coded to a budget line', current: '5.00', previous: '0.00' },
    ]);
    expect((await send('POST', `/api/v1/expenditures/${id}/reverse`, { reason: 'wrong', date: '2020-05-01' })).statusCode).toBe(200);
    expect((await lines())[0]).toEqual({ line: 'TRAVEL', label: 'Travel (illustrative)', current: '0.00', previous: '0.00' });
  });

  it('verify reports an entry slipped into a closed year and income left in it', () => {
    const s = env.ctx.sqlite;
    const id = (s.prepare("INSERT INTO journal_entries (entry_date, kind, description, actor) VALUES ('2017-06-01', 'other-income', 'slipped in', 'x') RETURNING id").get() as { id: number }).id;
    s.prepare("INSERT INTO postings (entry_id, account_code, amount_centimes) VALUES (?, '1000', 500), (?, '4300', -500)").run(id, id);
    const v = verifyLedger(env.ctx);
    const failed = Object.fromEntries(v.checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]));
    expect(failed["every closed year's income and expense accounts are zero after its closing"]).toBe('not zero: 2017 4300');
    expect(failed['nothing was posted into a closed year after its closing']).toBe(`entries ${id}`);
  });
});
