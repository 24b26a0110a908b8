/**
 * Issue 16, finding 13: plausibility limits. Amounts up to CHF
 * 9,999,999,999,999.99 and dates back to 1900 were accepted; now the limits
 * are settings (GET/PUT /api/v1/settings/limits), a payment above the budget
 * of its year needs `confirmLarge: true`, and dates before the earliest date
 * are refused, naming the field, with nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { OPERATING, register, registerWithInvoices } from '../bank-fixtures.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, type TestEnv } from '../helpers.js';

let env: TestEnv;
let keyN = 0;
const pay = (body: object, user = 'finance') =>
  env.app.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...auth(env.tokens[user]), 'idempotency-key': `lim-${++keyN}` }, payload: body });
const post = (url: string, body: object, user = 'finance') =>
  env.app.inject({ method: 'POST', url, headers: { ...auth(env.tokens[user]), 'idempotency-key': `lim-${++keyN}` }, payload: body });
const get = (url: string, user = 'finance') => env.app.inject({ url, headers: auth(env.tokens[user]) });
const putLimits = (body: object, user = 'admin') => env.app.inject({ method: 'PUT', url: '/api/v1/settings/limits', headers: auth(env.tokens[user]), payload: body });
const DEFAULTS = { earliestDate: '2010-01-01', futureDays: 366, largestAmount: '10000000.00', largePayment: null };

beforeAll(async () => {
  env = await makeEnv(register);
});
afterAll(() => env.close());

function expectRefused(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, field: string, message: RegExp) {
  expect(res.statusCode).toBe(422);
  expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
  const body = res.json() as { errors: { field: string; message: string }[] };
  expect(body.errors.map((e) => e.field)).toContain(field);
  expect(body.errors.find((e) => e.field === field)!.message).toMatch(message);
}

describe('finding 13: the limits are settings', () => {
  it('finding 13: finance and admin read the limits (defaults), only admin changes them, audited; bad limits are refused naming the field', async () => {
    expect((await get('/api/v1/settings/limits')).json()).toEqual(DEFAULTS);
    expect((await get('/api/v1/settings/limits', 'admin')).statusCode).toBe(200);
    expect((await get('/api/v1/settings/limits', 'presidency')).statusCode).toBe(403);
    expect((await putLimits({ ...DEFAULTS, largePayment: '700000.00' }, 'finance')).statusCode).toBe(403);
    const before = rowCounts(env.ctx);
    for (const [body, field] of [
      [{ ...DEFAULTS, earliestDate: '2010-02-30' }, 'earliestDate'],
      [{ ...DEFAULTS, earliestDate: '2999-01-01' }, 'earliestDate'],
      [{ ...DEFAULTS, futureDays: -1 }, 'futureDays'],
      [{ ...DEFAULTS, largestAmount: '0.00' }, 'largestAmount'],
      [{ ...DEFAULTS, largestAmount: 1000 }, 'largestAmount'],
      [{ ...DEFAULTS, largePayment: '20000000.00' }, 'largePayment'],
      [{ ...DEFAULTS, extra: 1 }, 'extra'],
    ] as const) {
      const res = await putLimits(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
    const set = await putLimits({ ...DEFAULTS, largePayment: '700000.00' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ ...DEFAULTS, largePayment: '700000.00' });
    const audit = env.ctx.sqlite.prepare("SELECT action, entity_id AS id, details FROM audit_log WHERE entity_type = 'settings' ORDER BY id DESC LIMIT 1").get() as { id: string; details: string };
    expect(audit.id).toBe('limits');
    expect(JSON.parse(audit.details)).toMatchObject({ before: DEFAULTS, after: { largePayment: '700000.00' } });
    expect((await putLimits(DEFAULTS)).statusCode).toBe(200);
  });
});

describe('finding 13: payments', () => {
  it('finding 13: a payment above the budget of its year is refused 422 naming amount, telling to resend with confirmLarge: true; nothing written', async () => {
    const before = rowCounts(env.ctx);
    const res = await pay({ iso3: 'FRA', amount: '590000.01', receivedOn: '2018-02-01' });
    expectRefused(res, 'amount', /confirmLarge: true/);
    expect(res.json().errors[0].message).toMatch(/590000\.00|590,000\.00/);
    const huge = await pay({ iso3: 'FRA', amount: '9999999999999.99', receivedOn: '2018-02-01', confirmLarge: true });
    expectRefused(huge, 'amount', /largest amount/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('finding 13: confirmed, the large payment is recorded and its audit row notes the confirmation; the budget amount itself needs none', async () => {
    const atLimit = await pay({ iso3: 'MEX', amount: '590000.00', receivedOn: '2018-02-01', purpose: 'voluntary' });
    expect(atLimit.statusCode, atLimit.body).toBe(201);
    const res = await pay({ iso3: 'FRA', amount: '590000.01', receivedOn: '2018-02-01', purpose: 'voluntary', confirmLarge: true });
    expect(res.statusCode, res.body).toBe(201);
    const row = env.ctx.sqlite.prepare("SELECT details FROM audit_log WHERE entity_type = 'payment' AND entity_id = ?").get(String(res.json().id)) as { details: string };
    expect(JSON.parse(row.details)).toMatchObject({ confirmedLarge: { above: '590000.00', because: expect.stringMatching(/budget of 2018/) } });
    const plain = env.ctx.sqlite.prepare("SELECT details FROM audit_log WHERE entity_type = 'payment' AND entity_id = ?").get(String(atLimit.json().id)) as { details: string };
    expect(JSON.parse(plain.details).confirmedLarge).toBeUndefined();
  });

  it('finding 13: the threshold setting replaces the budget; a year without a budget has only the largest amount', async () => {
    expect((await putLimits({ ...DEFAULTS, largePayment: '1000.00' })).statusCode).toBe(200);
    expectRefused(await pay({ iso3: 'FRA', amount: '1000.01', receivedOn: '2018-02-02', purpose: 'voluntary' }), 'amount', /1000\.00|1,000\.00/);
    expect((await putLimits(DEFAULTS)).statusCode).toBe(200);
    const noBudget = await pay({ iso3: 'FRA', amount: '2000000.00', receivedOn: '2016-02-02', purpose: 'voluntary' });
    expect(noBudget.statusCode, noBudget.body).toBe(201);
  });

  it('finding 13: a payment dated before the earliest date is refused naming receivedOn; the earliest date is a setting', async () => {
    const before = rowCounts(env.ctx);
    expectRefused(await pay({ iso3: 'FRA', amount: '10.00', receivedOn: '1900-01-01', purpose: 'voluntary' }), 'receivedOn', /2010-01-01/);
    expectRefused(await pay({ iso3: 'FRA', amount: '10.00', receivedOn: '2009-12-31', purpose: 'voluntary' }), 'receivedOn', /2010-01-01/);
    expect(rowCounts(env.ctx)).toEqual(before);
    expect((await putLimits({ ...DEFAULTS, earliestDate: '2017-01-01' })).statusCode).toBe(200);
    expectRefused(await pay({ iso3: 'FRA', amount: '10.00', receivedOn: '2016-12-31', purpose: 'voluntary' }), 'receivedOn', /2017-01-01/);
    expect((await putLimits(DEFAULTS)).statusCode).toBe(200);
    expect((await pay({ iso3: 'FRA', amount: '10.00', receivedOn: '2010-01-01', purpose: 'voluntary' })).statusCode).toBe(201);
  });
});

describe('finding 13: expenditures, reserve movements and budgets', () => {
  it('finding 13: an expenditure above the largest amount or before the earliest date is refused naming the field, also in a CSV import', async () => {
    const before = rowCounts(env.ctx);
    expectRefused(await post('/api/v1/expenditures', { date: '2018-03-01', amount: '10000000.01', description: 'typo' }), 'amount', /largest amount/);
    expectRefused(await post('/api/v1/expenditures', { date: '1900-03-01', amount: '100.00', description: 'typo' }), 'date', /2010-01-01/);
    const csv = 'date,amount,description,budgetYear,line\n2018-03-01,100.00,ok,2018,\n2018-03-02,9999999999999.99,typo,2018,\n';
    const imp = await env.app.inject({ method: 'POST', url: '/api/v1/expenditures/import', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: csv });
    expectRefused(imp, 'expenditures.1.amount', /largest amount/);
    const early = 'date,amount,description,budgetYear,line\n1905-03-01,100.00,old,2018,\n';
    const imp2 = await env.app.inject({ method: 'POST', url: '/api/v1/expenditures/import', headers: { ...auth(env.tokens.finance), 'content-type': 'text/csv' }, payload: early });
    expectRefused(imp2, 'expenditures.0.date', /2010-01-01/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('finding 13: reserve contributions, drawdowns, restorations and the target are held to the same limits', async () => {
    const before = rowCounts(env.ctx);
    expectRefused(await post('/api/v1/reserve/contributions', { date: '2018-03-01', amount: '10000000.01', donor: 'X' }), 'amount', /largest amount/);
    expectRefused(await post('/api/v1/reserve/contributions', { date: '1999-03-01', amount: '10.00', donor: 'X' }), 'date', /2010-01-01/);
    expectRefused(await post('/api/v1/reserve/drawdowns', { date: '1999-03-01', amount: '10.00', reason: 'x' }), 'date', /2010-01-01/);
    expectRefused(await post('/api/v1/reserve/restorations', { date: '2018-03-01', amount: '10000000.01' }), 'amount', /largest amount/);
    const target = await env.app.inject({ method: 'PUT', url: '/api/v1/reserve/target', headers: auth(env.tokens.finance), payload: { amount: '10000000.01', decisionRef: 'X' } });
    expectRefused(target, 'amount', /largest amount/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('finding 13: a budget above the largest amount, or dated before the earliest date or beyond the future limit, is refused naming the field', async () => {
    const before = rowCounts(env.ctx);
    const budget = (body: object) => env.app.inject({ method: 'POST', url: '/api/v1/budgets', headers: auth(env.tokens.finance), payload: { ...BUDGET_2018, year: 2019, approvedOn: '2018-09-06', cutoffDate: '2019-03-31', ...body } });
    expectRefused(await budget({ amount: '10000000.01' }), 'amount', /largest amount/);
    expectRefused(await budget({ approvedOn: '1900-01-01' }), 'approvedOn', /2010-01-01/);
    expectRefused(await budget({ year: 2999, approvedOn: '2018-09-06', cutoffDate: '2999-03-31' }), 'year', /between 2010 and/);
    expectRefused(await budget({ cutoffDate: '2999-03-31' }), 'cutoffDate', /must not be after/);
    const patch = await env.app.inject({ method: 'PATCH', url: '/api/v1/budgets/2018', headers: auth(env.tokens.finance), payload: { amount: '10000000.01' } });
    expectRefused(patch, 'amount', /largest amount/);
    const plan = await env.app.inject({ method: 'PUT', url: '/api/v1/budgets/2018/spending-plan', headers: auth(env.tokens.finance), payload: { months: [...Array(11).fill('1000.00'), '10000000.01'] } });
    expectRefused(plan, 'months.11', /largest amount/);
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = await budget({});
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

/** Sets the limits (the defaults but for `overrides`), then imports the January 2018 operating-account statement. */
async function importJanuaryWithLimits(on: TestEnv, overrides: Record<string, string>) {
  const jan = fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'camt', 'camt053-001.04-operating-2018-01.xml'), 'utf8');
  const limits = await on.app.inject({ method: 'PUT', url: '/api/v1/settings/limits', headers: auth(on.tokens.admin), payload: { ...DEFAULTS, ...overrides } });
  expect(limits.statusCode).toBe(200);
  const res = await on.app.inject({ method: 'POST', url: '/api/v1/bank/statements', headers: { ...auth(on.tokens.finance), 'content-type': 'application/xml' }, payload: jan });
  expect(res.statusCode, res.body).toBe(201);
  return res;
}

describe('finding 13: the bank import', () => {
  let bank: TestEnv;
  beforeAll(async () => {
    bank = await registerWithInvoices();
  });
  afterAll(() => bank.close());

  it('finding 13: a bank line above the limit waits in the queue with the reason instead of failing the import; matched with confirmLarge it is recorded', async () => {
    const res = await importJanuaryWithLimits(bank, { largePayment: '60000.00' });
    expect(res.json().counts).toMatchObject({ entries: 6, newLines: 6, paymentsRecorded: 3, queued: 3 });
    const queued = res.json().statements[0].queued as { line: number; amount: string; reason: string }[];
    const large = queued.find((q) => q.amount === '69040.36')!;
    expect(large.reason).toMatch(/confirmLarge: true/);
    expect(res.json().statements[0].iban).toBe(OPERATING);
    const match = (body: object) =>
      bank.app.inject({ method: 'POST', url: `/api/v1/bank/lines/${large.line}/match`, headers: auth(bank.tokens.finance), payload: { iso3: 'FRA', purpose: 'assessed', ...body } });
    const refused = await match({});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: 'amount', message: expect.stringMatching(/confirmLarge: true/) });
    const ok = await match({ confirmLarge: true });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('finding 13: a bank line dated before the earliest date waits in the queue with the reason; the rest of the file is imported', async () => {
    const fresh = await registerWithInvoices();
    try {
      const res = await importJanuaryWithLimits(fresh, { earliestDate: '2018-01-12' });
      expect(res.json().counts).toMatchObject({ entries: 6, newLines: 6, paymentsRecorded: 3, queued: 3 });
      const early = (res.json().statements[0].queued as { amount: string; valueDate: string; reason: string }[]).find((q) => q.valueDate === '2018-01-10')!;
      expect(early.amount).toBe('69040.36');
      expect(early.reason).toMatch(/receivedOn: must not be before 2018-01-12/);
    } finally {
      await fresh.close();
    }
  });
});


describe('finding 13: the limits from the command line', () => {
  it('finding 13: `isu settings limits` prints the limits and sets them from a file, refusing a bad one naming the field', async () => {
    const { spawnSync } = await import('node:child_process');
    const { tempDir } = await import('../helpers.js');
    const dir = tempDir();
    const isu = (...args: string[]) =>
      spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), ...args], {
        env: { ...process.env, ISU_DB: path.join(dir, 'isu.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox') },
        encoding: 'utf8',
      });
    const shown = isu('settings', 'limits');
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(DEFAULTS);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...DEFAULTS, earliestDate: '2010-13-01' }));
    const bad = isu('settings', 'limits', path.join(dir, 'bad.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/earliestDate/);
    fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ ...DEFAULTS, largestAmount: '2000000.00' }));
    const good = isu('settings', 'limits', path.join(dir, 'good.json'));
    expect(good.status, good.stderr).toBe(0);
    expect(JSON.parse(isu('settings', 'limits').stdout)).toEqual({ ...DEFAULTS, largestAmount: '2000000.00' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
