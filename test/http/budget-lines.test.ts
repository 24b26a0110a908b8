/**
 * Budget lines, coded expenditures and the budget execution report over HTTP
 * (SPEC 9.5, issue 15): lines summing exactly to the budget, revisions moving
 * money between lines, expenditures coded to a line, reversals, the report as
 * of a date, in JSON and CSV; bad input answers problem+json naming the
 * field and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { pdfText } from '../pdf-text.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');
const send = (method: 'POST' | 'GET', url: string, body?: unknown, user = 'finance') =>
  env.app.inject({ method, url, headers: auth(env.tokens[user]), ...(body === undefined ? {} : { payload: body as object }) });
const LINES = [
  { code: 'staff', label: 'Staff', amount: '400000.00' },
  { code: 'travel', label: 'Travel', amount: '100000.00' },
  { code: 'audit', label: 'Audit', amount: '90000.00' },
];
const B2019 = { ...BUDGET_2018, year: 2019, approvedOn: '2018-09-05', cutoffDate: '2019-03-31' };

async function refused(method: 'POST' | 'GET', url: string, body: unknown, status: number, field: string) {
  const before = rowCounts(env.ctx);
  const res = await send(method, url, body);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
  expect(rowCounts(env.ctx)).toEqual(before);
  return res.json() as { errors: { field: string; message: string }[] };
}

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
    createScale(ctx, actor, SCALE_SMALL);
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
});
afterAll(() => env.close());

describe('budget lines (SPEC 9.5)', () => {
  it('refuses lines that do not sum exactly to the amount, naming lines and the difference', async () => {
    const short = await refused('POST', '/api/v1/budgets', { ...BUDGET_2018, lines: [...LINES.slice(0, 2), { ...LINES[2], amount: '89999.99' }] }, 422, 'lines');
    expect(short.errors[0]!.message).toBe('the lines sum to 589999.99, short of the amount 590000.00 by 0.01');
    const over = await refused('POST', '/api/v1/budgets', { ...BUDGET_2018, lines: [...LINES, { code: 'meetings', label: 'Meetings', amount: '0.50' }] }, 422, 'lines');
    expect(over.errors[0]!.message).toBe('the lines sum to 590000.50, over the amount 590000.00 by 0.50');
    await refused('POST', '/api/v1/budgets', { ...BUDGET_2018, lines: [...LINES, { ...LINES[0] }] }, 422, 'lines.3.code');
    await refused('POST', '/api/v1/budgets', { ...BUDGET_2018, lines: [{ ...LINES[0], code: 'Staff Costs' }] }, 422, 'lines.0.code');
  });

  it('records the lines as version 1 and shows them', async () => {
    const res = await send('POST', '/api/v1/budgets', { ...BUDGET_2018, lines: LINES });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: 1, lines: LINES, versions: [{ version: 1, lines: LINES }] });
    expect((await send('GET', '/api/v1/budgets/2018', undefined, 'auditor')).json().lines).toEqual(LINES);
    // A budget without lines has none.
    createBudget(env.ctx, actor, budgetCreate.parse(B2019));
    expect((await send('GET', '/api/v1/budgets/2019')).json().lines).toEqual([]);
  });

  it('refuses a change of amount to a budget with lines', async () => {
    const before = rowCounts(env.ctx);
    const res = await env.app.inject({ method: 'PATCH', url: '/api/v1/budgets/2018', headers: auth(env.tokens.finance), payload: { amount: '600000.00' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('amount');
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('coded expenditures', () => {
  it('requires a line of the budget when it has lines, and none when it has not', async () => {
    await refused('POST', '/api/v1/expenditures', { date: '2018-01-25', amount: '100.00', description: 'x' }, 422, 'line');
    const unknown = await refused('POST', '/api/v1/expenditures', { date: '2018-01-25', amount: '100.00', description: 'x', line: 'meetings' }, 422, 'line');
    expect(unknown.errors[0]!.message).toBe('meetings is not a line of the 2018 budget (staff, travel, audit)');
    await refused('POST', '/api/v1/expenditures', { date: '2018-01-25', amount: '100.00', description: 'x', budgetYear: 2019, line: 'staff' }, 422, 'line');
    await refused('POST', '/api/v1/expenditures', { date: '2018-01-25', amount: '100.00', description: 'x', budgetYear: 2030 }, 422, 'budgetYear');
    await refused('POST', '/api/v1/expenditures', { date: '2018-01-25', amount: '100.00', description: 'x', line: 'Staff!' }, 422, 'line');
  });

  it('records the budget year and line, lists them, and the execution report sums them as of a date', async () => {
    const rec = async (body: object) => {
      const res = await send('POST', '/api/v1/expenditures', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number; budgetYear: number; line: string | null };
    };
    expect(await rec({ date: '2018-01-25', amount: '30000.00', description: 'Salaries January', line: 'staff' })).toMatchObject({ budgetYear: 2018, line: 'staff' });
    await rec({ date: '2018-02-25', amount: '30000.00', description: 'Salaries February', line: 'staff' });
    const trip = await rec({ date: '2018-03-10', amount: '1234.55', description: 'Mission', line: 'travel' });
    // An expenditure of 2018 executing the 2019 budget (no lines): uncoded in 2019.
    expect(await rec({ date: '2018-12-20', amount: '500.00', description: 'Advance booking', budgetYear: 2019 })).toMatchObject({ budgetYear: 2019, line: null });
    const list = (await send('GET', '/api/v1/expenditures?year=2018', undefined, 'auditor')).json() as { line: string | null; budgetYear: number }[];
    expect(list.map((e) => [e.budgetYear, e.line])).toEqual([
      [2018, 'staff'],
      [2018, 'staff'],
      [2018, 'travel'],
      [2019, null],
    ]);
    // Reversed on 2018-04-02: spent as of 2018-03-31 still counts it, as of 2018-04-30 not.
    expect((await send('POST', `/api/v1/expenditures/${trip.id}/reverse`, { reason: 'booked twice', date: '2018-04-02' })).statusCode).toBe(200);

    const march = (await send('GET', '/api/v1/budgets/2018/execution?asOf=2018-03-31', undefined, 'presidency')).json();
    expect(march).toEqual({
      year: 2018,
      asOf: '2018-03-31',
      currency: 'CHF',
      version: 1,
      lines: [
        { code: 'staff', label: 'Staff', approved: '400000.00', revised: '400000.00', spent: '60000.00', remaining: '340000.00', percentSpent: '15.0' },
        { code: 'travel', label: 'Travel', approved: '100000.00', revised: '100000.00', spent: '1234.55', remaining: '98765.45', percentSpent: '1.2' },
        { code: 'audit', label: 'Audit', approved: '90000.00', revised: '90000.00', spent: '0.00', remaining: '90000.00', percentSpent: '0.0' },
      ],
      totals: { approved: '590000.00', revised: '590000.00', spent: '61234.55', remaining: '528765.45', percentSpent: '10.4' },
    });
    const april = (await send('GET', '/api/v1/budgets/2018/execution?asOf=2018-04-30')).json();
    expect(april.lines[1]).toMatchObject({ code: 'travel', spent: '0.00' });
    expect(april.totals.spent).toBe('60000.00');
    const early = (await send('GET', '/api/v1/budgets/2018/execution?asOf=2017-12-31')).json();
    expect(early.totals.spent).toBe('0.00');

    const y2019 = (await send('GET', '/api/v1/budgets/2019/execution?asOf=2018-12-31')).json();
    expect(y2019.lines).toEqual([
      { code: null, label: 'Not coded to a line (the budget has no lines)', approved: '590000.00', revised: '590000.00', spent: '500.00', remaining: '589500.00', percentSpent: '0.1' },
    ]);
    expect(y2019.totals).toEqual({ approved: '590000.00', revised: '590000.00', spent: '500.00', remaining: '589500.00', percentSpent: '0.1' });

    const csv = await env.app.inject({ url: '/api/v1/budgets/2018/execution?asOf=2018-03-31', headers: { ...auth(env.tokens.finance), accept: 'text/csv' } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')).toEqual([
      'code,label,approved,revised,spent,remaining,percentSpent',
      'staff,Staff,400000.00,400000.00,60000.00,340000.00,15.0',
      'travel,Travel,100000.00,100000.00,1234.55,98765.45,1.2',
      'audit,Audit,90000.00,90000.00,0.00,90000.00,0.0',
      'TOTAL,Total,590000.00,590000.00,61234.55,528765.45,10.4',
      '',
    ]);
    // The PDF (Accept, and the .pdf link) carries every line's figures and the totals, in the report's words.
    const pdf = await env.app.inject({ url: '/api/v1/budgets/2018/execution?asOf=2018-03-31', headers: { ...auth(env.tokens.auditor), accept: 'application/pdf' } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('inline; filename="budget-execution-2018.pdf"');
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain('BUDGET EXECUTION — BUDGET 2018');
    expect(text).toContain('as of 31 March 2018');
    expect(text).toContain('Staff 400,000.00 400,000.00 60,000.00 340,000.00 15.0 %');
    expect(text).toContain('Travel 100,000.00 100,000.00 1,234.55 98,765.45 1.2 %');
    expect(text).toContain('Audit 90,000.00 90,000.00 – 90,000.00 0.0 %');
    expect(text).toContain('Total 590,000.00 590,000.00 61,234.55 528,765.45 10.4 %');
    const link = await env.app.inject({ url: '/api/v1/budgets/2018/execution.pdf?asOf=2018-03-31', headers: auth(env.tokens.presidency) });
    expect(link.statusCode).toBe(200);
    expect(Buffer.compare(link.rawPayload, pdf.rawPayload)).toBe(0); // the same bytes: deterministic
    expect((await env.app.inject({ url: '/api/v1/budgets/2018/execution.pdf', headers: auth(env.tokens.fra) })).statusCode).toBe(403);
    expect((await send('GET', '/api/v1/budgets/2018/execution', undefined, 'fra')).statusCode).toBe(403);
    expect((await send('GET', '/api/v1/budgets/2031/execution')).statusCode).toBe(404);
  });
});

describe('revisions with lines', () => {
  it('asks for lines when the amount changes, moves money between lines, carries them when unchanged', async () => {
    await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
    const R = { decisionRef: 'CCM/MSP/2018/R1', approvedOn: '2018-05-01', reason: 'revised', issueDate: '2018-05-02' };
    const ask = await refused('POST', '/api/v1/budgets/2018/revisions', { ...R, amount: '600000.00' }, 422, 'lines');
    expect(ask.errors[0]!.message).toBe('the 2018 budget has lines: give the revised lines, summing to 600000.00');
    await refused('POST', '/api/v1/budgets/2018/revisions', { ...R, amount: '600000.00', lines: LINES }, 422, 'lines');
    // Money moved between lines, the amount unchanged: a revision with no invoices to issue.
    const moved = [
      { code: 'staff', label: 'Staff', amount: '380000.00' },
      { code: 'travel', label: 'Travel', amount: '120000.00' },
      { code: 'audit', label: 'Audit', amount: '90000.00' },
    ];
    const res = await send('POST', '/api/v1/budgets/2018/revisions', { ...R, lines: moved });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: 2, amount: '590000.00', totals: { supplementary: '0.00', credited: '0.00' } });
    // Replayed: same decision, same lines.
    expect((await send('POST', '/api/v1/budgets/2018/revisions', { ...R, lines: moved })).statusCode).toBe(200);
    // Same lines again under another decision: nothing changes.
    await refused('POST', '/api/v1/budgets/2018/revisions', { ...R, decisionRef: 'X', lines: moved }, 422, 'amount');
    // A scale change only: the lines are carried forward to version 3.
    createScale(env.ctx, actor, { ...SCALE_SMALL, code: 'TEST-2' });
    expect((await send('POST', '/api/v1/budgets/2018/revisions', { ...R, decisionRef: 'CCM/MSP/2018/R2', approvedOn: '2018-06-01', issueDate: '2018-06-02', scaleCode: 'TEST-2' })).statusCode).toBe(201);
    const budget = (await send('GET', '/api/v1/budgets/2018')).json();
    expect(budget).toMatchObject({ version: 3, lines: moved });
    expect(budget.versions.map((v: { lines: unknown }) => v.lines)).toEqual([LINES, moved, moved]);

    // The execution as of a date takes the version approved by then.
    const before = (await send('GET', '/api/v1/budgets/2018/execution?asOf=2018-04-30')).json();
    expect(before.version).toBe(1);
    const after = (await send('GET', '/api/v1/budgets/2018/execution?asOf=2018-05-31')).json();
    expect(after.version).toBe(2);
    expect(after.lines[0]).toEqual({ code: 'staff', label: 'Staff', approved: '400000.00', revised: '380000.00', spent: '60000.00', remaining: '320000.00', percentSpent: '15.8' });
    expect(after.lines[1]).toMatchObject({ code: 'travel', approved: '100000.00', revised: '120000.00' });
  });
});

describe('expenditures in bulk, all or nothing', () => {
  const csvPost = (body: string) =>
    env.app.inject({ method: 'POST', url: '/api/v1/expenditures/import', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: body });
  const HEADER = 'date,amount,description,budgetYear,line\n';

  it('refuses a file with a bad row, naming row and column, writing nothing', async () => {
    for (const [body, field, message] of [
      [`${HEADER}2018-07-25,100.00,Rent,,staff\n2018-07-26,12.345,Paper,,travel\n`, 'expenditures.1.amount', 'row 2 (line 3 of the file), column amount'],
      [`${HEADER}2018-07-25,100.00,Rent,,staff\n2018-07-26,12.00,Paper,,stationery\n`, 'expenditures.1.line', 'row 2 (line 3 of the file), column line: stationery is not a line'],
      [`${HEADER}2018-07-25,100.00,Rent,,\n`, 'expenditures.0.line', 'row 1 (line 2 of the file), column line: the 2018 budget has lines'],
      [`${HEADER}2018-07-25,100.00,Rent,20x8,staff\n`, 'expenditures.0.budgetYear', 'row 1 (line 2 of the file), column budgetYear'],
      ['date,description\n2018-07-25,Rent\n', 'header', 'missing column amount'],
    ] as const) {
      const before = rowCounts(env.ctx);
      const res = await csvPost(body);
      expect(res.statusCode, res.body).toBe(422);
      const err = (res.json() as { errors: { field: string; message: string }[] }).errors[0]!;
      expect(err.field).toBe(field);
      expect(err.message).toContain(message);
      expect(rowCounts(env.ctx)).toEqual(before);
    }
  });

  it('records every row in one go, coded', async () => {
    const res = await csvPost(`${HEADER}2018-07-25,100.00,Rent,,staff\n2018-07-26,12.50,"Paper, pens",2018,travel\n2018-12-30,7.00,Deposit,2019,\n`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      count: 3,
      total: '119.50',
      expenditures: [
        { date: '2018-07-25', amount: '100.00', budgetYear: 2018, line: 'staff' },
        { date: '2018-07-26', amount: '12.50', description: 'Paper, pens', budgetYear: 2018, line: 'travel' },
        { date: '2018-12-30', amount: '7.00', budgetYear: 2019, line: null },
      ],
    });
    const json = await send('POST', '/api/v1/expenditures/import', { expenditures: [{ date: '2018-07-27', amount: '1.00', description: 'x', line: 'audit' }] });
    expect(json.statusCode, json.body).toBe(201);
    expect((await send('POST', '/api/v1/expenditures/import', { expenditures: [] })).statusCode).toBe(422);
  });
});
