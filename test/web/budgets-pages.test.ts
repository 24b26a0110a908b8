/**
 * The budgets, States Parties and periods pages without a browser (inject),
 * logged in through /login: a new budget previewed (nothing written) then
 * confirmed (once, even when posted twice), its contributions exact to the
 * centime; a revision previewed per State Party then confirmed (version 2,
 * supplementary invoices); field errors at the field (422, nothing written);
 * the CSRF guard; closing and reopening a period; changing the register and
 * adding a State; who sees what, in three languages.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/pdf/i18n.js';
import { parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { assessBudget, createBudget, getBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { listPeriods } from '../../src/services/periods.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { getState, importStates } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const PASSWORDS: Record<string, string> = { fin: 'fin-password-1', adm: 'adm-password-1', pres: 'pres-password-1', aud: 'aud-password-1', fra: 'fra-password-1' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };
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

/** A URL in English unless it names its language (a ?lang= is remembered for the user: each request says its own). */
const inLang = (url: string) => (/[?&]lang=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}lang=en`);
const get = (who: string, url: string) => env.app.inject({ url: inLang(url), headers: { cookie: sessions[who]!.cookie } });
const post = (who: string, url: string, fields: Record<string, string>) =>
  env.app.inject({ method: 'POST', url: inLang(url), headers: { ...FORM, cookie: sessions[who]!.cookie }, payload: new URLSearchParams(fields).toString() });

/** The values of every input, select and textarea of a form of a page (as a browser would post them, without the buttons). */
function formValues(body: string, formId: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(body)?.[1];
  expect(form, formId).toBeDefined();
  const out: Record<string, string> = {};
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form!.matchAll(/<input ([^>]*)>/g)) {
    const a = m[1]!;
    const name = /name="([^"]*)"/.exec(a)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(a) && !/ checked/.test(a)) continue;
    out[name] = unescape(/value="([^"]*)"/.exec(a)?.[1] ?? '');
  }
  for (const m of form!.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    out[m[1]!] = unescape(/<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '');
  }
  for (const m of form!.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  return out;
}

const count = (table: string) => (env.ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const fieldError = (body: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error">[\\s\\S]*?</p>`).exec(body)?.[0] ?? '';

beforeAll(async () => {
  const actor = cliActor('test');
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX, STATE_BEN]);
      createScale(ctx, actor, SCALE_SMALL);
      createBudget(
        ctx,
        actor,
        budgetCreate.parse({
          ...BUDGET_2018,
          lines: [
            { code: 'staff', label: 'Staff', amount: '400000.00' },
            { code: 'travel', label: 'Travel', amount: '190000.00' },
          ],
        }),
      );
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
      addUser(ctx, actor, { username: 'fin', role: 'finance', password: PASSWORDS.fin! });
      addUser(ctx, actor, { username: 'adm', role: 'admin', password: PASSWORDS.adm! });
      addUser(ctx, actor, { username: 'pres', role: 'presidency', password: PASSWORDS.pres! });
      addUser(ctx, actor, { username: 'aud', role: 'auditor', password: PASSWORDS.aud! });
      addUser(ctx, actor, { username: 'fra', role: 'state', state: 'FRA', password: PASSWORDS.fra! });
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  let i = 1;
  for (const u of Object.keys(PASSWORDS)) sessions[u] = await login(u, `10.2.0.${i++}`);
}, 60_000);
afterAll(() => env.close());

describe('who sees the pages', () => {
  it('shows the budgets, the register and the periods to finance, the Presidency and auditors; the write forms to finance only', async () => {
    const fin = await get('fin', '/budgets');
    expect(fin.statusCode).toBe(200);
    expect(fin.body).toContain('href="/budgets/new"');
    expect(fin.body).toContain('href="/budgets/2018"');
    expect(fin.body).not.toContain('<script');
    for (const who of ['pres', 'aud']) {
      const res = await get(who, '/budgets/2018');
      expect(res.statusCode, who).toBe(200);
      expect(res.body).not.toContain('id="revise-budget"');
      expect((await get(who, '/budgets')).body).not.toContain('href="/budgets/new"');
      expect((await get(who, '/states')).statusCode).toBe(200);
      expect((await get(who, '/states/MEX')).body).not.toContain('id="edit-state"');
      const periods = await get(who, '/periods');
      expect(periods.statusCode).toBe(200);
      expect(periods.body).not.toContain('id="close-period"');
    }
    const b2018 = (await get('fin', '/budgets/2018')).body;
    expect(b2018).toContain('id="revise-budget"');
    expect(b2018).toContain('<h2>Execution by line</h2>');
    expect(b2018).toContain('href="/api/v1/budgets/2018/execution.pdf"');
    expect((await get('fin', '/states/FRA')).body).toContain('id="edit-state"');
    expect((await get('fin', '/periods')).body).toContain('id="close-period"');
    expect((await get('fin', '/periods')).body).not.toContain('id="reopen-period"');
  });

  it('refuses the other roles: 403 for admin on budgets and the register, 404 for a State on anything but its own entry', async () => {
    expect((await get('adm', '/budgets')).statusCode).toBe(403);
    expect((await get('adm', '/states')).statusCode).toBe(403);
    expect((await get('adm', '/periods')).statusCode).toBe(200);
    for (const who of ['pres', 'aud']) {
      expect((await get(who, '/budgets/new')).statusCode, who).toBe(403);
      expect((await get(who, '/states/new')).statusCode, who).toBe(403);
    }
    expect((await get('fra', '/budgets')).statusCode).toBe(404);
    expect((await get('fra', '/budgets/2018')).statusCode).toBe(404);
    expect((await get('fra', '/states')).statusCode).toBe(404);
    expect((await get('fra', '/states/MEX')).statusCode).toBe(404);
    expect((await get('fra', '/periods')).statusCode).toBe(404);
    const own = await get('fra', '/states/FRA');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('id="edit-state"');
    expect((await get('fin', '/budgets/1999')).statusCode).toBe(404);
    expect((await get('fin', '/states/ZZZ')).statusCode).toBe(404);
  });

  it('refuses the writes of the readers (403) and writes nothing', async () => {
    const before = rowCounts(env.ctx);
    const page = formValues((await get('fin', '/budgets/new')).body, 'new-budget');
    expect((await post('pres', '/budgets/new', { ...page, _csrf: sessions.pres!.csrf, confirm: '1' })).statusCode).toBe(403);
    expect((await post('aud', '/periods/close', { through: '2017-12-31', reason: 'x', confirm: '1', _csrf: sessions.aud!.csrf, _idem: 'a'.repeat(24) })).statusCode).toBe(403);
    expect((await post('fin', '/periods/reopen', { through: '', reason: 'x', _csrf: sessions.fin!.csrf, _idem: 'b'.repeat(24) })).statusCode).toBe(403);
    expect((await post('pres', '/states/FRA', { name: 'France', language: 'en', _csrf: sessions.pres!.csrf, _idem: 'c'.repeat(24) })).statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('a new budget', () => {
  const fill = (v: Record<string, string>) => ({
    ...v,
    year: '2019',
    amount: '300 000,00', // typed in the French style
    decisionRef: 'CCM/MSP/2018/4',
    approvedOn: '2018-09-05',
    cutoffDate: '2019-03-31',
    l0_amount: '200 000',
    l1_amount: '100 000,00',
  });

  it('previews the contribution of each State Party, summing exactly to the budget, and writes nothing', async () => {
    const page = await get('fin', '/budgets/new?lang=fr');
    expect(page.statusCode).toBe(200);
    const values = formValues(page.body, 'new-budget');
    expect(values.c0_code).toBe('7(a)'); // the last budget's scheme offered
    expect(values.l0_code).toBe('staff');
    const before = rowCounts(env.ctx);
    const res = await post('fin', '/budgets/new?lang=fr', { ...fill(values), preview: '1' });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(200);
    expect(res.body).toContain('Aperçu\u00a0: rien n’est encore enregistré');
    expect(res.body).toContain('Les contributions totalisent CHF\u00a0300\u00a0000,00, exactement le budget.');
    expect(res.body).toContain('name="confirm"');
    expect(res.body).toMatch(/name="previewed" value="[A-Za-z0-9_-]+"/);
    // 7(a): 90 000 in three equal parts; 7(b): 210 000 by the rates.
    expect(res.body).toContain(`<td class="num">${formatMoney('30000.00', 'fr')}</td>`);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('refuses shares that do not sum to 1, a year taken and lines that do not sum to the amount: 422 at the field, nothing written', async () => {
    const values = formValues((await get('fin', '/budgets/new')).body, 'new-budget');
    const before = rowCounts(env.ctx);
    const shares = await post('fin', '/budgets/new', { ...fill(values), c0_share: '0.2', preview: '1' });
    expect(shares.statusCode).toBe(422);
    expect(fieldError(shares.body, 'bud-c0_share')).toContain('The shares sum to 0.9, not exactly 1.');
    expect(shares.body).toMatch(/id="bud-c0_share" name="c0_share" aria-invalid="true"/);
    const taken = await post('fin', '/budgets/new', { ...fill(values), year: '2018', preview: '1' });
    expect(taken.statusCode).toBe(422);
    expect(fieldError(taken.body, 'bud-year')).toContain('A budget for this year already exists.');
    const lines = await post('fin', '/budgets/new?lang=es', { ...fill(values), l1_amount: '99.999,99', preview: '1' });
    expect(lines.statusCode).toBe(422);
    expect(fieldError(lines.body, 'bud-l0_amount')).toContain('Las partidas suman');
    const confirmBad = await post('fin', '/budgets/new', { ...fill(values), amount: 'abc', confirm: '1' });
    expect(confirmBad.statusCode).toBe(422);
    expect(fieldError(confirmBad.body, 'bud-amount')).toContain('Enter an amount in CHF');
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('refuses a post without the session’s CSRF token (403), writing nothing', async () => {
    const values = formValues((await get('fin', '/budgets/new')).body, 'new-budget');
    const before = count('budgets');
    const { _csrf: _dropped, ...rest } = fill(values) as Record<string, string>;
    const res = await post('fin', '/budgets/new', { ...rest, confirm: '1' });
    expect(res.statusCode).toBe(403);
    expect(count('budgets')).toBe(before);
  });

  it('shows a new preview instead of recording when the figures changed since the preview', async () => {
    const values = fill(formValues((await get('fin', '/budgets/new')).body, 'new-budget'));
    const preview = await post('fin', '/budgets/new', { ...values, preview: '1' });
    const previewed = formValues(preview.body, 'new-budget');
    const res = await post('fin', '/budgets/new', { ...previewed, amount: '300000.01', confirm: '1' });
    expect(res.statusCode).toBe(422); // the lines no longer sum to it
    const changed = await post('fin', '/budgets/new', { ...previewed, amount: '300000.00', l0_amount: '200000.00', decisionRef: 'CCM/MSP/2018/4bis', confirm: '1' });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toContain('The figures changed since the preview');
    expect(count('budgets')).toBe(1);
  });

  it('records the budget once on confirm, even when the confirmation is posted twice; the assessment is the one previewed', async () => {
    const values = fill(formValues((await get('fin', '/budgets/new')).body, 'new-budget'));
    const preview = await post('fin', '/budgets/new', { ...values, preview: '1' });
    const confirmed = { ...formValues(preview.body, 'new-budget'), confirm: '1' };
    const first = await post('fin', '/budgets/new', confirmed);
    expect(first.statusCode, first.body.slice(0, 2000)).toBe(303);
    expect(first.headers.location).toBe('/budgets/2019?created=1');
    const second = await post('fin', '/budgets/new', confirmed);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe('/budgets/2019?created=1');
    expect(count('budgets')).toBe(2);
    const b = getBudget(env.ctx, 2019);
    expect(b.amount).toBe('300000.00');
    expect(b.lines.map((l) => [l.code, l.amount])).toEqual([
      ['staff', '200000.00'],
      ['travel', '100000.00'],
    ]);
    const a = assessBudget(env.ctx, 2019);
    expect(a.total).toBe('300000.00');
    const sum = a.rows.reduce((s, r) => s + BigInt(r.total.replace('.', '')), 0n);
    expect(sum).toBe(30000000n);
    for (const r of a.rows) expect(preview.body).toContain(`<strong>${formatMoney(r.total, 'en')}</strong>`);
    const page = await get('fin', first.headers.location as string);
    expect(page.body).toContain('The budget was recorded.');
  });
});

describe('correcting a budget before it is invoiced', () => {
  it('previews the corrected contributions, refuses an amount apart from the lines at the field, confirms once', async () => {
    const values = formValues((await get('fin', '/budgets/2019')).body, 'correct-budget');
    expect(values.amount).toBe('300000.00');
    const before = rowCounts(env.ctx);
    const amount = await post('fin', '/budgets/2019/correct', { ...values, amount: '310000.00', preview: '1' });
    expect(amount.statusCode).toBe(200); // the preview: the service refuses it only on confirm
    const refused = await post('fin', '/budgets/2019/correct', { ...formValues(amount.body, 'correct-budget'), confirm: '1' });
    expect(refused.statusCode).toBe(422);
    expect(fieldError(refused.body, 'cor-amount')).toContain('has lines summing to 300000.00');
    const nothing = await post('fin', '/budgets/2019/correct', { ...values, preview: '1' });
    expect(nothing.statusCode).toBe(422);
    expect(fieldError(nothing.body, 'cor-amount')).toContain('this correction changes nothing');
    expect(rowCounts(env.ctx)).toEqual(before);
    const preview = await post('fin', '/budgets/2019/correct', { ...values, cutoffDate: '2019-04-30', preview: '1' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('The contributions sum to CHF\u00a0300,000.00, exactly the budget.');
    const confirmed = { ...formValues(preview.body, 'correct-budget'), confirm: '1' };
    const first = await post('fin', '/budgets/2019/correct', confirmed);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/budgets/2019?corrected=1');
    expect((await post('fin', '/budgets/2019/correct', confirmed)).headers.location).toBe('/budgets/2019?corrected=1');
    expect(getBudget(env.ctx, 2019).cutoffDate).toBe('2019-04-30');
    const audits = env.ctx.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'budget' AND entity_id = '2019'").get() as { n: number };
    expect(audits.n).toBe(2); // created, corrected once
  });

  it('corrects only the decision symbol of an invoiced budget', async () => {
    const values = formValues((await get('fin', '/budgets/2018')).body, 'correct-budget');
    expect(Object.keys(values).sort()).toEqual(['_csrf', '_idem', 'decisionRef']);
    const res = await post('fin', '/budgets/2018/correct', { ...values, decisionRef: 'CCM/MSP/2017/2/Corr.1' });
    expect(res.statusCode).toBe(303);
    expect(getBudget(env.ctx, 2018).decisionRef).toBe('CCM/MSP/2017/2/Corr.1');
  });
});

describe('revising a budget', () => {
  const fill = (v: Record<string, string>) => ({ ...v, amount: '600000.00', l0_amount: '410000.00', decisionRef: 'CCM/MSP/2018/5', approvedOn: '2018-09-06', reason: 'Revised by the 8th MSP' });

  it('previews each State Party’s difference, writes nothing, then confirms once: version 2 with its supplementary invoices', async () => {
    const page = await get('fin', '/budgets/2018');
    const values = formValues(page.body, 'revise-budget');
    expect(values.amount).toBe('590000.00');
    const before = rowCounts(env.ctx);
    const nothing = await post('fin', '/budgets/2018/revise', { ...values, decisionRef: 'X', approvedOn: '2018-09-06', reason: 'x', preview: '1' });
    expect(nothing.statusCode).toBe(422);
    expect(fieldError(nothing.body, 'rev-amount')).toContain('this revision changes nothing');
    const preview = await post('fin', '/budgets/2018/revise', { ...fill(values), preview: '1' });
    expect(preview.statusCode, preview.body.slice(0, 3000)).toBe(200);
    expect(preview.body).toContain('Preview of the revision: nothing is recorded yet');
    expect(preview.body).toContain('Supplementary invoices: CHF\u00a010,000.00. Partial credit notes: CHF\u00a00.00.');
    expect(preview.body).toContain('<td>Supplementary invoice</td>');
    expect(rowCounts(env.ctx)).toEqual(before);
    const confirmed = { ...formValues(preview.body, 'revise-budget'), confirm: '1' };
    const first = await post('fin', '/budgets/2018/revise', confirmed);
    expect(first.statusCode, first.body.slice(0, 3000)).toBe(303);
    expect(first.headers.location).toBe('/budgets/2018?revised=2');
    const second = await post('fin', '/budgets/2018/revise', confirmed);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe('/budgets/2018?revised=2');
    expect(count('budget_versions')).toBe(1);
    const sup = env.ctx.sqlite.prepare("SELECT count(*) AS n FROM invoices WHERE year = 2018 AND kind = 'supplementary'").get() as { n: number };
    expect(sup.n).toBe(3);
    expect(getBudget(env.ctx, 2018).amount).toBe('600000.00');
    expect(assessBudget(env.ctx, 2018).total).toBe('600000.00');
    const done = await get('fin', '/budgets/2018?revised=2&lang=es');
    expect(done.body).toContain('Se registró la versión 2.');
    expect(done.body).toContain('Lo que emitió la versión 2');
    expect(done.body).toContain('Factura complementaria');
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});

describe('scales', () => {
  it('lists the scales and their rates to the readers; loads a new one once (finance), a bad rate refused naming its line', async () => {
    const list = await get('pres', '/scales?lang=fr');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/scales/TEST-1?lang=fr"');
    expect(list.body).not.toContain('href="/scales/new');
    const one = await get('aud', '/scales/TEST-1?lang=es');
    expect(one.body).toContain('<td>Francia</td><td class="mono">FRA</td><td class="num">4,859</td>');
    expect((await get('pres', '/scales/new')).statusCode).toBe(403);
    expect((await get('fin', '/scales/NOPE')).statusCode).toBe(404);
    const values = formValues((await get('fin', '/scales/new')).body, 'new-scale');
    const before = rowCounts(env.ctx);
    const fields = { ...values, code: 'TEST-2', title: 'Test scale, corrected', source: 'test 2' };
    const bad = await post('fin', '/scales/new', { ...fields, rates: 'iso3,rate\nFRA,4.859\nMEX,1,4' });
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'scl-rates')).toContain('Line 3: give the code and the rate');
    const badRate = await post('fin', '/scales/new', { ...fields, rates: 'iso3,rate\nFRA,4.859\nMEX,abc' });
    expect(fieldError(badRate.body, 'scl-rates')).toContain('Line 3: the rate must be a number');
    const taken = await post('fin', '/scales/new', { ...fields, code: 'TEST-1', rates: 'iso3,rate\nFRA,4.859' });
    expect(fieldError(taken.body, 'scl-code')).toContain('A scale with this code exists already');
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = { ...fields, rates: 'iso3,rate\nFRA,4.859\nMEX,1.435\nBEN,0.004' };
    const first = await post('fin', '/scales/new', ok);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/scales/TEST-2?created=1');
    expect((await post('fin', '/scales/new', ok)).headers.location).toBe('/scales/TEST-2?created=1');
    expect(count("scales WHERE code = 'TEST-2'")).toBe(1);
    expect(count("scale_rates WHERE scale_code = 'TEST-2'")).toBe(3);
  });
});

describe('a double click on a revision', () => {
  it('acts once when the same confirmation is posted twice at once: both answered with the one result', async () => {
    const values = formValues((await get('fin', '/budgets/2018')).body, 'revise-budget');
    const l0 = BigInt(values.l0_amount!.replace('.', ''));
    const fields = { ...values, amount: '605000.00', l0_amount: `${(l0 + 500000n) / 100n}.${String((l0 + 500000n) % 100n).padStart(2, '0')}`, decisionRef: 'CCM/MSP/2018/6', approvedOn: '2018-09-07', reason: 'Second revision' };
    const preview = await post('fin', '/budgets/2018/revise', { ...fields, preview: '1' });
    expect(preview.statusCode, preview.body.slice(0, 2000)).toBe(200);
    const confirmed = { ...formValues(preview.body, 'revise-budget'), confirm: '1' };
    const [a, b] = await Promise.all([post('fin', '/budgets/2018/revise', confirmed), post('fin', '/budgets/2018/revise', confirmed)]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(a.headers.location).toBe('/budgets/2018?revised=3');
    expect(b.headers.location).toBe('/budgets/2018?revised=3');
    expect(count('budget_versions')).toBe(2);
    expect(assessBudget(env.ctx, 2018).total).toBe('605000.00');
  });
});

describe('periods', () => {
  it('closes a period only with the confirmation ticked (422 otherwise, nothing written), once on a double submit', async () => {
    const values = formValues((await get('fin', '/periods')).body, 'close-period');
    const before = rowCounts(env.ctx);
    const unticked = await post('fin', '/periods/close?lang=fr', { ...values, through: '2017-12-31', reason: 'Clôture 2017' });
    expect(unticked.statusCode).toBe(422);
    expect(fieldError(unticked.body, 'close-confirm')).toContain('Cochez la case pour confirmer la clôture.');
    const future = await post('fin', '/periods/close', { ...values, through: '2999-12-31', reason: 'x', confirm: '1' });
    expect(future.statusCode).toBe(422);
    expect(fieldError(future.body, 'close-through')).toContain('must be before today');
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = { ...values, through: '2017-12-31', reason: 'Year 2017 checked', confirm: '1' };
    const first = await post('fin', '/periods/close', ok);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/periods?closed=1');
    expect((await post('fin', '/periods/close', ok)).headers.location).toBe('/periods?closed=1');
    expect(count('period_locks')).toBe(1);
    expect(listPeriods(env.ctx).lockedThrough).toBe('2017-12-31');
    const page = await get('fin', '/periods?closed=1&lang=fr');
    expect(page.body).toContain('La période a été clôturée');
    const again = await post('fin', '/periods/close', { ...formValues(page.body, 'close-period'), through: '2017-06-30', reason: 'x', confirm: '1' });
    expect(again.statusCode).toBe(409);
    expect(fieldError(again.body, 'close-through')).toContain('already locked through 2017-12-31');
  });

  it('lets an admin reopen, with a reason', async () => {
    const page = await get('adm', '/periods');
    const values = formValues(page.body, 'reopen-period');
    const missing = await post('adm', '/periods/reopen', { ...values, through: '2017-06-30' });
    expect(missing.statusCode).toBe(422);
    expect(fieldError(missing.body, 'reopen-reason')).toContain('Required.');
    const res = await post('adm', '/periods/reopen', { ...values, through: '2017-06-30', reason: 'A late bank fee of June' });
    expect(res.statusCode).toBe(303);
    expect(listPeriods(env.ctx).lockedThrough).toBe('2017-06-30');
  });
});

describe('closing a year', () => {
  it('closes a year only with its confirmation, once, from the periods page', async () => {
    const page = await get('fin', '/periods');
    const values = formValues(page.body, 'close-year');
    const before = rowCounts(env.ctx);
    const unticked = await post('fin', '/periods/close-year', { ...values, year: '2017', reason: 'Year-end 2017' });
    expect(unticked.statusCode).toBe(422);
    expect(fieldError(unticked.body, 'year-confirm')).toContain('Tick the box to confirm');
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = { ...values, year: '2017', reason: 'Year-end 2017', confirm: '1' };
    const first = await post('fin', '/periods/close-year', ok);
    expect(first.statusCode, first.body.slice(0, 2000)).toBe(303);
    expect(first.headers.location).toBe('/periods?year=2017');
    expect((await post('fin', '/periods/close-year', ok)).headers.location).toBe('/periods?year=2017');
    expect(count('year_closings')).toBe(1);
    expect((await get('fin', '/periods?year=2017')).body).toContain('The year 2017 was closed.');
    expect((await post('pres', '/periods/close-year', { ...ok, _csrf: sessions.pres!.csrf })).statusCode).toBe(403);
  });
});

describe('the register', () => {
  it('lists the States Parties by name in the page’s language, searched by name', async () => {
    const res = await get('pres', '/states?lang=es&q=mexi');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('>México</a>');
    expect(res.body).not.toContain('>Francia</a>');
    expect(res.body).toContain('href="/account?state=MEX&amp;lang=es"');
    const fr = await get('pres', '/states?lang=fr');
    expect(fr.body).toContain('>Mexique</a>');
    expect(fr.body).toContain('>Bénin</a>');
  });

  it('changes what finance changes, refuses a bad country code at the field (422, nothing written), saves once', async () => {
    const values = formValues((await get('fin', '/states/FRA')).body, 'edit-state');
    expect(values.language).toBe('fr');
    const before = rowCounts(env.ctx);
    const bad = await post('fin', '/states/FRA', { ...values, mission_street: 'Case postale 44', mission_postcode: '1211', mission_city: 'Genève', mission_country: 'Suisse' });
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'st-mission_country')).toContain('Give 2 capital letters');
    const badDate = await post('fin', '/states/FRA', { ...values, withdrawalEffective: '2000-01-01' });
    expect(badDate.statusCode).toBe(422);
    expect(fieldError(badDate.body, 'st-withdrawalEffective')).toContain('after the entry into force');
    expect(rowCounts(env.ctx)).toEqual(before);
    const ok = { ...values, numberLocale: 'fr-CH', mission_street: 'Case postale 44', mission_postcode: '1211', mission_city: 'Genève', mission_country: 'CH', emails: 'mission.fra@example.org' };
    const first = await post('fin', '/states/FRA', ok);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/states/FRA?saved=1');
    expect((await post('fin', '/states/FRA', ok)).headers.location).toBe('/states/FRA?saved=1');
    const s = getState(env.ctx, 'FRA');
    expect(s.numberLocale).toBe('fr-CH');
    expect(s.missionAddress).toEqual({ street: 'Case postale 44', postalCode: '1211', city: 'Genève', countryCode: 'CH' });
    expect(s.billing.emails).toEqual(['mission.fra@example.org']);
    expect(s.language).toBe('fr');
    const audits = env.ctx.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'state' AND entity_id = 'FRA'").get() as { n: number };
    expect(audits.n).toBe(2); // its import, this change: once
  });

  it('adds a late joiner once, its entry into force by Article 17', async () => {
    const values = formValues((await get('fin', '/states/new')).body, 'new-state');
    const before = count('states');
    const bad = await post('fin', '/states/new', { ...values, iso3: 'fra', name: 'X' });
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'st-iso3')).toContain('This State is already in the register.');
    const fields = { ...values, iso3: 'ISL', name: 'Iceland', nameFr: 'Islande', nameEs: 'Islandia', language: 'en', depositDate: '2015-08-31' };
    const first = await post('fin', '/states/new', fields);
    expect(first.statusCode, first.body.slice(0, 2000)).toBe(303);
    expect(first.headers.location).toBe('/states/ISL?created=1');
    expect((await post('fin', '/states/new', fields)).headers.location).toBe('/states/ISL?created=1');
    expect(count('states')).toBe(before + 1);
    expect(getState(env.ctx, 'ISL').entryIntoForce).toBe('2016-02-01');
  });
});
