/**
 * The reminders pages without a browser (inject), logged in through /login:
 * who is overdue on a date (net of the credit held: a State its credit
 * covers is not listed), drawing up the letters (303, one per State per day,
 * a double submit acting once, 422 at the field and nothing written), e-mailing
 * them (the delivery log: written to the outbox, or failed for a State with
 * no billing e-mail), retrying the failures, the roles and the languages.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMINDERS_TEXT } from '../../src/http/pages/reminders-text.js';
import { parseCookies } from '../../src/http/plugins/session.js';
import { formatMoney } from '../../src/pdf/i18n.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { remindersDue } from '../../src/services/reminders.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates, updateState } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = { fin: 'fin-password-1', adm: 'adm-password-1', pres: 'pres-password-1', fra: 'fra-password-1' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };
const t = REMINDERS_TEXT.en;
const AS_OF = '2018-06-30';
let env: TestEnv;
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
const idemOf = (body: string, action: string) => new RegExp(`action="${action.replace(/[/?]/g, (c) => `\\${c}`)}"[\\s\\S]*?name="_idem" value="([^"]+)"`).exec(body)![1]!;

beforeAll(async () => {
  const actor = cliActor('test');
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [{ ...STATE_FRA, billing: { addressLines: ['Permanent Mission of France'], emails: ['finance@fra.example'] } }, STATE_MEX, STATE_BEN]);
      createScale(ctx, actor, SCALE_SMALL);
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
      addUser(ctx, actor, { username: 'fin', role: 'finance', password: PASSWORDS.fin! });
      addUser(ctx, actor, { username: 'adm', role: 'admin', password: PASSWORDS.adm! });
      addUser(ctx, actor, { username: 'pres', role: 'presidency', password: PASSWORDS.pres! });
      addUser(ctx, actor, { username: 'fra', role: 'state', state: 'FRA', password: PASSWORDS.fra! });
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  // Mexico pays part before the date payable by; Benin pays more than it owes afterwards (covered by nothing: it paid in full).
  recordPayment(env.ctx, actor, 'rem-mex', { iso3: 'MEX', amount: '50.00', receivedOn: '2018-01-10' });
  let i = 1;
  for (const u of Object.keys(PASSWORDS)) sessions[u] = await login(u, `10.3.0.${i++}`);
});
afterAll(() => env.close());

describe('who is overdue', () => {
  it('lists the States with money left past the date payable by, with what is left, the days and the totals of the service', async () => {
    const due = remindersDue(env.ctx, AS_OF, null);
    expect(due.states.map((s) => s.iso3).sort()).toEqual(['BEN', 'FRA', 'MEX'].filter((x) => due.states.some((s) => s.iso3 === x)));
    const res = await get('fin', `/reminders?asOf=${AS_OF}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<div class="value" id="remind-states">${due.totals.states}</div>`);
    const mex = due.states.find((s) => s.iso3 === 'MEX')!;
    expect(res.body).toContain(formatMoney(mex.toPay, 'en'));
    expect(res.body).toContain(`href="/invoices/${mex.invoices[0]!.number}"`);
    // 2018-03-31 → 2018-06-30: 91 days.
    expect(res.body).toContain('<td class="num">91</td>');
    expect(res.body).toContain(t.submitGenerate(due.totals.states));
    expect(res.body).not.toContain('<script');
  });

  it('before the date payable by, nobody is overdue and there is no form', async () => {
    const res = await get('fin', '/reminders?asOf=2018-01-15');
    expect(res.body).toContain(t.noneOverdue);
    expect(res.body).not.toContain('<form method="post" action="/reminders"');
  });

  it('a bad date in the address: 400', async () => {
    expect((await get('fin', '/reminders?asOf=2018-02-30')).statusCode).toBe(400);
  });
});

describe('drawing up and sending the letters', () => {
  let location: string;

  it('a bad date: 422 at the field, nothing written; without the CSRF token: 403', async () => {
    const page = await get('fin', `/reminders?asOf=${AS_OF}`);
    const idem = idemOf(page.body, '/reminders');
    const counts = rowCounts(env.ctx);
    const bad = await post('fin', '/reminders', { _csrf: sessions.fin!.csrf, _idem: idem, asOf: AS_OF, date: '30/06/2018' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="gen-date" name="date" aria-invalid="true"/);
    const early = await post('fin', '/reminders', { _csrf: sessions.fin!.csrf, _idem: idem, asOf: AS_OF, date: '2018-06-01' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('must not be after the issue date 2018-06-01');
    const noCsrf = await post('fin', '/reminders', { _idem: idem, asOf: AS_OF, date: '' });
    expect(noCsrf.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('draws up one letter per State to remind: 303 to the page of that date; a double submit draws them up once', async () => {
    const due = remindersDue(env.ctx, AS_OF, null);
    const page = await get('fin', `/reminders?asOf=${AS_OF}`);
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, '/reminders'), asOf: AS_OF, date: '' };
    const [a, b] = await Promise.all([post('fin', '/reminders', form), post('fin', '/reminders', form)]);
    expect(a.statusCode, a.body).toBe(303);
    expect(b.statusCode, b.body).toBe(303);
    location = a.headers.location as string;
    expect(location).toBe(`/reminders?asOf=${AS_OF}&issued=${due.totals.states}&existing=0`);
    expect(b.headers.location).toBe(location);
    expect(count('reminders')).toBe(due.totals.states);
    const shown = await get('fin', location);
    expect(shown.body).toContain(t.generated(due.totals.states, 0));
    const letters = env.ctx.sqlite.prepare('SELECT number FROM reminders').all() as { number: string }[];
    for (const l of letters) expect(shown.body).toContain(`href="/api/v1/reminders/letters/${l.number}/pdf"`);
    expect(shown.body).toContain(t.notSent);
    expect(shown.body).toContain('action="/reminders/send"');
    // A new form the same day: the same letters answered, nothing new.
    const again = await post('fin', '/reminders', { ...form, _idem: idemOf(shown.body, '/reminders') });
    expect(again.headers.location).toBe(`/reminders?asOf=${AS_OF}&issued=0&existing=${due.totals.states}`);
    expect(count('reminders')).toBe(due.totals.states);
  });

  it('e-mails them: written to the outbox for a State with a billing e-mail, failed for one without; a double submit sends once', async () => {
    const page = await get('fin', location);
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, '/reminders/send'), asOf: AS_OF };
    const letters = count('reminders');
    const [a, b] = await Promise.all([post('fin', '/reminders/send', form), post('fin', '/reminders/send', form)]);
    expect(a.statusCode, a.body).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(a.headers.location).toBe(`/reminders/deliveries?kind=reminders&sent=0&written=1&failed=${letters - 1}&skipped=0`);
    expect(count('deliveries')).toBe(letters);
    const log = await get('fin', a.headers.location as string);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain(t.runResult(0, 1, letters - 1, 0));
    expect(log.body).toContain('<span translate="no">finance@fra.example</span>');
    expect(log.body).toContain(t.status.written);
    expect(log.body).toContain(t.status.failed);
    expect(log.body).toContain(t.noAddress);
    expect(log.body).toContain('action="/reminders/deliveries/retry"');
    const failed = await get('fin', '/reminders/deliveries?status=failed');
    expect(failed.body).not.toContain('finance@fra.example');
    const bad = await get('fin', '/reminders/deliveries?status=bounced');
    expect(bad.statusCode).toBe(400);
  });

  it('retries the failures once per submit, at the addresses the State has now', async () => {
    updateState(env.ctx, cliActor('test'), 'MEX', { billing: { addressLines: ['Misión Permanente de México'], emails: ['pagos@mex.example'] } });
    const page = await get('fin', '/reminders/deliveries');
    const form = { _csrf: sessions.fin!.csrf, _idem: idemOf(page.body, '/reminders/deliveries/retry') };
    const before = count('deliveries');
    const res = await post('fin', '/reminders/deliveries/retry', form);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/reminders\/deliveries\?sent=0&written=1&/);
    expect(count('deliveries')).toBe(before + 1);
    const again = await post('fin', '/reminders/deliveries/retry', form);
    expect(again.headers.location).toBe(res.headers.location);
    expect(count('deliveries')).toBe(before + 1);
    expect((await get('fin', '/reminders/deliveries')).body).toContain('<span translate="no">pagos@mex.example</span>');
  });

  it('speaks French and Spanish', async () => {
    const fr = await get('fin', `/reminders?asOf=${AS_OF}&lang=fr`);
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain(REMINDERS_TEXT.fr.title);
    const es = await get('fin', '/reminders/deliveries?lang=es');
    expect(es.body).toContain(REMINDERS_TEXT.es.logTitle);
    await get('fin', '/reminders?lang=en');
  });
});

describe('who may', () => {
  it('finance only: the Presidency and the admin get 403, a State user 404, a visitor /login; nothing written', async () => {
    const counts = rowCounts(env.ctx);
    for (const url of ['/reminders', '/reminders/deliveries']) {
      expect((await get('pres', url)).statusCode).toBe(403);
      expect((await get('adm', url)).statusCode).toBe(403);
      expect((await get('fra', url)).statusCode).toBe(404);
      const v = await env.app.inject({ url });
      expect(v.statusCode).toBe(303);
      expect(v.headers.location).toBe('/login');
    }
    expect((await post('pres', '/reminders', { _csrf: sessions.pres!.csrf, _idem: 'abcdefghijklmnopqrstuv', asOf: AS_OF })).statusCode).toBe(403);
    expect((await post('adm', '/reminders/send', { _csrf: sessions.adm!.csrf, _idem: 'abcdefghijklmnopqrstuv', asOf: AS_OF })).statusCode).toBe(403);
    expect((await post('fra', '/reminders/deliveries/retry', { _csrf: sessions.fra!.csrf, _idem: 'abcdefghijklmnopqrstuv' })).statusCode).toBe(404);
    expect(rowCounts(env.ctx)).toEqual(counts);
  });
});
