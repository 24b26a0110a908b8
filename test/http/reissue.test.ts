/**
 * An invoice cancelled by mistake is issued again (SPEC 9.3, issue 13): a new
 * number, the same obligation, pointing at the cancelled one; the money the
 * cancellation gave back to credit is applied to it on issue; once only.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { computeBalance } from '../../src/services/accounts.js';
import { invoicePdf, listInvoices } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { verifyLedger } from '../../src/services/verify.js';
import { auth, makeIssued2018Env, rowCounts, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

let env: TestEnv;
const actor = cliActor('test');
const post = (url: string, body: unknown, user = 'finance') => env.app.inject({ method: 'POST', url, headers: auth(env.tokens[user]), payload: body as object });

beforeAll(async () => {
  env = await makeIssued2018Env();
});
afterAll(() => env.close());

describe('re-issuing an invoice cancelled by mistake', () => {
  it('refuses an invoice that is not cancelled (409), writing nothing', async () => {
    const mex = listInvoices(env.ctx, { state: 'MEX' }, null)[0]!;
    const before = rowCounts(env.ctx);
    const res = await post(`/api/v1/invoices/${mex.number}/reissue`, { reason: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'number' });
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('issues a new number for the same obligation; the money the cancellation freed pays it at once', async () => {
    const mex = listInvoices(env.ctx, { state: 'MEX' }, null)[0]!;
    recordPayment(env.ctx, actor, 'mex-part', { iso3: 'MEX', amount: '1000.00', receivedOn: '2017-10-01' });
    expect((await post(`/api/v1/invoices/${mex.number}/cancel`, { reason: 'keyed in error', date: '2017-10-05' })).statusCode).toBe(201);
    expect(computeBalance(env.ctx, 'MEX', '2017-10-05')).toMatchObject({ outstanding: '0.00', unappliedCredit: '1000.00' });
    expect((await post(`/api/v1/invoices/${mex.number}/reissue`, { reason: 'cancelled by mistake', date: '2017-10-04' })).statusCode).toBe(422);
    const res = await post(`/api/v1/invoices/${mex.number}/reissue`, { reason: 'cancelled by mistake', date: '2017-10-06' });
    expect(res.statusCode, res.body).toBe(201);
    const again = res.json();
    expect(again).toMatchObject({
      kind: 'reissue',
      iso3: 'MEX',
      originalInvoice: mex.number,
      total: mex.total,
      lines: mex.lines,
      cutoffDate: mex.cutoffDate,
      issueDate: '2017-10-06',
      creditAppliedOnIssue: '1000.00',
      status: 'issued',
    });
    expect(again.number).toBe('ISU-2018-0003');
    expect(computeBalance(env.ctx, 'MEX', '2017-10-06')).toMatchObject({ unappliedCredit: '0.00', paid: '1000.00' });
    const text = (await pdfText(fs.readFileSync((await invoicePdf(env.ctx, again.number, null)).file))).replace(/\s+/g, ' ');
    expect(text).toContain(`Esta factura sustituye a la factura ${mex.number}, anulada por error mediante la nota de crédito CN-2018-0001`);
    const twice = await post(`/api/v1/invoices/${mex.number}/reissue`, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toMatch(/already issued again as ISU-2018-0003/);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});
