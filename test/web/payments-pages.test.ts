/**
 * The payments pages without a browser (inject), logged in through /login:
 * recording by RF creditor reference (303 to the payment, the balance moved),
 * a double submit recording once, field errors at the field (422, nothing
 * written), the CSRF guard (403, nothing written), reversing (balance back,
 * ledger verifies) and reallocating, the roles, the three languages.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditorReference, groupsOfFour } from '../../src/domain/creditor-reference.js';
import { normalizeAmount } from '../../src/http/pages/forms.js';
import { PAYMENTS_TEXT } from '../../src/http/pages/payments-text.js';
import { parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch, listInvoices, type InvoiceOut } from '../../src/services/invoices.js';
import { getPayment, recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = {
  fin: 'fin-password-1',
  adm: 'adm-password-1',
  pres: 'pres-password-1',
  aud: 'aud-password-1',
  fra: 'fra-password-1',
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };
let env: TestEnv;
let finToken: string;
let fra: InvoiceOut;
let mexPaymentId: number;
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

/** A fresh new-payment form's hidden tokens. */
async function newForm(who = 'fin'): Promise<{ _csrf: string; _idem: string }> {
  const res = await get(who, '/payments/new');
  expect(res.statusCode).toBe(200);
  return {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!,
    _idem: /name="_idem" value="([^"]+)"/.exec(res.body)![1]!,
  };
}

async function balance(iso3: string): Promise<{ outstanding: string; paid: string; unappliedCredit: string }> {
  const res = await env.app.inject({ url: `/api/v1/states/${iso3}/balance`, headers: auth(finToken) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const paymentCount = () => (env.ctx.sqlite.prepare('SELECT count(*) AS n FROM payments').get() as { n: number }).n;

beforeAll(async () => {
  const actor = cliActor('test');
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
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
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  fra = listInvoices(env.ctx, { state: 'FRA' }, null)[0]!;
  mexPaymentId = recordPayment(env.ctx, actor, 'pages-mex', { iso3: 'MEX', amount: '50.00', receivedOn: '2018-01-10' }).payment.id;
  let i = 1;
  for (const u of Object.keys(PASSWORDS)) sessions[u] = await login(u, `10.1.0.${i++}`);
});
afterAll(() => env.close());

describe('the form kit', () => {
  it('reads an amount typed in the style of each language, never through a number', () => {
    expect(normalizeAmount('42,638.64', 'en')).toBe('42638.64');
    expect(normalizeAmount('42 638,64', 'fr')).toBe('42638.64');
    expect(normalizeAmount('42.638,64', 'es')).toBe('42638.64');
    expect(normalizeAmount("42'638.64", 'en')).toBe('42638.64');
    expect(normalizeAmount('1.500', 'es')).toBe('1500');
    expect(normalizeAmount('1,5', 'fr')).toBe('1.5');
    expect(normalizeAmount('12,34.5x', 'en')).toBeNull();
    expect(normalizeAmount('1.234', 'en')).toBeNull();
    expect(normalizeAmount('1.234', 'en', 3)).toBe('1.234');
  });

  it('renders the new-payment form with labels, the decimal keyboard, the CSRF and _idem tokens', async () => {
    const res = await get('fin', '/payments/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<label for="pay-amount">');
    expect(res.body).toMatch(/id="pay-amount" name="amount"[^>]*inputmode="decimal"/);
    expect(res.body).toContain('<label for="pay-reference">');
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(res.body).toMatch(/name="_idem" value="[A-Za-z0-9_-]{16,}"/);
    expect(res.body).not.toContain('<script');
  });
});

describe('recording a payment', () => {
  let paymentId: number;
  let location: string;
  let fields: Record<string, string>;
  let before: { outstanding: string };

  it('by RF creditor reference: 303 to the payment, which has the amount and the State, and the balance moved', async () => {
    before = await balance('FRA');
    const tokens = await newForm();
    fields = { ...tokens, reference: groupsOfFour(fra.creditorReference), iso3: '', amount: '1,000.00', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' };
    const res = await post('fin', '/payments', fields);
    expect(res.statusCode, res.body).toBe(303);
    location = res.headers.location as string;
    const m = /^\/payments\/(\d+)\?recorded=1$/.exec(location);
    expect(m).not.toBeNull();
    paymentId = Number.parseInt(m![1]!, 10);
    const p = getPayment(env.ctx, paymentId, null);
    expect(p).toMatchObject({ iso3: 'FRA', amount: '1000.00', receivedOn: '2018-02-01', invoice: fra.number, purpose: 'assessed' });
    const after = await balance('FRA');
    expect((await import('../../src/http/pages/html.js')).subMoney(before.outstanding, after.outstanding)).toBe('1000.00');
    const page = await get('fin', location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(PAYMENTS_TEXT.en.recorded);
    expect(page.body).toContain(fra.number);
    expect(page.body).toContain('action="/payments/' + paymentId + '/reverse"');
  });

  it('a double submit (the same form posted again, same _idem) records one payment and answers the same result', async () => {
    const count = paymentCount();
    const counts = rowCounts(env.ctx);
    const again = await post('fin', '/payments', fields);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(location);
    expect(paymentCount()).toBe(count);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('the same form reused with other content records nothing more and says which payment it recorded', async () => {
    const counts = rowCounts(env.ctx);
    const res = await post('fin', '/payments', { ...fields, amount: '2000.00' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(PAYMENTS_TEXT.en.reusedForm(paymentId));
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a bad amount: 422, the message at the field and in the summary, the values kept, the RF invoice shown, nothing written', async () => {
    const counts = rowCounts(env.ctx);
    const tokens = await newForm();
    const res = await post('fin', '/payments', { ...tokens, reference: fra.creditorReference, iso3: '', amount: '12,34.5x', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="pay-amount" name="amount" aria-invalid="true" aria-describedby="pay-amount-hint pay-amount-error"/);
    expect(res.body).toContain('id="pay-amount-error"');
    expect(res.body).toContain('href="#pay-amount"');
    expect(res.body).toContain('value="12,34.5x"');
    expect(res.body).toContain(`name="_idem" value="${tokens._idem}"`);
    // "ISU-2018-0001 — France — CHF 1,234.56 left" beside the reference.
    expect(res.body).toMatch(new RegExp(`${fra.number} — France — CHF\\u00a0[0-9,.]+ left`));
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('an unknown RF reference and a wrong one are field errors (422, nothing written)', async () => {
    const counts = rowCounts(env.ctx);
    const unknown = creditorReference('ISU20189999');
    const a = await post('fin', '/payments', { ...(await newForm()), reference: unknown, iso3: '', amount: '10.00', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' });
    expect(a.statusCode).toBe(422);
    expect(a.body).toContain(PAYMENTS_TEXT.en.referenceUnknown);
    expect(a.body).toMatch(/id="pay-reference" name="reference" aria-invalid="true"/);
    const wrongDigits = fra.creditorReference.replace(/^RF(\d\d)/, (_, d: string) => `RF${d === '00' ? '01' : '00'}`);
    const b = await post('fin', '/payments', { ...(await newForm()), reference: wrongDigits, iso3: '', amount: '10.00', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' });
    expect(b.statusCode).toBe(422);
    expect(b.body).toContain(PAYMENTS_TEXT.en.referenceInvalid);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('neither a reference nor a State: 422 at the State field; a service refusal (future date) at its field', async () => {
    const counts = rowCounts(env.ctx);
    const a = await post('fin', '/payments', { ...(await newForm()), reference: '', iso3: '', amount: '10.00', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' });
    expect(a.statusCode).toBe(422);
    expect(a.body).toMatch(/id="pay-iso3" name="iso3" aria-invalid="true"/);
    const b = await post('fin', '/payments', { ...(await newForm()), reference: '', iso3: 'MEX', amount: '10.00', receivedOn: '2999-01-01', currency: 'CHF', purpose: 'assessed' });
    expect(b.statusCode).toBe(422);
    expect(b.body).toMatch(/id="pay-receivedOn" name="receivedOn" aria-invalid="true"/);
    expect(b.body).toContain('must not be in the future');
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('without the session’s CSRF token, or from another site: 403, nothing written', async () => {
    const counts = rowCounts(env.ctx);
    const tokens = await newForm();
    const body = { reference: fra.creditorReference, iso3: '', amount: '10.00', receivedOn: '2018-02-01', currency: 'CHF', purpose: 'assessed' };
    const a = await post('fin', '/payments', { _idem: tokens._idem, ...body });
    expect(a.statusCode).toBe(403);
    const b = await post('fin', '/payments', { _csrf: 'not-the-token', _idem: tokens._idem, ...body });
    expect(b.statusCode).toBe(403);
    const c = await env.app.inject({
      method: 'POST',
      url: '/payments',
      headers: { ...FORM, origin: 'https://evil.example', cookie: sessions.fin!.cookie },
      payload: new URLSearchParams({ ...tokens, ...body }).toString(),
    });
    expect(c.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('reversing: 303 to the payment, the balance restored, the ledger verifies; a double submit reverses once', async () => {
    const page = await get('fin', `/payments/${paymentId}`);
    const idem = /action="\/payments\/\d+\/reverse"[\s\S]*?name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
    const empty = await post('fin', `/payments/${paymentId}/reverse`, { _csrf: sessions.fin!.csrf, _idem: idem, reason: '', date: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toMatch(/id="rev-reason" name="reason" aria-invalid="true"/);
    const form = { _csrf: sessions.fin!.csrf, _idem: idem, reason: 'Paid by Mexico, not France', date: '' };
    const res = await post('fin', `/payments/${paymentId}/reverse`, form);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/payments/${paymentId}?reversed=1`);
    expect(getPayment(env.ctx, paymentId, null).status).toBe('reversed');
    expect((await balance('FRA')).outstanding).toBe(before.outstanding);
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
    const counts = rowCounts(env.ctx);
    const again = await post('fin', `/payments/${paymentId}/reverse`, form);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/payments/${paymentId}?reversed=1`);
    expect(rowCounts(env.ctx)).toEqual(counts);
    const shown = await get('fin', res.headers.location as string);
    expect(shown.body).toContain(PAYMENTS_TEXT.en.reversedNotice);
    expect(shown.body).not.toContain('/reverse"');
  });

  it('reallocating: reversed and recorded anew for the right State, linked; the ledger verifies', async () => {
    const tokens = await newForm();
    const rec = await post('fin', '/payments', { ...tokens, reference: '', iso3: 'FRA', amount: '25.00', receivedOn: '2018-03-01', currency: 'CHF', purpose: 'assessed' });
    expect(rec.statusCode).toBe(303);
    const id = Number.parseInt(/\/payments\/(\d+)/.exec(rec.headers.location as string)![1]!, 10);
    const page = await get('fin', `/payments/${id}`);
    const idem = /action="\/payments\/\d+\/reallocate"[\s\S]*?name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await post('fin', `/payments/${id}/reallocate`, { _csrf: sessions.fin!.csrf, _idem: idem, iso3: 'MEX', donor: '', purpose: '', invoice: '', reason: 'Mexico paid' });
    expect(res.statusCode, res.body).toBe(303);
    const m = /^\/payments\/(\d+)\?reallocated=(\d+)$/.exec(res.headers.location as string)!;
    expect(m[1]).toBe(String(id));
    expect(getPayment(env.ctx, Number.parseInt(m[2]!, 10), null)).toMatchObject({ iso3: 'MEX', amount: '25.00' });
    expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('confirmations the service asks for', () => {
  it('an amount above the large-payment limit: 422 with the box to tick; ticked, it is recorded', async () => {
    const counts = rowCounts(env.ctx);
    const tokens = await newForm();
    const body = { ...tokens, reference: '', iso3: 'MEX', amount: '600000.00', receivedOn: '2018-04-01', currency: 'CHF', purpose: 'assessed' };
    const a = await post('fin', '/payments', body);
    expect(a.statusCode).toBe(422);
    expect(a.body).toContain(PAYMENTS_TEXT.en.largeAmount);
    expect(a.body).toContain('name="confirmLarge"');
    expect(a.body).toMatch(/id="pay-amount" name="amount" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(counts);
    const b = await post('fin', '/payments', { ...body, confirmLarge: '1' });
    expect(b.statusCode, b.body).toBe(303);
    expect(getPayment(env.ctx, Number.parseInt(/\/payments\/(\d+)/.exec(b.headers.location as string)![1]!, 10), null).amount).toBe('600000.00');
  });

  it('a bank reference already on a payment: 409 with the box to tick; ticked, it is recorded', async () => {
    const first = await post('fin', '/payments', { ...(await newForm()), reference: '', iso3: 'MEX', amount: '5.00', receivedOn: '2018-04-02', currency: 'CHF', purpose: 'assessed', bankReference: 'BANK-77' });
    expect(first.statusCode).toBe(303);
    const counts = rowCounts(env.ctx);
    const body = { ...(await newForm()), reference: '', iso3: 'MEX', amount: '6.00', receivedOn: '2018-04-02', currency: 'CHF', purpose: 'assessed', bankReference: 'BANK-77' };
    const a = await post('fin', '/payments', body);
    expect(a.statusCode).toBe(409);
    expect(a.body).toMatch(/id="pay-bankReference" name="bankReference" aria-invalid="true"/);
    expect(a.body).toContain('name="allowDuplicateBankReference"');
    expect(rowCounts(env.ctx)).toEqual(counts);
    const b = await post('fin', '/payments', { ...body, allowDuplicateBankReference: '1' });
    expect(b.statusCode).toBe(303);
  });

  it('an RF reference of another State’s invoice with a State chosen: 422 at the reference naming that State', async () => {
    const counts = rowCounts(env.ctx);
    const a = await post('fin', '/payments', { ...(await newForm()), reference: fra.creditorReference, iso3: 'MEX', amount: '5.00', receivedOn: '2018-04-02', currency: 'CHF', purpose: 'assessed' });
    expect(a.statusCode).toBe(422);
    expect(a.body).toMatch(/id="pay-reference" name="reference" aria-invalid="true"/);
    expect(a.body).toContain('of FRA, not of MEX');
    expect(a.body).toContain('name="ignoreReferenceMismatch"');
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a service refusal is said in the page’s language', async () => {
    const counts = rowCounts(env.ctx);
    const res = await post('fin', '/payments?lang=fr', { ...(await newForm()), reference: '', iso3: 'MEX', amount: '10,00', receivedOn: '2999-01-01', currency: 'CHF', purpose: 'assessed' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('La date ne doit pas être dans le futur');
    expect(res.body).toContain(`<h2 id="pay-summary">Il y a un problème</h2>`);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a French amount with a decimal comma is read as such', async () => {
    const res = await post('fin', '/payments?lang=fr', { ...(await newForm()), reference: '', iso3: 'MEX', amount: '1 234,5', receivedOn: '2018-04-03', currency: 'CHF', purpose: 'assessed' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/\?recorded=1&lang=fr$/);
    expect(getPayment(env.ctx, Number.parseInt(/\/payments\/(\d+)/.exec(res.headers.location as string)![1]!, 10), null).amount).toBe('1234.50');
  });
});

describe('the list', () => {
  it('is paginated, the filter kept in the page links', async () => {
    for (let i = 0; i < 55; i++) recordPayment(env.ctx, cliActor('test'), `pages-many-${i}`, { donor: 'Friends of the Convention', purpose: 'voluntary', amount: '1.00', receivedOn: '2018-05-01' });
    // The language is remembered per user (the French posts above chose French): back to English.
    await get('fin', '/payments?lang=en');
    const first = await get('fin', '/payments?year=2018');
    expect(first.body).toMatch(/Page 1 of \d+/);
    expect(first.body).toContain('rel="next" href="/payments?year=2018&amp;page=2"');
    const second = await get('fin', '/payments?year=2018&page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('rel="prev" href="/payments?year=2018"');
  });


  it('filters by State, year and dates through the query string, newest first, each linked', async () => {
    const res = await get('fin', '/payments?state=MEX&year=2018');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/payments/${mexPaymentId}"`);
    expect(res.body).not.toContain('<td>France</td>');
    expect(res.body).toContain('<td>Mexico</td>');
    const all = await get('fin', '/payments?year=&state=&from=2018-01-01&to=2018-12-31');
    expect(all.statusCode).toBe(200);
    const ids = [...all.body.matchAll(/href="\/payments\/(\d+)"/g)].map((x) => x[1]);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const none = await get('fin', '/payments?from=2019-01-01');
    expect(none.body).toContain(PAYMENTS_TEXT.en.none);
    expect((await get('fin', '/payments?year=20x8')).statusCode).toBe(400);
  });

  it('speaks French and Spanish with ?lang=', async () => {
    const fr = await get('fin', '/payments/new?lang=fr');
    expect(fr.body).toContain(PAYMENTS_TEXT.fr.newTitle);
    expect(fr.body).toContain('action="/payments?lang=fr"');
    expect(fr.body).toContain('lang="fr"');
    const es = await get('fin', '/payments?lang=es');
    expect(es.body).toContain(PAYMENTS_TEXT.es.listTitle);
    expect(es.body).toContain('Estado parte');
  });
});

describe('who may', () => {
  it('presidency and auditor get a 403 page; admin reads but does not record', async () => {
    for (const who of ['pres', 'aud'])
      for (const url of ['/payments', '/payments/new', `/payments/${mexPaymentId}`]) expect((await get(who, url)).statusCode, `${who} ${url}`).toBe(403);
    const counts = rowCounts(env.ctx);
    const p = await post('pres', '/payments', { _csrf: sessions.pres!.csrf, _idem: 'abcdefghijklmnopqrstuv', iso3: 'FRA', amount: '1.00', receivedOn: '2018-02-01' });
    expect(p.statusCode).toBe(403);
    expect((await get('adm', '/payments')).statusCode).toBe(200);
    expect((await get('adm', `/payments/${mexPaymentId}`)).statusCode).toBe(200);
    expect((await get('adm', '/payments/new')).statusCode).toBe(403);
    const a = await post('adm', `/payments/${mexPaymentId}/reverse`, { _csrf: sessions.adm!.csrf, _idem: 'abcdefghijklmnopqrstuv', reason: 'x' });
    expect(a.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a State user gets 404 for what is not its own, and nothing written', async () => {
    const counts = rowCounts(env.ctx);
    expect((await get('fra', `/payments/${mexPaymentId}`)).statusCode).toBe(404);
    expect((await get('fra', '/payments/999999')).statusCode).toBe(404);
    expect((await get('fra', '/payments')).statusCode).toBe(404);
    // Its own payment exists for it, but the finance pages are not its: 403 (its account page shows its payments).
    const own = env.ctx.sqlite.prepare("SELECT id FROM payments WHERE state_iso3 = 'FRA' LIMIT 1").get() as { id: number };
    expect((await get('fra', `/payments/${own.id}`)).statusCode).toBe(403);
    const r = await post('fra', `/payments/${mexPaymentId}/reverse`, { _csrf: sessions.fra!.csrf, _idem: 'abcdefghijklmnopqrstuv', reason: 'x' });
    expect(r.statusCode).toBe(404);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('a visitor without a session is sent to /login', async () => {
    const res = await env.app.inject({ url: '/payments' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    const p = await env.app.inject({ method: 'POST', url: '/payments', headers: FORM, payload: 'amount=1' });
    expect(p.statusCode).toBe(303);
  });
});
