/**
 * E-mail delivery without an SMTP server (SPEC 9.7): every message is written
 * as an .eml file to the outbox, exactly what SMTP would carry; bad requests
 * answer 422 naming the field with nothing written; who may send and read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
let outbox: string;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const post = (url: string, payload: object | string, user = 'finance') =>
  env.app.inject({ method: 'POST', url, headers: { ...auth(env.tokens[user]), 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
const get = (url: string, user = 'finance') => env.app.inject({ url, headers: auth(env.tokens[user]) });
/** Every file under the outbox, relative to it. */
const outboxFiles = (): string[] => (fs.existsSync(outbox) ? (fs.readdirSync(outbox, { recursive: true }) as string[]).filter((f) => f.endsWith('.eml')).sort() : []);

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [
      { ...STATE_FRA, billing: { addressLines: [], emails: ['Compta@fra.example'] } },
      { ...STATE_MEX, billing: { addressLines: [], emails: ['pagos@mex.example', 'tesoreria@mex.example'] } },
      STATE_BEN,
    ]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  outbox = path.join(env.dir, 'outbox-test');
  env.ctx.outboxDir = outbox;
  env.ctx.smtpUrl = null;
  env.ctx.mailFrom = null;
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());

const invoices = () => Object.fromEntries(listInvoices(env.ctx, { year: 2018 }, null).map((i) => [i.iso3, i]));

describe('delivery to the outbox', () => {
  it('refuses bad requests with 422 naming the field, writing nothing and no file', async () => {
    const before = rowCounts(env.ctx);
    const inv = invoices();
    await cancelInvoice(env.ctx, cliActor('test'), inv.BEN!.number, { reason: 'test: a cancelled invoice' });
    const afterCancel = rowCounts(env.ctx);
    expect(afterCancel.credit_notes).toBe(before.credit_notes! + 1);
    const cases: [object | string, string][] = [
      [{ kind: 'letters', year: 2018 }, 'kind'],
      [{ year: 2018 }, 'kind'],
      [{ kind: 'invoices' }, 'year'],
      [{ kind: 'invoices', year: 2031 }, 'year'],
      [{ kind: 'invoices', year: 18 }, 'year'],
      [{ kind: 'invoices', year: 2018, states: ['XXX'] }, 'states.0'],
      [{ kind: 'invoices', year: 2018, states: ['FRA', 'fra'] }, 'states.1'],
      [{ kind: 'invoices', numbers: ['ISU-2018-0099'] }, 'numbers.0'],
      [{ kind: 'invoices', numbers: [inv.FRA!.number, 'nope'] }, 'numbers.1'],
      [{ kind: 'invoices', numbers: [inv.BEN!.number] }, 'numbers.0'],
      [{ kind: 'invoices', year: 2018, asOf: '2018-06-30' }, 'asOf'],
      [{ kind: 'invoices', year: 2018, resend: 'yes' }, 'resend'],
      [{ kind: 'invoices', year: 2018, colour: 'red' }, 'colour'],
      [{ kind: 'credit-notes', year: 2019 }, 'year'],
      [{ kind: 'statements' }, 'asOf'],
      [{ kind: 'statements', asOf: '2018-02-30' }, 'asOf'],
      [{ kind: 'statements', asOf: '2999-01-01' }, 'asOf'],
      [{ kind: 'statements', asOf: '2018-06-30', year: 2018 }, 'year'],
      [{ kind: 'statements', asOf: '2018-06-30', states: ['ZZZ'] }, 'states.0'],
      [{ kind: 'reminders' }, 'year'],
      [{ kind: 'reminders', year: 2018 }, 'year'],
      ['{"kind": "invoices", "year": 2018', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/v1/deliveries', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(field === 'body' ? 400 : 422);
      expect(res.headers['content-type'], JSON.stringify(body)).toMatch(/^application\/problem\+json/);
      if (field !== 'body') expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    // A cancelled invoice is not sent: its credit note is.
    const cancelled = await post('/api/v1/deliveries', { kind: 'invoices', numbers: [inv.BEN!.number] });
    expect(cancelled.json().errors[0].message).toMatch(/cancelled by credit note CN-2018-0001: send the credit note/);
    expect((await post('/api/v1/deliveries/retry', { kind: 'letters' })).json().errors[0].field).toBe('kind');
    expect(rowCounts(env.ctx)).toEqual(afterCancel);
    expect(outboxFiles()).toEqual([]);
  });

  it('writes one .eml a document and address, the very message SMTP would carry, parsed back by mailparser', async () => {
    const res = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    // BEN's invoice is cancelled: not sent.
    expect(run).toMatchObject({ transport: 'file', written: 3, sent: 0, failed: 0, skipped: 0 });
    const inv = invoices();
    expect(outboxFiles()).toEqual(
      [`invoices/${inv.FRA!.number}--Compta@fra.example.eml`, `invoices/${inv.MEX!.number}--pagos@mex.example.eml`, `invoices/${inv.MEX!.number}--tesoreria@mex.example.eml`].sort(),
    );
    for (const d of run.deliveries) {
      expect(d).toMatchObject({ transport: 'file', status: 'written', resend: false, retryOf: null, actor: 'finance' });
      const raw = fs.readFileSync(path.join(outbox, d.response));
      expect(raw.toString('latin1')).toMatch(/^(?:[^\n]*\r\n)+\r\n/); // CRLF line ends, as on the wire
      const mail = await simpleParser(raw);
      const invoice = inv[d.iso3]!;
      expect(mail.messageId).toBe(d.messageId);
      expect(mail.to).toMatchObject({ value: [{ address: d.recipient }] });
      // Without ISU_MAIL_FROM the issuer writes.
      expect(mail.from?.value).toEqual([{ name: DEMO_ISSUER.name, address: DEMO_ISSUER.email }]);
      expect(mail.attachments.map((a) => [a.filename, sha(a.content)])).toEqual([[`${invoice.number}.pdf`, invoice.pdfSha256]]);
      expect(d.attachmentSha256).toBe(invoice.pdfSha256);
      expect(mail.text).toContain(invoice.language === 'fr' ? 'Veuillez trouver ci-joint la facture' : 'Adjuntamos la factura');
      expect(mail.html).toContain(invoice.language === 'fr' ? '<html lang="fr">' : '<html lang="es">');
    }
  });

  it('a resend writes new files beside the first ones, never over them', async () => {
    const first = outboxFiles().map((f) => [f, sha(fs.readFileSync(path.join(outbox, f)))]);
    const fra = invoices().FRA!;
    const res = await post('/api/v1/deliveries', { kind: 'invoices', numbers: [fra.number], resend: true }, 'admin');
    expect(res.statusCode).toBe(201);
    expect(res.json().deliveries.map((d: { response: string; resend: boolean; actor: string }) => [d.response, d.resend, d.actor])).toEqual([[`invoices/${fra.number}--Compta@fra.example--2.eml`, true, 'admin']]);
    for (const [f, h] of first) expect(sha(fs.readFileSync(path.join(outbox, f!)))).toBe(h);
    expect(outboxFiles()).toHaveLength(first.length + 1);
    // Without resend nothing more, and an address differing only in case is the same address.
    const again = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018, states: ['FRA'] });
    expect(again.statusCode).toBe(200);
    expect(again.json().skips).toEqual([{ kind: 'invoices', document: fra.number, iso3: 'FRA', recipient: 'Compta@fra.example', reason: 'already delivered' }]);
  });

  it('credit notes and statements go the same way, in the State’s language', async () => {
    const cn = await post('/api/v1/deliveries', { kind: 'credit-notes', year: 2018 });
    expect(cn.statusCode).toBe(201);
    // BEN has no billing e-mail: one failed attempt, and it says why.
    expect(cn.json().deliveries).toEqual([expect.objectContaining({ kind: 'credit-notes', document: 'CN-2018-0001', iso3: 'BEN', recipient: '', status: 'failed', response: expect.stringMatching(/^no billing e-mail/) })]);
    const st = await post('/api/v1/deliveries', { kind: 'statements', asOf: '2018-01-31', states: ['MEX'] });
    expect(st.json()).toMatchObject({ written: 2 });
    const mail = await simpleParser(fs.readFileSync(path.join(outbox, st.json().deliveries[0].response)));
    expect(mail.subject).toBe('Estado de cuenta al 31 de enero de 2018 — México');
    expect(mail.text).toMatch(/Saldo adeudado: CHF [0-9.]+,[0-9]{2}/);
    expect(mail.attachments[0]!.filename).toBe('statement-MEX-2018-01-01-2018-01-31.pdf');
    expect(sha(mail.attachments[0]!.content)).toBe(st.json().deliveries[0].attachmentSha256);
  });

  it('lists the log by latest status, kind, State and document; each entry with its attempts', async () => {
    const all = (await get('/api/v1/deliveries', 'presidency')).json();
    expect(all.length).toBe(6);
    const failed = (await get('/api/v1/deliveries?status=failed', 'auditor')).json();
    expect(failed).toEqual([expect.objectContaining({ kind: 'credit-notes', iso3: 'BEN', recipient: '', status: 'failed', retryable: true })]);
    const fra = (await get('/api/v1/deliveries?state=FRA&kind=invoices')).json();
    expect(fra).toHaveLength(1);
    expect(fra[0].attempts.map((a: { resend: boolean }) => a.resend)).toEqual([false, true]);
    expect((await get('/api/v1/deliveries?document=MEX@2018-01-31&status=written', 'admin')).json()).toHaveLength(2);
    expect((await get('/api/v1/deliveries?status=sent')).json()).toEqual([]);
    expect((await get('/api/v1/deliveries?status=lost')).statusCode).toBe(400);
  });

  it('reminders: an as-of date or a number without a letter answers 422 naming it, nothing written', async () => {
    const before = rowCounts(env.ctx);
    expect((await post('/api/v1/deliveries', { kind: 'reminders', asOf: '2018-05-31' })).json().errors[0].field).toBe('asOf');
    expect((await post('/api/v1/deliveries', { kind: 'reminders', numbers: ['REM-2018-0002'] })).json().errors[0].field).toBe('numbers.0');
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('finance and admin send; presidency and auditor read; a State user neither', async () => {
    const before = rowCounts(env.ctx);
    for (const user of ['presidency', 'auditor', 'fra']) {
      expect((await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 }, user)).statusCode, user).toBe(403);
      expect((await post('/api/v1/deliveries/retry', {}, user)).statusCode, user).toBe(403);
    }
    expect((await get('/api/v1/deliveries', 'fra')).statusCode).toBe(403);
    expect((await env.app.inject({ url: '/api/v1/deliveries' })).statusCode).toBe(401);
    expect(rowCounts(env.ctx)).toEqual(before);
    const audit = env.ctx.sqlite.prepare("SELECT username, action, entity_id, details FROM audit_log WHERE entity_type = 'delivery' ORDER BY id").all() as {
      username: string;
      action: string;
      details: string;
    }[];
    expect(audit).toHaveLength(7);
    expect(audit[0]).toMatchObject({ username: 'finance', action: 'POST /api/v1/deliveries' });
    expect(JSON.parse(audit[3]!.details)).toMatchObject({ kind: 'invoice', recipient: 'Compta@fra.example', status: 'written', transport: 'file', resend: true });
  });
});
