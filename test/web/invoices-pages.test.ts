/**
 * The invoices pages without a browser (inject), logged in through /login:
 * the batch issued from its page (what it would issue, a 303 to its progress,
 * a double submit starting one run, the result), the list with each invoice's
 * status and what is left (the same figure as the API's balance), filters in
 * the query string, cancelling and re-issuing from the invoice's page (422 at
 * the field and nothing written, CSRF refused, a double submit acting once),
 * the roles and the three languages.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchJobs, previewBatch } from '../../src/http/pages/invoices.js';
import { INVOICES_TEXT } from '../../src/http/pages/invoices-text.js';
import { todayUtc } from '../../src/domain/dates.js';
import { formatMoney } from '../../src/pdf/i18n.js';
import { parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { getInvoice, listInvoices, type InvoiceOut } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = {
  fin: 'fin-password-1',
  adm: 'adm-password-1',
  pres: 'pres-password-1',
  aud: 'aud-password-1',
  fra: 'fra-password-1',
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };
const t = INVOICES_TEXT.en;
let env: TestEnv;
let finToken: string;
const sessions: Record<string, { cookie: string; csrf: string }> = {};

function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  const h = res.headers['set-cookie'];
  const all = h === undefined ? [] : Array.isArray(h) ? h : [h];
  const c = all.find((s) => s.startsWith(`${name}=`));
  return c === undefined ? undefined : parseCookies(c.split(';')[0]).get(name);
}

async function login(username: string, ip: string): Promise<{ cookie: string; csrf: string }> {
  const form = await env.app.inject({ url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await env.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    headers: { ...FORM, cookie: `isu_login_csrf=${cookieValue(form, 'isu_login_csrf')}` },
    payload: new URLSearchParams({ username, password: PASSWORDS[username]!, _csrf: csrf }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  const cookie = `isu_session=${cookieValue(res, 'isu_session')}`;
  const page = await env.app.inject({ url: res.headers.location as string, headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
}

const get = (who: string, url: string) => env.app.inject({ url, headers: { cookie: sessions[who]!.cookie } });
const post = (who: string, url: string, fields: Record<string, string>) =>
  env.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: sessions[who]!.cookie }, payload: new URLSearchParams(fields).toString() });
const count = (table: string) => (env.ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const invoiceCount = () => (env.ctx.sqlite.prepare('SELECT count(*) AS n FROM invoices').get() as { n: number }).n;
const idemOf = (body: string, action: string) => new RegExp(`action="${action.replace(/[/?]/g, (c) => `\\${c}`)}"[\\s\\S]*?name="_idem" value="([^"]+)"`).exec(body)![1]!;
const invoiceOf = (iso3: string): InvoiceOut => listInvoices(env.ctx, { state: iso3, year: 2018 }, null).find((i) => i.kind === 'assessment')!;

async function balance(iso3: string): Promise<{ outstanding: string }> {
  const res = await env.app.inject({ url: `/api/v1/states/${iso3}/balance`, headers: auth(finToken) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** The row of an invoice in the list: its cells' text. */
function rowOf(body: string, number: string): string {
  const m = new RegExp(`<tr[^>]*><td class="mono"><a href="/invoices/${number}[^"]*">${number}</a></td>([\\s\\S]*?)</tr>`).exec(body);
  expect(m, number).not.toBeNull();
  return m![1]!.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  const actor = cliActor('test');
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX, STATE_BEN]);
      createScale(ctx, actor, SCALE_SMALL);
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
      finToken = addUser(ctx, actor, { username: 'fin', role: 'finance', password: PASSWORDS.fin! }).token;
      addUser(ctx, actor, { username: 'adm', role: 'admin', password: PASSWORDS.adm! });
      addUser(ctx, actor, { username: 'pres', role: 'presidency', password: PASSWORDS.pres! });
      addUser(ctx, actor, { username: 'aud', role: 'auditor', password: PASSWORDS.aud! });
      addUser(ctx, actor, { username: 'fra', role: 'state', state: 'FRA', password: PASSWORDS.fra! });
    },
    { users: false },
  );
  let i = 1;
  for (const u of Object.keys(PASSWORDS)) sessions[u] = await login(u, `10.2.0.${i++}`);
});
afterAll(() => env.close());

describe('the batch', () => {
  let location: string;

  it('shows what the batch would issue, with the form (CSRF and _idem tokens, no script)', async () => {
    const preview = previewBatch(env.ctx, 2018);
    expect(preview).toMatchObject({ year: 2018, toIssue: 3, already: 0, frozen: false });
    const res = await get('fin', '/invoices/batch?year=2018');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div class="value" id="batch-to-issue">3</div>');
    expect(res.body).toContain(t.submitBatch(3));
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(res.body).toMatch(/name="_idem" value="[A-Za-z0-9_-]{16,}"/);
    expect(res.body).not.toContain('<script');
  });

  it('a bad issue date: 422 at the field, nothing started, nothing written', async () => {
    const counts = rowCounts(env.ctx);
    const page = await get('fin', '/invoices/batch?year=2018');
    const idem = idemOf(page.body, '/invoices/batch');
    const before = await post('fin', '/invoices/batch', { _csrf: sessions.fin!.csrf, _idem: idem, year: '2018', issueDate: '2017-01-01' });
    expect(before.statusCode).toBe(422);
    expect(before.body).toMatch(/id="bat-issueDate" name="issueDate" aria-invalid="true"/);
    expect(before.body).toContain('must not be before the budget');
    const bad = await post('fin', '/invoices/batch', { _csrf: sessions.fin!.csrf, _idem: idem, year: '2018', issueDate: '31.12.2025' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="bat-issueDate-error"');
    expect(batchJobs().size).toBe(0);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('without the session’s CSRF token: 403, nothing started', async () => {
    const page = await get('fin', '/invoices/batch?year=2018');
    const res = await post('fin', '/invoices/batch', { _idem: idemOf(page.body, '/invoices/batch'), year: '2018', issueDate: '' });
    expect(res.statusCode).toBe(403);
    expect(batchJobs().size).toBe(0);
    expect(invoiceCount()).toBe(0);
  });

  it('the submit answers 303 to the progress page, which refreshes itself; a double submit starts one run; the result lists the invoices', async () => {
    const page = await get('fin', '/invoices/batch?year=2018');
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, '/invoices/batch'), year: '2018', issueDate: '' };
    const [a, b] = await Promise.all([post('fin', '/invoices/batch', form), post('fin', '/invoices/batch', form)]);
    expect(a.statusCode).toBe(303);
    expect(b.statusCode).toBe(303);
    location = a.headers.location as string;
    expect(location).toMatch(/^\/invoices\/batch\/[A-Za-z0-9_-]+$/);
    expect(b.headers.location).toBe(location);
    expect(batchJobs().size).toBe(1);
    const first = await get('fin', location);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<progress id="batch-progress"');
    expect(first.body).toContain('<meta http-equiv="refresh" content="2">');
    // The refresh can be turned off; the page then offers to refresh by hand.
    const still = await get('fin', `${location}?auto=0`);
    expect(still.body).not.toContain('http-equiv="refresh"');
    expect(still.body.includes(t.refreshNow) || still.body.includes(t.finished)).toBe(true);
    // Until it has finished: the page says "n of N" and refreshes; then the result, without the refresh.
    let res = first;
    for (let i = 0; i < 100 && res.body.includes('http-equiv="refresh"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get('fin', location);
    }
    expect(res.body).not.toContain('http-equiv="refresh"');
    expect(res.body).toContain(t.progress(3, 3));
    expect(res.body).toContain(t.resultIssued(3));
    expect(invoiceCount()).toBe(3);
    for (const inv of listInvoices(env.ctx, { year: 2018 }, null)) expect(res.body).toContain(`href="/invoices/${inv.number}"`);
    // The same form posted again once the run is over: the same run, nothing issued twice.
    const again = await post('fin', '/invoices/batch', form);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(location);
    expect(invoiceCount()).toBe(3);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('once issued, the batch page says there is nothing to issue', async () => {
    const res = await get('fin', '/invoices/batch?year=2018');
    expect(res.body).toContain(t.nothingToIssue);
    expect(res.body).not.toContain('<form method="post" action="/invoices/batch"');
  });
});

describe('e-mailing the year’s invoices', () => {
  it('sends each invoice through the delivery service (no billing e-mail here: logged as failed), then the delivery log; a double submit sends once', async () => {
    const page = await get('fin', '/invoices/batch?year=2018');
    expect(page.body).toContain(t.submitSend(3));
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, '/invoices/send'), year: '2018' };
    const [a, b] = await Promise.all([post('fin', '/invoices/send', form), post('fin', '/invoices/send', form)]);
    expect(a.statusCode, a.body).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(a.headers.location).toBe('/reminders/deliveries?kind=invoices&sent=0&written=0&failed=3&skipped=0');
    const count = (env.ctx.sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'invoice'").get() as { n: number }).n;
    expect(count).toBe(3);
    const log = await get('fin', a.headers.location as string);
    expect(log.statusCode).toBe(200);
    for (const inv of listInvoices(env.ctx, { year: 2018 }, null)) expect(log.body).toContain(`href="/invoices/${inv.number}"`);
    const one = await get('fin', `/invoices/${invoiceOf('MEX').number}`);
    expect(one.body).toContain(`<span class="badge bad">${t.deliveryStatus.failed}</span>`);
    expect(one.body).toContain(t.noAddress);
    const noCsrf = await post('fin', '/invoices/send', { _idem: form._idem, year: '2018' });
    expect(noCsrf.statusCode).toBe(403);
    expect((await post('pres', '/invoices/send', { ...form, _csrf: sessions.pres!.csrf })).statusCode).toBe(403);
    expect((env.ctx.sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'invoice'").get() as { n: number }).n).toBe(3);
  });
});

describe('the list', () => {
  beforeAll(() => {
    const actor = cliActor('test');
    // Mexico part paid (overdue: its date payable by is past), France paid in full, Benin nothing.
    recordPayment(env.ctx, actor, 'inv-pages-mex', { iso3: 'MEX', amount: '50.00', receivedOn: todayUtc() });
    recordPayment(env.ctx, actor, 'inv-pages-fra', { iso3: 'FRA', amount: invoiceOf('FRA').total, receivedOn: todayUtc() });
  });

  it('shows each invoice with its status and what is left, linked to its page and PDF', async () => {
    const res = await get('fin', '/invoices?year=2018');
    expect(res.statusCode).toBe(200);
    const mex = invoiceOf('MEX');
    const fra = invoiceOf('FRA');
    const ben = invoiceOf('BEN');
    expect(rowOf(res.body, fra.number)).toContain(t.status.paid);
    expect(rowOf(res.body, mex.number)).toContain(`${t.status.overdue} ${t.status.part}`);
    expect(rowOf(res.body, ben.number)).toContain(t.status.overdue);
    expect(res.body).toContain(`href="/api/v1/invoices/${mex.number}/pdf"`);
    // What is left agrees with the API's balance to the centime.
    const { subMoney, addMoney } = await import('../../src/http/pages/html.js');
    const mexLeft = subMoney(mex.total, '50.00');
    expect((await balance('MEX')).outstanding).toBe(mexLeft);
    expect(rowOf(res.body, mex.number)).toContain(formatMoney(mexLeft, 'en'));
    expect(rowOf(res.body, fra.number)).toContain(' 0.00 ');
    // The list's "left to pay" is the States' outstanding balance on the API, to the centime.
    const outstanding = addMoney(...(await Promise.all(['FRA', 'MEX', 'BEN'].map(async (s) => (await balance(s)).outstanding))));
    expect(/<p id="invoice-summary">([^<]*)<\/p>/.exec(res.body)![1]).toContain(`left to pay CHF\u00a0${formatMoney(outstanding, 'en')}`);
  });

  it('filters by status and State through the query string', async () => {
    const paid = await get('fin', '/invoices?year=2018&status=paid');
    expect(paid.body).toContain(invoiceOf('FRA').number);
    expect(paid.body).not.toContain(invoiceOf('MEX').number);
    const overdue = await get('fin', '/invoices?status=overdue&state=BEN');
    expect(overdue.body).toContain(invoiceOf('BEN').number);
    expect(overdue.body).not.toContain(invoiceOf('FRA').number);
    expect(overdue.body).toContain('<option value="BEN" selected>');
    const bad = await get('fin', '/invoices?status=late');
    expect(bad.statusCode).toBe(400);
  });

  it('speaks French and Spanish with ?lang=', async () => {
    const fr = await get('fin', '/invoices?year=2018&lang=fr');
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain(INVOICES_TEXT.fr.status.overdue);
    expect(fr.body).toContain('État partie');
    const es = await get('fin', '/invoices?year=2018&lang=es');
    expect(es.body).toContain(INVOICES_TEXT.es.listTitle);
    expect(es.body).toContain('Estado parte');
    await get('fin', '/invoices?lang=en');
  });
});

describe('cancelling and re-issuing', () => {
  let ben: InvoiceOut;
  let reissued: string;

  it('shows the invoice: lines, money applied, status, what is left, the documents, the cancel form', async () => {
    const mex = invoiceOf('MEX');
    const res = await get('fin', `/invoices/${mex.number}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(t.invoiceTitle(mex.number));
    expect(res.body).toContain(`href="/api/v1/invoices/${mex.number}/xml"`);
    expect(res.body).toContain(t.source.payment);
    expect(res.body).toContain(`action="/invoices/${mex.number}/cancel"`);
    expect(res.body).toMatch(/<span id="invoice-status"><span class="badge bad">Overdue<\/span> <span class="badge">Part paid<\/span>/);
  });

  it('an empty reason: 422 at the field, nothing written; without the CSRF token: 403, nothing written', async () => {
    ben = invoiceOf('BEN');
    const page = await get('fin', `/invoices/${ben.number}`);
    const idem = idemOf(page.body, `/invoices/${ben.number}/cancel`);
    const counts = rowCounts(env.ctx);
    const empty = await post('fin', `/invoices/${ben.number}/cancel`, { _csrf: sessions.fin!.csrf, _idem: idem, reason: ' ', date: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toMatch(/id="can-reason" name="reason" aria-invalid="true"/);
    expect(empty.body).toContain('href="#can-reason"');
    expect(empty.body).toContain(`name="_idem" value="${idem}"`);
    const future = await post('fin', `/invoices/${ben.number}/cancel`, { _csrf: sessions.fin!.csrf, _idem: idem, reason: 'Wrong State', date: '2099-01-01' });
    expect(future.statusCode).toBe(422);
    expect(future.body).toMatch(/id="can-date" name="date" aria-invalid="true"/);
    const noCsrf = await post('fin', `/invoices/${ben.number}/cancel`, { _idem: idem, reason: 'Wrong State', date: '' });
    expect(noCsrf.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('cancels: 303 to the invoice, a credit note, status cancelled and nothing left; a double submit cancels once', async () => {
    const page = await get('fin', `/invoices/${ben.number}`);
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, `/invoices/${ben.number}/cancel`), reason: 'Issued to the wrong State', date: '' };
    const before = await balance('BEN');
    expect(before.outstanding).toBe(ben.total);
    const [a, b] = await Promise.all([post('fin', `/invoices/${ben.number}/cancel`, form), post('fin', `/invoices/${ben.number}/cancel`, form)]);
    expect(a.statusCode, a.body).toBe(303);
    expect(b.statusCode, b.body).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(a.headers.location).toMatch(new RegExp(`^/invoices/${ben.number}\\?cancelled=CN-2018-0001$`));
    const notes = env.ctx.sqlite.prepare('SELECT count(*) AS n FROM credit_notes WHERE invoice_number = ?').get(ben.number) as { n: number };
    expect(notes.n).toBe(1);
    expect(getInvoice(env.ctx, ben.number, null).status).toBe('cancelled');
    expect((await balance('BEN')).outstanding).toBe('0.00');
    const shown = await get('fin', a.headers.location as string);
    expect(shown.body).toContain(t.cancelledNotice('CN-2018-0001'));
    expect(shown.body).toContain('<span translate="no">Issued to the wrong State</span>');
    expect(shown.body).toContain('href="/api/v1/credit-notes/CN-2018-0001/pdf"');
    expect(shown.body).not.toContain('/cancel"');
    expect(shown.body).toContain(`action="/invoices/${ben.number}/reissue"`);
    const list = await get('fin', '/invoices?year=2018&status=cancelled');
    expect(rowOf(list.body, ben.number)).toContain(t.status.cancelled);
    const counts = rowCounts(env.ctx);
    const again = await post('fin', `/invoices/${ben.number}/cancel`, form);
    expect(again.statusCode).toBe(303);
    expect(rowCounts(env.ctx)).toEqual(counts);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('re-issues: a new invoice of kind reissue, pointing at the cancelled one; the form is gone after', async () => {
    const page = await get('fin', `/invoices/${ben.number}`);
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, `/invoices/${ben.number}/reissue`), reason: 'Cancelled by mistake', date: '' };
    const count = invoiceCount();
    const res = await post('fin', `/invoices/${ben.number}/reissue`, form);
    expect(res.statusCode, res.body).toBe(303);
    reissued = /reissued=([A-Z0-9-]+)/.exec(res.headers.location as string)![1]!;
    expect(invoiceCount()).toBe(count + 1);
    expect(getInvoice(env.ctx, reissued, null)).toMatchObject({ kind: 'reissue', originalInvoice: ben.number, total: ben.total });
    const again = await post('fin', `/invoices/${ben.number}/reissue`, form);
    expect(again.headers.location).toBe(res.headers.location);
    expect(invoiceCount()).toBe(count + 1);
    const shown = await get('fin', res.headers.location as string);
    expect(shown.body).toContain(`href="/invoices/${reissued}"`);
    expect(shown.body).not.toContain('/reissue"');
    expect((await get('fin', `/invoices/${reissued}`)).body).toContain(t.kind.reissue);
  });

  it('e-mails the cancelled invoice’s credit note from its page (logged once: no billing e-mail here); a double submit sends once', async () => {
    const page = await get('fin', `/invoices/${ben.number}`);
    expect(page.body).toContain(t.submitSendNotes(1));
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, `/invoices/${ben.number}/send`) };
    const before = count('deliveries');
    const [a, b] = await Promise.all([post('fin', `/invoices/${ben.number}/send`, form), post('fin', `/invoices/${ben.number}/send`, form)]);
    expect(a.statusCode, a.body).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    // A cancelled invoice: its credit note only (failed: no billing e-mail).
    expect(a.headers.location).toBe(`/invoices/${ben.number}?sent=0&written=0&failed=1&skipped=0`);
    expect(count('deliveries')).toBe(before + 1);
    const shown = await get('fin', a.headers.location as string);
    expect(shown.body).toContain(t.sentNotice(0, 0, 1, 0));
    expect((await post('pres', `/invoices/${ben.number}/send`, { ...form, _csrf: sessions.pres!.csrf })).statusCode).toBe(403);
    expect(count('deliveries')).toBe(before + 1);
  });

  it('a service refusal is said at the form, in the page’s language', async () => {
    const fra = invoiceOf('FRA');
    const page = await get('fin', `/invoices/${fra.number}?lang=fr`);
    const idem = idemOf(page.body, `/invoices/${fra.number}/cancel?lang=fr`);
    const counts = rowCounts(env.ctx);
    const res = await post('fin', `/invoices/${fra.number}/cancel?lang=fr`, { _csrf: sessions.fin!.csrf, _idem: idem, reason: 'Essai', date: '2010-01-01' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('La date ne doit pas être antérieure à l’émission de la facture');
    expect(rowCounts(env.ctx)).toEqual(counts);
    await get('fin', '/invoices?lang=en');
  });
});

describe('who may', () => {
  it('the Presidency and the auditors read the list and an invoice, without forms; they cannot post', async () => {
    const mex = invoiceOf('MEX');
    for (const who of ['pres', 'aud']) {
      const list = await get(who, '/invoices');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain('/invoices/batch');
      const one = await get(who, `/invoices/${mex.number}`);
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toContain('<form method="post" action="/invoices');
      expect((await get(who, '/invoices/batch?year=2018')).statusCode).toBe(403);
    }
    const counts = rowCounts(env.ctx);
    const p = await post('pres', `/invoices/${mex.number}/cancel`, { _csrf: sessions.pres!.csrf, _idem: 'abcdefghijklmnopqrstuv', reason: 'x' });
    expect(p.statusCode).toBe(403);
    const b = await post('aud', '/invoices/batch', { _csrf: sessions.aud!.csrf, _idem: 'abcdefghijklmnopqrstuv', year: '2018' });
    expect(b.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('the admin gets the 403 page (the API gives it no invoices)', async () => {
    expect((await get('adm', '/invoices')).statusCode).toBe(403);
    expect((await get('adm', `/invoices/${invoiceOf('MEX').number}`)).statusCode).toBe(403);
  });

  it('a State user gets 404 for what is not its own and for the list; its own invoice is on its account page (403 here)', async () => {
    const counts = rowCounts(env.ctx);
    expect((await get('fra', '/invoices')).statusCode).toBe(404);
    expect((await get('fra', `/invoices/${invoiceOf('MEX').number}`)).statusCode).toBe(404);
    expect((await get('fra', '/invoices/ISU-2018-9999')).statusCode).toBe(404);
    expect((await get('fra', `/invoices/${invoiceOf('FRA').number}`)).statusCode).toBe(403);
    const r = await post('fra', `/invoices/${invoiceOf('MEX').number}/cancel`, { _csrf: sessions.fra!.csrf, _idem: 'abcdefghijklmnopqrstuv', reason: 'x' });
    expect(r.statusCode).toBe(404);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a visitor without a session is sent to /login', async () => {
    for (const url of ['/invoices', '/invoices/batch', `/invoices/${invoiceOf('MEX').number}`]) {
      const res = await env.app.inject({ url });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/login');
    }
  });
});
