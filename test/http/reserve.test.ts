import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { createScale } from '../../src/services/scales.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
let key = 0;
const send = (method: 'POST' | 'PUT', url: string, body: unknown, user = 'finance') =>
  env.app.inject({ method, url, headers: { ...auth(env.tokens[user]), 'idempotency-key': `r-${++key}` }, payload: body as object });
const get = (url: string, user = 'presidency') => env.app.inject({ url, headers: auth(env.tokens[user]) });

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createBudget(ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, amount: '120000.00' }));
  });
});
afterAll(() => env.close());

describe('the working capital reserve', () => {
  it('opens with CHF 15,714.00 dedicated and CHF 350,000.00 unspent 2013–2015: balance 365,714.00, shortfall to target 34,286.00', async () => {
    expect((await send('PUT', '/api/v1/reserve/target', { amount: '400000.00', decisionRef: 'CCM/MSP/2017/12' })).statusCode).toBe(200);
    expect((await send('POST', '/api/v1/reserve/contributions', { date: '2016-06-30', amount: '15714.00', donor: 'Dedicated contributions since the First Review Conference' })).statusCode).toBe(201);
    const noWhy = await send('POST', '/api/v1/reserve/contributions', { date: '2016-01-15', amount: '350000.00', kind: 'transfer' });
    expect(noWhy.statusCode).toBe(422);
    expect(noWhy.json().errors[0].field).toBe('description');
    expect((await send('POST', '/api/v1/reserve/contributions', { date: '2016-01-15', amount: '350000.00', kind: 'transfer', description: 'Unspent 2013–2015 contributions' })).statusCode).toBe(201);
    const r = (await get('/api/v1/reserve?asOf=2017-12-31')).json();
    expect(r).toMatchObject({ target: '400000.00', targetDecisionRef: 'CCM/MSP/2017/12', balance: '365714.00', shortfallToTarget: '34286.00', outstandingDrawdowns: [] });
  });

  it('refuses a drawdown beyond the balance or without an operating shortfall, writing nothing, and says which limit and by how much', async () => {
    const before = rowCounts(env.ctx);
    const noShortfall = await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-05', amount: '1000.00', reason: 'salaries' });
    expect(noShortfall.statusCode).toBe(422);
    expect(noShortfall.json()).toMatchObject({ limit: 'operating-shortfall', limitAmount: '0.00', exceededBy: '1000.00' });
    // Spend CHF 400,000.00 more than there is: operating cash −400,000.00 on 2018-01-10.
    expect((await send('POST', '/api/v1/expenditures', { date: '2018-01-10', amount: '400000.00', description: 'Illustrative large expenditure' })).statusCode).toBe(201);
    const mid = rowCounts(env.ctx);
    const tooBig = await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-10', amount: '370000.00', reason: 'cash-flow shortfall' });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json()).toMatchObject({ limit: 'reserve-balance', limitAmount: '365714.00', exceededBy: '4286.00' });
    expect(tooBig.headers['content-type']).toMatch(/problem\+json/);
    // Beyond both limits: the tighter one (the reserve's 365,714.00, below the 400,000.00 shortfall) is named.
    const beyondBoth = await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-10', amount: '400000.01', reason: 'x' });
    expect(beyondBoth.json()).toMatchObject({ limit: 'reserve-balance', limitAmount: '365714.00', exceededBy: '34286.01' });
    expect((await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-10', amount: '100.00', reason: 'x' }, 'presidency')).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(mid);
    expect(mid.expenditures).toBe((before.expenditures ?? 0) + 1);
  });

  it('records drawdowns, restores the oldest first, and reports outstanding amounts and days', async () => {
    const d1 = await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-10', amount: '100000.00', reason: 'salaries January' });
    const d2 = await send('POST', '/api/v1/reserve/drawdowns', { date: '2018-01-20', amount: '50000.00', reason: 'rent' });
    expect([d1.statusCode, d2.statusCode]).toEqual([201, 201]);
    const [id1, id2] = [d1.json().id as number, d2.json().id as number];
    // Money arrives: a donor gives CHF 500,000.00 on 2018-02-01, so operating cash is positive again (more than the 2018 budget: confirmed).
    expect((await send('POST', '/api/v1/payments', { donor: 'A donor', amount: '500000.00', receivedOn: '2018-02-01', purpose: 'voluntary', confirmLarge: true })).statusCode).toBe(201);
    const tooMuch = await send('POST', '/api/v1/reserve/restorations', { date: '2018-02-05', amount: '150000.01' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ limit: 'outstanding', exceededBy: '0.01' });
    const first = await send('POST', '/api/v1/reserve/restorations', { date: '2018-02-05', amount: '60000.00' });
    expect(first.json().restored).toEqual([{ drawdown: id1, amount: '60000.00' }]);
    const second = await send('POST', '/api/v1/reserve/restorations', { date: '2018-03-01', amount: '50000.00' });
    expect(second.json().restored).toEqual([
      { drawdown: id1, amount: '40000.00' },
      { drawdown: id2, amount: '10000.00' },
    ]);
    const r = (await get('/api/v1/reserve?asOf=2018-03-31')).json();
    expect(r.outstandingDrawdowns).toEqual([{ id: id2, date: '2018-01-20', amount: '50000.00', reason: 'rent', restored: '10000.00', outstanding: '40000.00', daysOutstanding: 70 }]);
    expect(r).toMatchObject({ balance: '325714.00', totalOutstanding: '40000.00', shortfallToTarget: '74286.00' });
    const earlier = (await get('/api/v1/reserve?asOf=2018-02-10')).json();
    expect(earlier.outstandingDrawdowns.map((d: { id: number; outstanding: string; daysOutstanding: number }) => [d.id, d.outstanding, d.daysOutstanding])).toEqual([
      [id1, '40000.00', 31],
      [id2, '50000.00', 21],
    ]);
    const named = await send('POST', '/api/v1/reserve/restorations', { date: '2018-03-02', amount: '40000.01', drawdown: id2 });
    expect(named.statusCode).toBe(422);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('the cash-flow outlook', () => {
  it('matches a hand-computed table', async () => {
    // A fresh year: budget 2019 of CHF 120,000.00 → plan 10,000.00 a month. Operating cash at the end of 2018 is known from the ledger.
    const { createBudget: cb } = await import('../../src/services/budgets.js');
    cb(env.ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, year: 2019, amount: '120000.00', approvedOn: '2018-09-01', cutoffDate: '2019-03-31' }));
    const opening2019 = (await get('/api/v1/reserve?asOf=2018-12-31')).json().operatingCash; // 500,000 − 400,000 + 150,000 − 110,000 = 140,000.00
    expect(opening2019).toBe('140000.00');
    await send('POST', '/api/v1/payments', { donor: 'A donor', amount: '30000.00', receivedOn: '2019-01-10', purpose: 'voluntary' });
    await send('POST', '/api/v1/expenditures', { date: '2019-01-31', amount: '12000.00', description: 'January' });
    await send('POST', '/api/v1/expenditures', { date: '2019-02-28', amount: '150000.00', description: 'February' });
    await send('POST', '/api/v1/expenditures', { date: '2019-03-15', amount: '9000.00', description: 'March, first half' });
    await send('POST', '/api/v1/payments', { donor: 'A donor', amount: '5000.00', receivedOn: '2019-03-20', purpose: 'voluntary' });
    const out = (await get('/api/v1/cashflow?year=2019&asOf=2019-03-20')).json();
    // Jan actual: 140,000 + 30,000 − 12,000 = 158,000; Feb actual: 158,000 − 150,000 = 8,000;
    // Mar (as-of month): 8,000 + 5,000 − max(9,000 actual, 10,000 planned) = 3,000; then −10,000 a month: Apr −7,000 … Dec −87,000.
    expect(out.months.map((m: { month: string; basis: string; openingCash: string; receipts: string; closingCash: string }) => [m.month, m.basis, m.openingCash, m.receipts, m.closingCash])).toEqual([
      ['2019-01', 'actual', '140000.00', '30000.00', '158000.00'],
      ['2019-02', 'actual', '158000.00', '0.00', '8000.00'],
      ['2019-03', 'projected', '8000.00', '5000.00', '3000.00'],
      ['2019-04', 'projected', '3000.00', '0.00', '-7000.00'],
      ['2019-05', 'projected', '-7000.00', '0.00', '-17000.00'],
      ['2019-06', 'projected', '-17000.00', '0.00', '-27000.00'],
      ['2019-07', 'projected', '-27000.00', '0.00', '-37000.00'],
      ['2019-08', 'projected', '-37000.00', '0.00', '-47000.00'],
      ['2019-09', 'projected', '-47000.00', '0.00', '-57000.00'],
      ['2019-10', 'projected', '-57000.00', '0.00', '-67000.00'],
      ['2019-11', 'projected', '-67000.00', '0.00', '-77000.00'],
      ['2019-12', 'projected', '-77000.00', '0.00', '-87000.00'],
    ]);
    expect(out.months.every((m: { plannedSpending: string }) => m.plannedSpending === '10000.00')).toBe(true);
    expect(out.firstShortfall).toEqual({ month: '2019-04', shortfall: '7000.00', drawdownNeeded: '7000.00' });
    // CHF 40,000.00 is still owed to the reserve: in March cash (3,000) does not exceed April's plan (10,000): no restoration proposed.
    expect(out.proposedRestoration).toBeNull();
  });

  it('uses an edited spending plan, and reconciles a past year with the ledger', async () => {
    const months = ['20000.00', '0.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00', '10000.00'];
    const set = await send('PUT', '/api/v1/budgets/2019/spending-plan', { months });
    expect(set.json()).toMatchObject({ source: 'set', total: '120000.00' });
    expect((await send('PUT', '/api/v1/budgets/2019/spending-plan', { months: months.slice(1) })).statusCode).toBe(422);
    const out = (await get('/api/v1/cashflow?year=2019&asOf=2019-01-15')).json();
    expect(out.months[0]).toMatchObject({ basis: 'projected', receipts: '30000.00', plannedSpending: '20000.00', closingCash: '150000.00' });
    expect(out.months[1]).toMatchObject({ closingCash: '150000.00' });
    // CHF 40,000.00 owed to the reserve and January's cash (150,000) above February's plan (0): propose restoring all of it in January.
    expect(out.proposedRestoration).toEqual({ month: '2019-01', amount: '40000.00' });
    const past = (await get('/api/v1/cashflow?year=2018&asOf=2019-06-30')).json();
    expect(past.months.every((m: { basis: string }) => m.basis === 'actual')).toBe(true);
    expect(past.months[11].closingCash).toBe('140000.00');
  });
  it('warns of the shortfall ahead, not of one past; proposes no restoration that a later month would lack; a finished December is actual', async () => {
    // April 2019: a CHF 50,000.00 expenditure makes April close at −46,000 (actual); May brings 100,000.
    await send('POST', '/api/v1/expenditures', { date: '2019-04-10', amount: '50000.00', description: 'April, an early rent payment' });
    await send('POST', '/api/v1/payments', { donor: 'A donor', amount: '100000.00', receivedOn: '2019-05-05', purpose: 'voluntary' });
    const out = (await get('/api/v1/cashflow?year=2019&asOf=2019-06-15')).json();
    const closing = Object.fromEntries(out.months.map((m: { month: string; closingCash: string }) => [m.month, m.closingCash]));
    // Mar 8,000 + 5,000 − 9,000 = 4,000; Apr −46,000; May 54,000; June (as of the 15th) at least its plan: 44,000; then −10,000 a month.
    expect(closing).toMatchObject({ '2019-03': '4000.00', '2019-04': '-46000.00', '2019-05': '54000.00', '2019-06': '44000.00', '2019-10': '4000.00', '2019-11': '-6000.00', '2019-12': '-16000.00' });
    expect(out.firstShortfall).toEqual({ month: '2019-11', shortfall: '6000.00', drawdownNeeded: '6000.00' });
    // CHF 40,000.00 is owed to the reserve and June holds 44,000, but November would then lack it: nothing proposed, here or on the reserve.
    expect(out.proposedRestoration).toBeNull();
    expect((await get('/api/v1/reserve?asOf=2019-06-15')).json()).toMatchObject({ totalOutstanding: '40000.00', proposedRestoration: null });
    // As of 31 December the whole year is actual and reconciles with the ledger.
    const dec = (await get('/api/v1/cashflow?year=2019&asOf=2019-12-31')).json();
    expect(dec.months.every((m: { basis: string }) => m.basis === 'actual')).toBe(true);
    expect(dec.months[11].closingCash).toBe((await get('/api/v1/reserve?asOf=2019-12-31')).json().operatingCash);
    expect(dec.firstShortfall).toBeNull();
  });

  it('proposes on the reserve exactly what the outlook proposes', async () => {
    // 2019-01-15 with the edited plan: the outlook proposes 40,000.00 in January; so does the reserve.
    const out = (await get('/api/v1/cashflow?year=2019&asOf=2019-01-15')).json();
    const reserve = (await get('/api/v1/reserve?asOf=2019-01-15')).json();
    expect(out.proposedRestoration).toEqual({ month: '2019-01', amount: '40000.00' });
    expect(reserve.proposedRestoration).toBe('40000.00');
  });
});
