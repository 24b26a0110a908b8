/**
 * E-mail delivery through a real SMTP server (SPEC 9.7, issue 14): an
 * smtp-server on loopback that wants the URL's credentials and can be told to
 * refuse a recipient (550), and mailparser reading what it received.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { getStatement } from '../../src/services/accounts.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { invoicePdf, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, requireIssuer, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { renderStatementPdf } from '../../src/pdf/statement.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const EMAILS = {
  FRA: ['comptabilite@fra.example', 'mission@fra.example'],
  MEX: ['pagos@mex.example'],
  IRL: ['finance@irl.example'],
  CIV: [] as string[],
};
const STATES = [
  { ...STATE_FRA, billing: { addressLines: [], emails: EMAILS.FRA } },
  { ...STATE_MEX, billing: { addressLines: [], emails: EMAILS.MEX } },
  { iso3: 'IRL', name: 'Ireland', names: { fr: 'Irlande', es: 'Irlanda' }, unMember: true, language: 'en' as const, depositDate: '2008-12-03', billing: { addressLines: [], emails: EMAILS.IRL } },
  { iso3: 'CIV', name: 'Côte d’Ivoire', names: { fr: 'Côte d’Ivoire', es: 'Côte d’Ivoire' }, unMember: true, language: 'fr' as const, depositDate: '2012-03-30' },
];
const SCALE = { code: 'T', title: 't', source: 's', rates: [{ iso3: 'FRA', rate: '4.859' }, { iso3: 'MEX', rate: '1.435' }, { iso3: 'IRL', rate: '0.335' }, { iso3: 'CIV', rate: '0.009' }] };
const FROM = 'ISU Finance <finance@isu.example>';

interface Received {
  rcpt: string[];
  mail: ParsedMail;
}

let env: TestEnv;
let server: SMTPServer;
let port: number;
let received: Received[] = [];
/** Addresses the server refuses at RCPT TO, with 550. */
const refused = new Set<string>();
let logins = 0;

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const post = (url: string, payload: object, user = 'finance') => env.app.inject({ method: 'POST', url, headers: auth(env.tokens[user]), payload });
const get = (url: string, user = 'finance') => env.app.inject({ url, headers: auth(env.tokens[user]) });
const deliveryRows = () => env.ctx.sqlite.prepare('SELECT * FROM deliveries ORDER BY id').all() as Record<string, unknown>[];

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), STATES);
    createScale(ctx, cliActor('test'), SCALE);
    createBudget(ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, scaleCode: 'T' }));
    setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(a, _session, cb) {
      logins++;
      if (a.username === 'isu' && a.password === 'secret') return cb(null, { user: 'isu' });
      return cb(new Error('535 5.7.8 authentication failed'));
    },
    onRcptTo(address, _session, cb) {
      if (!refused.has(address.address)) return cb();
      const err = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
      err.responseCode = 550;
      return cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail });
            cb(null);
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await env.close();
});
beforeEach(() => {
  received = [];
  env.ctx.smtpUrl = `smtp://isu:secret@127.0.0.1:${port}`;
  env.ctx.mailFrom = FROM;
});

const invoices = () => Object.fromEntries(listInvoices(env.ctx, { year: 2018 }, null).map((i) => [i.iso3, i]));

describe('delivery through SMTP', () => {
  it('refuses to send without ISU_MAIL_FROM, with a URL that is not SMTP, or when the server refuses the credentials — nothing sent, nothing written', async () => {
    const before = rowCounts(env.ctx);
    env.ctx.mailFrom = null;
    const noFrom = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 });
    expect(noFrom.statusCode).toBe(422);
    expect(noFrom.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(noFrom.json().errors).toEqual([{ field: 'ISU_MAIL_FROM', message: expect.stringMatching(/must be set to send through ISU_SMTP_URL/) }]);
    env.ctx.mailFrom = FROM;
    env.ctx.smtpUrl = `http://127.0.0.1:${port}`;
    expect((await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 })).json().errors[0].field).toBe('ISU_SMTP_URL');
    env.ctx.smtpUrl = `smtp://isu:wrong@127.0.0.1:${port}`;
    const loginsBefore = logins;
    const badAuth = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 });
    expect(badAuth.statusCode).toBe(502);
    expect(badAuth.json().detail).toMatch(/SMTP server smtp:\/\/127\.0\.0\.1:\d+ could not be used: .*535.*nothing was sent/);
    expect(badAuth.json().detail).not.toMatch(/wrong/);
    expect(logins).toBe(loginsBefore + 1);
    expect(received).toEqual([]);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it("sends each invoice to exactly its State's billing e-mails, one message each, the stored PDF attached, in the State's language", async () => {
    const res = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({ transport: 'smtp', sent: 4, written: 0, failed: 1, skipped: 0 });
    // The server saw the credentials of the URL, and exactly the billing e-mails, one recipient a message.
    expect(received.every((r) => r.rcpt.length === 1)).toBe(true);
    expect(received.map((r) => r.rcpt[0]).sort()).toEqual([...EMAILS.FRA, ...EMAILS.MEX, ...EMAILS.IRL].sort());
    const inv = invoices();
    for (const { rcpt, mail } of received) {
      const iso3 = (Object.keys(EMAILS) as (keyof typeof EMAILS)[]).find((k) => EMAILS[k].includes(rcpt[0]!))!;
      const invoice = inv[iso3]!;
      expect(mail.to).toMatchObject({ value: [{ address: rcpt[0] }] });
      expect(mail.from?.value).toEqual([{ name: 'ISU Finance', address: 'finance@isu.example' }]);
      expect(mail.attachments).toHaveLength(1);
      const [pdf] = mail.attachments;
      expect(pdf!.filename).toBe(`${invoice.number}.pdf`);
      expect(pdf!.contentType).toBe('application/pdf');
      expect(sha(pdf!.content)).toBe(invoice.pdfSha256);
      expect(sha(fs.readFileSync((await invoicePdf(env.ctx, invoice.number, null)).file))).toBe(invoice.pdfSha256);
      const row = run.deliveries.find((d: { recipient: string }) => d.recipient === rcpt[0]);
      expect(row).toMatchObject({ kind: 'invoices', document: invoice.number, iso3, status: 'sent', transport: 'smtp', attachmentSha256: invoice.pdfSha256, messageId: mail.messageId, resend: false, retryOf: null });
      expect(row.response).toMatch(/^250 /);
      expect(mail.headers.get('content-language')).toBe(invoice.language);
      const amountLine = { fr: 'Montant dû', es: 'Importe adeudado', en: 'Amount due' }[invoice.language];
      const intro = { fr: `Veuillez trouver ci-joint la facture ${invoice.number}`, es: `Adjuntamos la factura ${invoice.number}`, en: `Please find attached invoice ${invoice.number}` }[invoice.language];
      for (const part of [mail.text!, mail.html as string]) {
        expect(part).toContain(intro);
        expect(part).toContain(amountLine);
      }
      expect(mail.html).toContain(`<html lang="${invoice.language}">`);
      expect(mail.subject).toContain(invoice.number);
    }
    // Français: amount, due date and reference as the French read them.
    const fra = received.find((r) => r.rcpt[0] === EMAILS.FRA[0])!.mail;
    expect(fra.text).toMatch(/Montant dû\u00a0: CHF [0-9\u00a0]+,[0-9]{2}\nÀ payer au plus tard le\u00a0: 31 mars 2018\nRéférence à indiquer avec le paiement\u00a0: RF\w\w ISU2 0180 00\d/);
    // A State without a billing e-mail: one failed attempt saying so, not an error.
    expect(run.deliveries.find((d: { iso3: string }) => d.iso3 === 'CIV')).toMatchObject({ recipient: '', status: 'failed', messageId: null, response: expect.stringMatching(/^no billing e-mail/) });
    // Every attempt is audited.
    const audited = env.ctx.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'delivery'").get() as { n: number };
    expect(audited.n).toBe(5);
    expect(deliveryRows()).toHaveLength(5);
  });

  it('a second run sends nothing and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    const res = await post('/api/v1/deliveries', { kind: 'invoices', year: 2018 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sent: 0, failed: 0, skipped: 5, deliveries: [] });
    expect(res.json().skips.map((s: { reason: string }) => s.reason).sort()).toEqual([...Array(4).fill('already delivered'), 'no billing e-mail (already logged)']);
    expect(received).toEqual([]);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it("a refused recipient leaves that delivery failed with the server's answer; the others are sent, the batch goes on", async () => {
    refused.add('mission@fra.example');
    const res = await post('/api/v1/deliveries', { kind: 'statements', asOf: '2018-06-30', states: ['FRA', 'IRL', 'MEX'] });
    expect(res.statusCode).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({ sent: 3, failed: 1 });
    const failed = run.deliveries.filter((d: { status: string }) => d.status === 'failed');
    expect(failed).toEqual([expect.objectContaining({ document: 'FRA@2018-06-30', recipient: 'mission@fra.example', messageId: null, response: '550 5.1.1 mailbox unavailable' })]);
    // MEX comes after FRA: the refusal did not stop the batch.
    expect(received.map((r) => r.rcpt[0])).toEqual(['comptabilite@fra.example', 'finance@irl.example', 'pagos@mex.example']);
    // The statement attached is the statement of account of the period, in the State's language; its SHA-256 is logged.
    const fra = received[0]!.mail;
    const expected = await renderStatementPdf(getStatement(env.ctx, 'FRA', '2018-01-01', '2018-06-30'), requireIssuer(env.ctx.db));
    expect(fra.attachments[0]!.filename).toBe('statement-FRA-2018-01-01-2018-06-30.pdf');
    expect(sha(fra.attachments[0]!.content)).toBe(sha(expected));
    expect(run.deliveries[0].attachmentSha256).toBe(sha(expected));
    expect(fra.text).toContain('Veuillez trouver ci-joint votre relevé de compte du 1er janvier 2018 au 30 juin 2018.');
    expect(received[1]!.mail.text).toMatch(/Balance due: CHF [0-9,]+\.[0-9]{2}/);
    expect(received[2]!.mail.subject).toBe('Estado de cuenta al 30 de junio de 2018 — México');

    const log = (await get('/api/v1/deliveries?status=failed&kind=statements')).json();
    expect(log).toEqual([expect.objectContaining({ document: 'FRA@2018-06-30', recipient: 'mission@fra.example', status: 'failed', retryable: true })]);
  });

  it('a retry sends each failure exactly once, naming it; a second retry sends nothing', async () => {
    refused.clear();
    const failedId = (deliveryRows().find((r) => r.recipient === 'mission@fra.example' && r.status === 'failed') as { id: number }).id;
    const res = await post('/api/v1/deliveries/retry', {});
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ sent: 1, failed: 0 });
    expect(res.json().deliveries).toEqual([expect.objectContaining({ document: 'FRA@2018-06-30', recipient: 'mission@fra.example', status: 'sent', retryOf: failedId })]);
    // Côte d'Ivoire still has no billing e-mail: not tried, said so.
    expect(res.json().skips).toEqual([expect.objectContaining({ iso3: 'CIV', recipient: '', reason: 'still no billing e-mail' })]);
    expect(received.map((r) => r.rcpt)).toEqual([['mission@fra.example']]);
    expect(received[0]!.mail.subject).toBe('Relevé de compte au 30 juin 2018 — France');

    received = [];
    const before = rowCounts(env.ctx);
    const again = await post('/api/v1/deliveries/retry', {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sent: 0, failed: 0, deliveries: [] });
    expect(received).toEqual([]);
    expect(rowCounts(env.ctx)).toEqual(before);
    const log = (await get('/api/v1/deliveries?document=FRA@2018-06-30')).json();
    expect(log.map((e: { recipient: string; status: string; attempts: unknown[] }) => [e.recipient, e.status, e.attempts.length])).toEqual([
      ['comptabilite@fra.example', 'sent', 1],
      ['mission@fra.example', 'sent', 2],
    ]);
  });

  it('a State that gets a billing e-mail receives what it missed on retry', async () => {
    const res0 = await env.app.inject({ method: 'PATCH', url: '/api/v1/states/CIV', headers: auth(env.tokens.finance), payload: { billing: { emails: ['tresor@civ.example'] } } });
    expect(res0.statusCode, res0.body).toBe(200);
    const res = await post('/api/v1/deliveries/retry', { kind: 'invoices' });
    expect(res.json()).toMatchObject({ sent: 1, skipped: 0 });
    expect(received.map((r) => r.rcpt)).toEqual([['tresor@civ.example']]);
    expect(received[0]!.mail.attachments[0]!.filename).toBe(`${invoices().CIV!.number}.pdf`);
    expect((await post('/api/v1/deliveries/retry', { kind: 'invoices' })).statusCode).toBe(200);
  });

  it('resend: true sends again, logged as a resend', async () => {
    const fra = invoices().FRA!;
    const res = await post('/api/v1/deliveries', { kind: 'invoices', numbers: [fra.number], resend: true });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ sent: 2, skipped: 0 });
    expect(res.json().deliveries.every((d: { resend: boolean }) => d.resend)).toBe(true);
    expect(received.map((r) => r.rcpt[0])).toEqual(EMAILS.FRA);
    expect(received.every((r) => sha(r.mail.attachments[0]!.content) === fra.pdfSha256)).toBe(true);
    const log = (await get(`/api/v1/deliveries?document=${fra.number}`, 'auditor')).json();
    expect(log.map((e: { attempts: unknown[] }) => e.attempts.length)).toEqual([2, 2]);
  });

  it("reminder letters go to each reminded State's billing e-mails with the stored letter attached, once", async () => {
    const issued = await post('/api/v1/reminders', { asOf: '2018-04-30', date: '2018-05-02' });
    expect(issued.statusCode).toBe(201);
    const letters = issued.json().letters as { number: string; iso3: string }[];
    expect(letters.length).toBeGreaterThan(0);
    const stored = new Map(
      (env.ctx.sqlite.prepare('SELECT number, state_iso3 AS iso3, pdf_sha256 AS sha FROM reminders').all() as { number: string; iso3: string; sha: string }[]).map((r) => [r.number, r]),
    );
    const res = await post('/api/v1/deliveries', { kind: 'reminders', asOf: '2018-04-30' });
    expect(res.statusCode).toBe(201);
    const emailsOf = (iso3: string) => (iso3 === 'CIV' ? ['tresor@civ.example'] : EMAILS[iso3 as keyof typeof EMAILS]);
    const expected = letters.flatMap((l) => emailsOf(l.iso3).map((e) => `${l.number} ${e}`)).sort();
    expect(received.map((r) => `${r.mail.attachments[0]!.filename!.replace(/\.pdf$/, '')} ${r.rcpt.join(',')}`).sort()).toEqual(expected);
    for (const r of received) {
      const number = r.mail.attachments[0]!.filename!.replace(/\.pdf$/, '');
      expect(sha(r.mail.attachments[0]!.content)).toBe(stored.get(number)!.sha);
      expect(sha(fs.readFileSync(`${env.ctx.invoiceDir}/reminders/2018/${number}.pdf`))).toBe(stored.get(number)!.sha);
    }
    const rows = deliveryRows().filter((d) => d.kind === 'reminder');
    expect(rows.map((d) => d.attachment_sha256)).toEqual(rows.map((d) => stored.get(d.document as string)!.sha));
    received = [];
    const again = await post('/api/v1/deliveries', { kind: 'reminders', asOf: '2018-04-30' });
    expect(again.statusCode).toBe(200);
    expect(received).toEqual([]);
  });
});

describe('TLS as the URL says', () => {
  /** A server with its built-in self-signed certificate: `secure` for TLS from the connection's start, else offering STARTTLS. */
  async function tlsServer(secure: boolean) {
    const sessions: { secure: boolean; rcpt: string }[] = [];
    const s = new SMTPServer({
      secure,
      authOptional: true,
      logger: false,
      onData(stream, session, cb) {
        stream.resume();
        stream.on('end', () => {
          sessions.push({ secure: session.secure, rcpt: session.envelope.rcptTo[0]!.address });
          cb(null);
        });
      },
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    return { port: (s.server.address() as { port: number }).port, sessions, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
  }

  it('smtp:// upgrades with STARTTLS when the server offers it; smtps:// speaks TLS from the start', async () => {
    for (const [scheme, secure, asOf] of [
      ['smtp', false, '2018-03-31'],
      ['smtps', true, '2018-04-30'],
    ] as const) {
      const tls = await tlsServer(secure);
      try {
        env.ctx.smtpUrl = `${scheme}://127.0.0.1:${tls.port}/?tls.rejectUnauthorized=false`;
        const res = await post('/api/v1/deliveries', { kind: 'statements', asOf, states: ['IRL'] });
        expect(res.json(), scheme).toMatchObject({ sent: 1, failed: 0 });
        expect(tls.sessions, scheme).toEqual([{ secure: true, rcpt: 'finance@irl.example' }]);
      } finally {
        await tls.close();
      }
    }
  });
});
