/**
 * The inject-level setting of the admin, bank-details and reports page tests:
 * two States, a scale, the 2018 budget with its invoices, the issuer, one
 * user per role (admin twice, for four eyes), each logged in through /login;
 * GET and POST as a user, and a page's hidden form tokens.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { parseCookies } from '../../src/http/plugins/session.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { addUser } from '../../src/services/users.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

export const PASSWORDS: Record<string, string> = {
  fin: 'fin-password-1',
  adm: 'adm-password-1',
  adm2: 'adm2-password-1',
  pres: 'pres-password-1',
  aud: 'aud-password-1',
  fra: 'fra-password-1',
};
export const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };

export interface PagesEnv {
  env: TestEnv;
  tokens: Record<string, string>;
  sessions: Record<string, { cookie: string; csrf: string }>;
  login(username: string, password?: string): Promise<{ cookie: string; csrf: string }>;
  get(who: string, url: string): Promise<LightMyRequestResponse>;
  post(who: string, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The hidden _csrf and _idem of the form whose action is `action` on the page at `url`. */
  formTokens(who: string, url: string, action: string): Promise<{ _csrf: string; _idem: string }>;
}

function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  const h = res.headers['set-cookie'];
  const all = h === undefined ? [] : Array.isArray(h) ? h : [h];
  const c = all.find((s) => s.startsWith(`${name}=`));
  return c === undefined ? undefined : parseCookies(c.split(';')[0]).get(name);
}

let ip = 1;

export async function pagesEnv(): Promise<PagesEnv> {
  const actor = cliActor('test');
  const tokens: Record<string, string> = {};
  const env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
      createScale(ctx, actor, SCALE_SMALL);
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
      const roles: Record<string, 'finance' | 'admin' | 'presidency' | 'auditor' | 'state'> = { fin: 'finance', adm: 'admin', adm2: 'admin', pres: 'presidency', aud: 'auditor', fra: 'state' };
      for (const [u, role] of Object.entries(roles)) tokens[u] = addUser(ctx, actor, { username: u, role, ...(role === 'state' ? { state: 'FRA' } : {}), password: PASSWORDS[u]! }).token;
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  const sessions: Record<string, { cookie: string; csrf: string }> = {};

  async function login(username: string, password = PASSWORDS[username]!): Promise<{ cookie: string; csrf: string }> {
    const form = await env.app.inject({ url: '/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await env.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`,
      headers: { ...FORM, cookie: `isu_login_csrf=${cookieValue(form, 'isu_login_csrf')}` },
      payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
    });
    expect(res.statusCode, res.body).toBe(303);
    const cookie = `isu_session=${cookieValue(res, 'isu_session')}`;
    const page = await env.app.inject({ url: res.headers.location as string, headers: { cookie } });
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
  }
  for (const u of Object.keys(PASSWORDS)) sessions[u] = await login(u);

  const get = (who: string, url: string) => env.app.inject({ url, headers: { cookie: sessions[who]!.cookie } });
  const post = (who: string, url: string, fields: Record<string, string>) =>
    env.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: sessions[who]!.cookie }, payload: new URLSearchParams(fields).toString() });
  async function formTokens(who: string, url: string, action: string) {
    const res = await get(who, url);
    expect(res.statusCode, res.body).toBe(200);
    const at = res.body.indexOf(`action="${action}"`);
    expect(at, `no form ${action} on ${url}`).toBeGreaterThan(0);
    const form = res.body.slice(at, res.body.indexOf('</form>', at));
    return { _csrf: /name="_csrf" value="([^"]+)"/.exec(form)![1]!, _idem: /name="_idem" value="([^"]+)"/.exec(form)![1]! };
  }
  return { env, tokens, sessions, login, get, post, formTokens };
}
