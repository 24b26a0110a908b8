/**
 * Corrections and period locks over HTTP (SPEC 9.3, 9.4; issue 13): each
 * guard and each refusal answers problem+json naming the field and writes
 * nothing; reversals of payments, expenditures and reserve movements; the
 * lists; closing a period refuses entries dated in it (409 naming the lock),
 * accepts the next day; only an admin reopens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { listInvoices } from '../../src/services/invoices.js';
import { verifyLedger } from '../../src/services/verify.js';
import { auth, makeIssued2018Env, rowCounts, type TestEnv } from '../helpers.js';

let env: TestEnv;
let mexRef: string;
let fraRef: string;
const actor = cliActor('test');

beforeAll(async () => {
  env = await makeIssued2018Env();
  const invs = listInvoices(env.ctx, {}, null);
  mexRef = invs.find((i) => i.iso3 === 'MEX')!.creditorReference;
  fraRef = invs.find((i) => i.iso3 === 'FRA')!.creditorReference;
});
afterAll(() => env.close());

let key = 0;
const send = (method: 'POST' | 'GET', url: string, body?: unknown, user = 'finance', headers: Record<string, string> = {}) =>
  env.app.inject({
    method,
    url,
    headers: { ...auth(env.tokens[user]), ...(method === 'POST' && url === '/api/v1/payments' ? { 'idempotency-key': `k${++key}` } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });

/** Sends a request that must be refused: its status and the field its problem names; nothing is written. */
async function refused(method: 'POST', url: string, body: unknown, status: number, field: string, user = 'finance') {
  const before = rowCounts(env.ctx);
  const res = await send(method, url, body, user);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json() as { field?: string; errors?: { field: string }[] };
  expect(p.field ?? p.errors?.[0]?.field, res.body).toBe(field);
  const { audit_log: _a, ...b } = before;
  const { audit_log: _b, ...a } = rowCounts(env.ctx);
  expect(a).toEqual(b);
  return res.json() as Record<string, unknown>;
}

describe('the guards of a payment (SPEC 9.3)', () => {
  it('takes the State from an RF reference when no iso3 is given', async () => {
    const res = await send('POST', '/api/v1/payments', { amount: '100.00', receivedOn: '2018-01-10', reference: mexRef, bankReference: 'B-1' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ iso3: 'MEX', status: 'recorded', reversal: null });
    await refused('POST', '/api/v1/payments', { amount: '100.00', receivedOn: '2018-01-10', reference: 'RF18539007547034' }, 422, 'iso3');
  });

  it('refuses a bank reference already on a live payment (409), unless told it is another payment', async () => {
    const p = await refused('POST', '/api/v1/payments', { iso3: 'MEX', amount: '50.00', receivedOn: '2018-01-11', bankReference: 'B-1' }, 409, 'bankReference');
    expect(p.detail).toMatch(/already on payment \d+/);
    const ok = await send('POST', '/api/v1/payments', { iso3: 'MEX', amount: '50.00', receivedOn: '2018-01-11', bankReference: 'B-1', allowDuplicateBankReference: true });
    expect(ok.statusCode).toBe(201);
  });

  it("refuses another State's RF reference (422 naming that State), unless told to ignore it", async () => {
    const p = await refused('POST', '/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-12', reference: mexRef }, 422, 'reference');
    expect(p.detail).toMatch(/of MEX, not of FRA/);
    const ok = await send('POST', '/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-12', reference: mexRef, ignoreReferenceMismatch: true });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().iso3).toBe('FRA');
  });

  it('refuses CHF as original currency with an original amount that is not the amount', async () => {
    await refused('POST', '/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-12', currency: 'CHF', originalAmount: '10.50' }, 422, 'originalAmount');
    const ok = await send('POST', '/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-13', currency: 'CHF', originalAmount: '10.000', reference: fraRef });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('reversals (SPEC 9.3)', () => {
  it('reverses a payment: listed as reversed, what it paid open again, once; finance only', async () => {
    const paid = (await send('POST', '/api/v1/payments', { iso3: 'FRA', amount: '1000.00', receivedOn: '2018-02-01', reference: fraRef })).json();
    const before = (await send('GET', '/api/v1/states/FRA/balance?asOf=2018-02-01')).json();
    expect((await send('POST', `/api/v1/payments/${paid.id}/reverse`, { reason: 'x' }, 'presidency')).statusCode).toBe(403);
    await refused('POST', `/api/v1/payments/${paid.id}/reverse`, { reason: 'x', date: '2018-01-31' }, 422, 'date');
    const res = await send('POST', `/api/v1/payments/${paid.id}/reverse`, { reason: 'the bank returned it' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ payment: { id: paid.id, status: 'reversed', reversal: { date: '2018-02-01', reason: 'the bank returned it' } }, reversal: { entity: 'payment', entityId: paid.id } });
    const after = (await send('GET', '/api/v1/states/FRA/balance?asOf=2018-02-01')).json();
    expect(BigInt(after.outstanding.replace('.', '')) - BigInt(before.outstanding.replace('.', ''))).toBe(100000n);
    await refused('POST', `/api/v1/payments/${paid.id}/reverse`, { reason: 'again' }, 409, 'id');
    expect((await send('POST', '/api/v1/payments/999999/reverse', { reason: 'x' })).statusCode).toBe(404);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });

  it('reverses an expenditure and a reserve movement, and lists them with their reversal', async () => {
    const e = (await send('POST', '/api/v1/expenditures', { date: '2018-03-05', amount: '250.00', description: 'Typo: keyed twice' })).json();
    const r = await send('POST', `/api/v1/expenditures/${e.id}/reverse`, { reason: 'keyed twice' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ entity: 'expenditure', entityId: e.id, date: '2018-03-05' });
    const listed = (await send('GET', '/api/v1/expenditures?year=2018')).json() as { id: number; reversal: unknown }[];
    expect(listed.find((x) => x.id === e.id)!.reversal).toEqual({ date: '2018-03-05', reason: 'keyed twice' });
    const c = (await send('POST', '/api/v1/reserve/contributions', { date: '2018-03-06', amount: '75.00', iso3: 'MEX' })).json();
    const moves = (await send('GET', '/api/v1/reserve/movements?from=2018-03-01&to=2018-03-31')).json() as { id: number; iso3: string | null; reversal: unknown }[];
    expect(moves.find((m) => m.id === c.id)).toMatchObject({ iso3: 'MEX', reversal: null });
    // The contribution shows on Mexico's statement, beyond its assessments.
    const st = (await send('GET', '/api/v1/states/MEX/statement?from=2018-01-01&to=2018-12-31')).json();
    expect(st.otherContributions).toContainEqual({ date: '2018-03-06', purpose: 'reserve', reference: expect.any(String), amount: '75.00', original: null });
    const rr = await send('POST', `/api/v1/reserve/movements/${c.id}/reverse`, { reason: 'was voluntary, not for the reserve' });
    expect(rr.statusCode, rr.body).toBe(200);
    const again = (await send('GET', '/api/v1/reserve/movements?from=2018-03-06&to=2018-03-06')).json() as { id: number; reversal: unknown }[];
    expect(again.find((m) => m.id === c.id)!.reversal).toMatchObject({ date: '2018-03-06' });
    expect((await send('GET', '/api/v1/states/MEX/statement?from=2018-01-01&to=2018-12-31')).json().otherContributions).toEqual([]);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});

describe('period locks (SPEC 9.4)', () => {
  it('after closing through 2018-12-31, entries dated then answer 409 naming the lock; 2019-01-01 is accepted', async () => {
    await refused('POST', '/api/v1/periods/close', { through: '2099-01-01', reason: 'x' }, 422, 'through');
    const closed = await send('POST', '/api/v1/periods/close', { through: '2018-12-31', reason: 'Year 2018 audited' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ lockedThrough: '2018-12-31', firstOpenDate: '2019-01-01' });
    for (const [url, body] of [
      ['/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-12-31' }],
      ['/api/v1/expenditures', { date: '2018-12-31', amount: '10.00', description: 'late' }],
      ['/api/v1/reserve/contributions', { date: '2018-12-31', amount: '10.00', donor: 'A donor' }],
    ] as const) {
      const field = url === '/api/v1/payments' ? 'receivedOn' : 'date';
      const p = await refused('POST', url, body, 409, field);
      expect(p).toMatchObject({ lockedThrough: '2018-12-31' });
      expect(p.detail).toMatch(/locked through 2018-12-31/);
    }
    expect((await send('POST', '/api/v1/payments', { iso3: 'FRA', amount: '10.00', receivedOn: '2019-01-01' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/expenditures', { date: '2019-01-01', amount: '10.00', description: 'January' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/reserve/contributions', { date: '2019-01-01', amount: '10.00', donor: 'A donor' })).statusCode).toBe(201);
  });

  it('reverses a payment of a closed period at the first open date', async () => {
    const p = env.ctx.sqlite.prepare("SELECT id FROM payments WHERE received_on = '2018-01-12' AND state_iso3 = 'FRA'").get() as { id: number };
    const res = await send('POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'wrong State after all' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reversal.date).toBe('2019-01-01');
    await refused('POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'x' }, 409, 'id');
  });

  it('only an admin reopens, with a reason; closing never goes backwards', async () => {
    await refused('POST', '/api/v1/periods/close', { through: '2018-06-30', reason: 'x' }, 409, 'through');
    expect((await send('POST', '/api/v1/periods/reopen', { through: '2018-06-30', reason: 'x' })).statusCode).toBe(403);
    const reopened = await send('POST', '/api/v1/periods/reopen', { through: '2018-06-30', reason: 'An audit adjustment of December' }, 'admin');
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ lockedThrough: '2018-06-30', history: [{ action: 'reopen', through: '2018-06-30' }, { action: 'close', through: '2018-12-31' }] });
    expect((await send('POST', '/api/v1/expenditures', { date: '2018-12-31', amount: '1.00', description: 'December adjustment' })).statusCode).toBe(201);
    expect((await send('GET', '/api/v1/periods', undefined, 'auditor')).json().lockedThrough).toBe('2018-06-30');
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});
