import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
let keyN = 0;
const pay = (body: unknown, key = `k-${++keyN}`, user = 'finance') =>
  env.app.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...auth(env.tokens[user]), 'idempotency-key': key }, payload: body as object });
const get = (url: string, user = 'finance') => env.app.inject({ url, headers: auth(env.tokens[user]) });
const post = (url: string, body: unknown, user = 'finance') => env.app.inject({ method: 'POST', url, headers: auth(env.tokens[user]), payload: body as object });

// Invoices: 2017 and 2018 for FRA, MEX, BEN (BEN only from 2018: in force 1 January 2018).
let inv: Record<string, { number: string; total: string; lines: { category: string; amount: string }[]; creditorReference: string }> = {};

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createBudget(ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
    createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
  const list = (await get('/api/v1/invoices')).json() as { number: string; iso3: string; year: number; total: string; lines: { category: string; amount: string }[]; creditorReference: string }[];
  inv = Object.fromEntries(list.map((i) => [`${i.iso3}${i.year}`, i]));
});
afterAll(() => env.close());

const cents = (s: string) => BigInt(s.replace('.', ''));
const chf = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;

describe('payments', () => {
  it('requires the Idempotency-Key header and valid fields, writing nothing otherwise', async () => {
    const before = rowCounts(env.ctx);
    const noKey = await env.app.inject({ method: 'POST', url: '/api/v1/payments', headers: auth(env.tokens.finance), payload: { iso3: 'FRA', amount: '1.00', receivedOn: '2018-01-10' } });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].field).toBe('idempotency-key');
    const cases: [unknown, string][] = [
      [{ iso3: 'FRA', amount: '0.00', receivedOn: '2018-01-10' }, 'amount'],
      [{ iso3: 'FRA', amount: '-5.00', receivedOn: '2018-01-10' }, 'amount'],
      [{ iso3: 'FRA', amount: '10.001', receivedOn: '2018-01-10' }, 'amount'],
      [{ iso3: 'FRA', amount: 10, receivedOn: '2018-01-10' }, 'amount'],
      [{ iso3: 'FRA', amount: '10.00', receivedOn: '2018-02-30' }, 'receivedOn'],
      [{ iso3: 'FRA', amount: '10.00', receivedOn: '2999-01-01' }, 'receivedOn'],
      [{ iso3: 'ZZZ', amount: '10.00', receivedOn: '2018-01-10' }, 'iso3'],
      [{ iso3: 'FRA', donor: 'X', amount: '10.00', receivedOn: '2018-01-10' }, 'iso3'],
      [{ donor: 'A foundation', amount: '10.00', receivedOn: '2018-01-10' }, 'purpose'],
      [{ iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-10', currency: 'EUR' }, 'originalAmount'],
      [{ iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-10', invoice: inv.MEX2018!.number }, 'invoice'],
      [{ iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-10', purpose: 'gift' }, 'purpose'],
    ];
    for (const [body, field] of cases) {
      const res = await pay(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(res.json())).toContain(field);
    }
    expect((await pay({ iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-10' }, 'k-ro', 'presidency')).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('records one payment for a key replayed 20 times, also concurrently; a different body under the key is 409', async () => {
    const body = { iso3: 'BEN', amount: '100.00', receivedOn: '2018-01-20', bankReference: 'BEN-1' };
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await pay(body, 'replay-1'));
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => pay(body, 'replay-1')));
    const all = [...sequential, ...concurrent];
    expect(all.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(all.map((r) => r.json().id)).size).toBe(1);
    expect(all.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    const count = env.ctx.sqlite.prepare("SELECT count(*) AS n FROM payments WHERE idempotency_key = 'replay-1'").get() as { n: number };
    expect(count.n).toBe(1);
    const other = await pay({ ...body, amount: '200.00' }, 'replay-1');
    expect(other.statusCode).toBe(409);
    expect(other.json().errors ?? []).toEqual([]);
    expect(other.json().detail).toMatch(/Idempotency-Key/);
  });

  it('applies a partial payment to the 2017 invoice first, 7(a) before 7(b)', async () => {
    const i2017 = inv.FRA2017!;
    const a2017 = cents(i2017.lines[0]!.amount);
    const amount = a2017 + 1000n; // all of 7(a) 2017 and CHF 10.00 of 7(b) 2017
    const res = await pay({ iso3: 'FRA', amount: chf(amount), receivedOn: '2018-01-15' });
    expect(res.statusCode).toBe(201);
    expect(res.json().applications).toEqual([
      { invoice: i2017.number, category: '7(a)', amount: i2017.lines[0]!.amount, appliedOn: '2018-01-15' },
      { invoice: i2017.number, category: '7(b)', amount: '10.00', appliedOn: '2018-01-15' },
    ]);
    expect(res.json().unapplied).toBe('0.00');
    const bal = (await get('/api/v1/states/FRA/balance?asOf=2018-01-15')).json();
    expect(cents(bal.outstanding)).toBe(cents(i2017.total) + cents(inv.FRA2018!.total) - amount);
    expect(bal.arrears).toEqual([{ year: 2017, amount: chf(cents(i2017.total) - amount) }]);
  });

  it('leaves exactly the excess of an overpayment as unapplied credit', async () => {
    const open = cents(inv.MEX2017!.total) + cents(inv.MEX2018!.total);
    const res = await pay({ iso3: 'MEX', amount: chf(open + 123456n), receivedOn: '2018-02-01' });
    expect(res.json().unapplied).toBe('1234.56');
    const bal = (await get('/api/v1/states/MEX/balance?asOf=2018-02-01')).json();
    expect(bal).toMatchObject({ outstanding: '0.00', unappliedCredit: '1234.56', arrears: [] });
  });

  it('directs money quoting an invoice’s creditor reference to that invoice', async () => {
    const target = inv.BEN2018!;
    const res = await pay({ iso3: 'BEN', amount: '50.00', receivedOn: '2018-02-02', reference: target.creditorReference.replace(/(.{4})/g, '$1 ') });
    expect(res.json().invoice).toBe(target.number);
    expect(res.json().applications.map((a: { invoice: string }) => a.invoice)).toEqual([target.number]);
  });

  it('reclassifies credit as voluntary income: it leaves the balance and shows as voluntary in the ledger', async () => {
    const before = (await get('/api/v1/states/MEX/balance')).json();
    const tooMuch = await post('/api/v1/states/MEX/credit/reclassify', { amount: '1234.57', to: 'voluntary' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: 'amount' });
    const res = await post('/api/v1/states/MEX/credit/reclassify', { amount: '1000.00', to: 'voluntary', date: '2018-03-01' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount: '1000.00', unappliedCredit: '234.56' });
    const after = (await get('/api/v1/states/MEX/balance')).json();
    expect(after.unappliedCredit).toBe('234.56');
    expect(after.outstanding).toBe(before.outstanding);
    const voluntary = env.ctx.sqlite
      .prepare("SELECT -SUM(amount_centimes) AS c FROM postings WHERE account_code = '4200' AND state_iso3 = 'MEX'")
      .safeIntegers(true)
      .get() as { c: bigint };
    expect(voluntary.c).toBe(100000n);
    expect((await post('/api/v1/states/MEX/credit/reclassify', { amount: '10.00', to: 'reserve' }, 'presidency')).statusCode).toBe(403);
  });

  it('keeps money named for one invoice off the others, and applies that credit to a later invoice on request', async () => {
    const i2017 = inv.FRA2017!;
    const open2017 = cents(i2017.total) - cents(i2017.lines[0]!.amount) - 1000n;
    const res = await pay({ iso3: 'FRA', amount: chf(open2017 + 70000n), receivedOn: '2018-03-05', invoice: i2017.number });
    expect(res.json().applications).toEqual([{ invoice: i2017.number, category: '7(b)', amount: chf(open2017), appliedOn: '2018-03-05' }]);
    expect(res.json().unapplied).toBe('700.00');
    const tooEarly = await post('/api/v1/states/FRA/credit/apply', { invoice: inv.FRA2018!.number, date: '2018-03-04' });
    expect(tooEarly.statusCode).toBe(422);
    const tooMuch = await post('/api/v1/states/FRA/credit/apply', { invoice: inv.FRA2018!.number, amount: '700.01', date: '2018-03-06' });
    expect(tooMuch.statusCode).toBe(422);
    const ok = await post('/api/v1/states/FRA/credit/apply', { invoice: inv.FRA2018!.number, date: '2018-03-06' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ applied: '700.00', applications: [{ category: '7(a)', amount: '700.00' }], unappliedCredit: '0.00' });
    const bal = (await get('/api/v1/states/FRA/balance?asOf=2018-03-06')).json();
    expect(bal.arrears).toEqual([]);
    expect(bal.unappliedCredit).toBe('0.00');
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('gives the balance as of a date before a payment without it', async () => {
    const early = (await get('/api/v1/states/MEX/balance?asOf=2018-01-31')).json();
    const late = (await get('/api/v1/states/MEX/balance?asOf=2018-02-01')).json();
    expect(cents(early.outstanding) - cents(late.outstanding)).toBe(cents(inv.MEX2017!.total) + cents(inv.MEX2018!.total));
    expect(early.unappliedCredit).toBe('0.00');
    expect(early.paid).toBe('0.00');
    const beforeInvoices = (await get('/api/v1/states/MEX/balance?asOf=2016-01-01')).json();
    expect(beforeInvoices).toMatchObject({ invoiced: '0.00', outstanding: '0.00' });
  });

  it('lets a State see its own balance, payments and statement, and 404 for another State; read-only roles read all', async () => {
    expect((await get('/api/v1/states/FRA/balance', 'fra')).statusCode).toBe(200);
    expect((await get('/api/v1/states/FRA/statement?from=2016-01-01', 'fra')).statusCode).toBe(200);
    const own = (await get('/api/v1/payments', 'fra')).json();
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((p: { iso3: string }) => p.iso3 === 'FRA')).toBe(true);
    for (const url of ['/api/v1/states/MEX/balance', '/api/v1/states/MEX/statement?from=2016-01-01', '/api/v1/states/MEX/statement.pdf?from=2016-01-01', '/api/v1/payments?state=MEX', '/api/v1/payments/1']) {
      const res = await get(url, 'fra');
      expect(res.statusCode, url).toBe(404);
    }
    for (const user of ['presidency', 'auditor']) {
      expect((await get('/api/v1/states/MEX/balance', user)).statusCode).toBe(200);
      expect((await get('/api/v1/payments', user)).json().length).toBeGreaterThan(3);
      expect((await pay({ iso3: 'MEX', amount: '1.00', receivedOn: '2018-01-10' }, `ro-${user}`, user)).statusCode).toBe(403);
      expect((await post('/api/v1/states/MEX/credit/apply', { invoice: inv.MEX2018!.number }, user)).statusCode).toBe(403);
    }
  });

  it('prints a statement that reconciles opening, lines and closing, in JSON and PDF', async () => {
    const st = (await get('/api/v1/states/FRA/statement?from=2017-01-01&to=2018-12-31')).json();
    let running = cents(st.openingBalance);
    for (const l of st.lines) {
      running += (l.debit ? cents(l.debit) : 0n) - (l.credit ? cents(l.credit) : 0n);
      expect(cents(l.balance)).toBe(running);
    }
    expect(cents(st.closingBalance)).toBe(running);
    const bal = (await get('/api/v1/states/FRA/balance?asOf=2018-12-31')).json();
    expect(cents(st.closingBalance)).toBe(cents(bal.outstanding) - cents(bal.unappliedCredit));
    const pdf = await get('/api/v1/states/FRA/statement.pdf?from=2017-01-01&to=2018-12-31', 'fra');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
