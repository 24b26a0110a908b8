/**
 * Issue 16, findings 1, 2, 3 and 11 (SPEC 9.8 "four eyes on money's
 * destination"): a change of the bank details waits for a second admin; every
 * issued document keeps the bank details it printed and re-renders to the
 * same bytes after any settings change; an IBAN the QR-bill cannot carry is
 * refused when set; a PDF that could not be written after its document was
 * committed is reported truthfully and rendered on first read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const req = (method: 'GET' | 'POST' | 'PUT', url: string, user: string, payload?: unknown) =>
  env.app.inject({ method, url, headers: auth(env.tokens[user]), ...(payload !== undefined ? { payload: payload as object } : {}) });

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
    createScale(ctx, actor, SCALE_SMALL);
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());

describe('issue 16: the bank details', () => {
  it('finding 3: a foreign IBAN is refused when set (422 naming bank.iban, with the reason), writing nothing', async () => {
    const before = rowCounts(env.ctx);
    for (const iban of ['GB82 WEST 1234 5698 7654 32', 'DE89 3704 0044 0532 0130 00']) {
      const res = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban } });
      expect(res.statusCode, iban).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.errors).toEqual([{ field: 'bank.iban', message: expect.stringMatching(/Swiss QR-bill.*CH or LI/) }]);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(() => issuerSettingsSchema.parse({ ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban: 'GB82WEST12345698765432' } })).toThrow(/CH or LI/);
    // A batch still works: nothing foreign reached the settings.
    expect((await req('GET', '/api/v1/settings/issuer', 'admin')).json().bank.iban).toBe('CH5604835012345678009');
  });

  it('finding 2: a lost invoice or credit-note PDF is rendered again to the same bytes after the settings changed', async () => {
    const cancel = await req('POST', '/api/v1/invoices/ISU-2018-0001/cancel', 'finance', { reason: 'finding 2', date: '2017-10-01' });
    expect(cancel.statusCode, cancel.body).toBe(201);
    const cn = cancel.json();
    const inv = (await req('GET', '/api/v1/invoices/ISU-2018-0002', 'finance')).json();
    // A change of a field that is not a bank detail (the sender's name) takes effect at once.
    const put = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...DEMO_ISSUER, name: 'ISU of the CCM (renamed)' });
    expect(put.statusCode, put.body).toBe(200);
    for (const [number, year, url, recorded] of [
      [inv.number, 2018, inv.pdfUrl, inv.pdfSha256],
      [cn.number, 2018, cn.pdfUrl, cn.pdfSha256],
    ] as const) {
      fs.rmSync(path.join(env.ctx.invoiceDir, String(year), `${number}.pdf`));
      const res = await req('GET', url, 'finance');
      expect(res.statusCode, `${number}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(sha(res.rawPayload)).toBe(recorded);
    }
  });

  it('finding 11: a credit note committed but whose PDF could not be written is reported truthfully (not "nothing was recorded") and its PDF is rendered on first read', async () => {
    // Something in the way of the PDF file (a directory where the file goes): the write after the commit fails, even for root.
    const blocked = path.join(env.ctx.invoiceDir, '2018', 'CN-2018-0002.pdf');
    fs.mkdirSync(blocked, { recursive: true });
    const before = rowCounts(env.ctx);
    const res = await req('POST', '/api/v1/invoices/ISU-2018-0002/cancel', 'finance', { reason: 'finding 11', date: '2017-10-02' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.detail).not.toMatch(/nothing was recorded/);
    expect(body.detail).toMatch(/credit note CN-2018-0002 was recorded/);
    expect(body.detail).toMatch(/rendered .*on first read/);
    expect(body.recorded).toEqual({ type: 'credit-note', number: 'CN-2018-0002' });
    const after = rowCounts(env.ctx);
    expect(after.credit_notes).toBe(before.credit_notes! + 1);
    expect(env.ctx.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'credit-note' AND entity_id = 'CN-2018-0002'").get()).toEqual({ n: 1 });
    // Asking again does not cancel twice.
    expect((await req('POST', '/api/v1/invoices/ISU-2018-0002/cancel', 'finance', { reason: 'again', date: '2017-10-02' })).statusCode).toBe(409);
    // Once the obstacle is gone, the first read renders the PDF of record.
    fs.rmdirSync(blocked);
    const cn = (await req('GET', '/api/v1/credit-notes/CN-2018-0002', 'finance')).json();
    const pdf = await req('GET', '/api/v1/credit-notes/CN-2018-0002/pdf', 'finance');
    expect(pdf.statusCode).toBe(200);
    expect(sha(pdf.rawPayload)).toBe(cn.pdfSha256);
    expect(sha(fs.readFileSync(blocked))).toBe(cn.pdfSha256);
  });
});
