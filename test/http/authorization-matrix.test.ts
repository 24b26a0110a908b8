/**
 * The authorization matrix, built from the server's own route table: every
 * /api route × every role (and no token) gets what SPEC 4 and 7 say. A new
 * route cannot escape: the app refuses to start with a route that has no rule,
 * and this test walks them all. Every status answered is one the OpenAPI
 * document declares for the operation, in the media type it declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { issueReminders } from '../../src/services/reminders.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
/** Values for path parameters: the State user's own resource, and another State's. */
let own: Record<string, string>;
let other: Record<string, string>;

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
  const inv = Object.fromEntries(listInvoices(env.ctx, {}, null).map((i) => [i.iso3, i.number]));
  const cnOther = await cancelInvoice(env.ctx, cliActor('test'), inv.MEX!, { reason: 'matrix' });
  const payOwn = recordPayment(env.ctx, cliActor('test'), 'm-own', { iso3: 'FRA', amount: '10.00', receivedOn: '2018-01-10' }).payment.id;
  const payOther = recordPayment(env.ctx, cliActor('test'), 'm-other', { iso3: 'MEX', amount: '10.00', receivedOn: '2018-01-10' }).payment.id;
  own = { iso3: 'FRA', year: '2018', number: inv.FRA!, code: 'TEST-1', id: String(payOwn), username: 'fra' };
  other = { iso3: 'MEX', year: '2018', number: inv.MEX!, code: 'TEST-1', id: String(payOther), username: 'mex' };
  other.creditNote = cnOther.number;
  // Reminders: BEN's letter is another State's, FRA's the user's own.
  const letters = (await issueReminders(env.ctx, cliActor('test'), { asOf: '2018-04-01', date: '2018-04-03' })).letters;
  own.reminder = letters.find((l) => l.iso3 === 'FRA')!.number;
  other.reminder = letters.find((l) => l.iso3 === 'BEN')!.number;
});
afterAll(() => env.close());

const USERS = ['none', 'admin', 'finance', 'presidency', 'auditor', 'fra'] as const;

function fill(url: string, values: Record<string, string>): string {
  const filled = url.replace(/:(\w+)/g, (_, p: string) => {
    if (p === 'number' && url.startsWith('/api/v1/credit-notes')) return values.creditNote ?? 'CN-2018-0099';
    if (p === 'number' && url.startsWith('/api/v1/reminders')) return values.reminder!;
    const v = values[p];
    if (v === undefined) throw new Error(`no value for :${p} in ${url}`);
    return v;
  });
  // Query parameters some routes require.
  if (/statement/.test(url)) return `${filled}?from=2017-01-01`;
  if (/status-of-contributions|cashflow|financial-statement/.test(url)) return `${filled}?year=2018`;
  return filled;
}

describe('authorization matrix', () => {
  it('gives every route × role the status of SPEC 4 and 7', async () => {
    const table = env.app.accessTable;
    expect(table.length).toBeGreaterThan(35);
    const failures: string[] = [];
    let cells = 0;
    const doc = (await env.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    for (const rule of table) {
      const operation = doc.paths[rule.url.replace(/:(\w+)/g, '{$1}')]?.[rule.method.toLowerCase()];
      for (const user of USERS) {
        const token = user === 'none' ? undefined : env.tokens[user];
        const method = rule.method as 'GET' | 'POST' | 'PUT' | 'PATCH';
        const send = async (url: string) => {
          const res = await env.app.inject({ method, url, headers: { ...auth(token), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'GET' ? {} : { payload: '{"zz_matrix":1}' }) });
          if (operation) {
            const documented = operation.responses[String(res.statusCode)];
            const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!;
            if (!documented) failures.push(`${rule.method} ${rule.url} as ${user}: ${res.statusCode} is not in the OpenAPI document`);
            else if (!Object.keys(documented.content ?? {}).includes(mediaType))
              failures.push(`${rule.method} ${rule.url} as ${user}: ${res.statusCode} ${mediaType} is not in the OpenAPI document`);
          } else if (rule.url !== '/api/v1/openapi.json') failures.push(`${rule.method} ${rule.url} is not in the OpenAPI document`);
          return res;
        };
        const res = await send(fill(rule.url, own));
        cells++;
        const a = rule.access;
        let expected: string;
        let ok: boolean;
        if ('public' in a) {
          expected = '2xx';
          ok = res.statusCode < 300;
        } else if (user === 'none') {
          expected = '401';
          ok = res.statusCode === 401;
        } else if (user === 'fra') {
          if (a.roles.includes('state')) {
            expected = 'allowed (not 401/403/5xx)';
            ok = ![401, 403].includes(res.statusCode) && res.statusCode < 500;
          } else if (a.ownState) {
            expected = 'allowed for its own State (not 401/403/5xx)';
            ok = ![401, 403].includes(res.statusCode) && res.statusCode < 500;
            // …and 404 for another State's resource.
            if (/:(iso3|number|id)/.test(rule.url)) {
              const cross = await send(fill(rule.url, other));
              cells++;
              if (cross.statusCode !== 404) failures.push(`${rule.method} ${rule.url} as fra on another State: ${cross.statusCode}, expected 404`);
            }
          } else {
            expected = '403';
            ok = res.statusCode === 403;
          }
        } else if (a.roles.includes(user)) {
          expected = 'allowed (not 401/403/5xx)';
          ok = ![401, 403].includes(res.statusCode) && res.statusCode < 500;
        } else {
          expected = '403';
          ok = res.statusCode === 403;
        }
        if (!ok) failures.push(`${rule.method} ${rule.url} as ${user}: ${res.statusCode}, expected ${expected}`);
      }
    }
    // A State user listing another State's invoices, payments or credit notes gets 404 too.
    for (const url of ['/api/v1/invoices?state=MEX', '/api/v1/payments?state=MEX', '/api/v1/credit-notes?state=MEX', '/api/v1/reminders/letters?state=BEN']) {
      const res = await env.app.inject({ url, headers: auth(env.tokens.fra) });
      cells++;
      if (res.statusCode !== 404) failures.push(`GET ${url} as fra: ${res.statusCode}, expected 404`);
    }
    // Bank lines and statements are finance's business: a State user sees none of them (403), not even their list.
    for (const url of ['/api/v1/bank/lines', '/api/v1/bank/lines?status=unmatched', '/api/v1/bank/statements', '/api/v1/bank/accounts']) {
      const res = await env.app.inject({ url, headers: auth(env.tokens.fra) });
      cells++;
      if (res.statusCode !== 403) failures.push(`GET ${url} as fra: ${res.statusCode}, expected 403`);
    }
    expect(failures).toEqual([]);
    console.log(`authorization matrix: ${table.length} routes × ${USERS.length} callers, ${cells} requests`);
  }, 120_000);

  it('deliveries (SPEC 9.7): finance and admin send and retry; finance, presidency, auditor and admin read the log; a State user none', () => {
    const rules = env.app.accessTable
      .filter((r) => r.url.startsWith('/api/v1/deliveries'))
      .map((r) => [r.method, r.url, 'roles' in r.access ? [...r.access.roles].sort() : 'public', 'ownState' in r.access ? r.access.ownState : undefined]);
    expect(rules).toEqual([
      ['POST', '/api/v1/deliveries', ['admin', 'finance'], undefined],
      ['POST', '/api/v1/deliveries/retry', ['admin', 'finance'], undefined],
      ['GET', '/api/v1/deliveries', ['admin', 'auditor', 'finance', 'presidency'], undefined],
    ]);
  });

  it('year-end (SPEC 9.4): finance and admin close a year (as they close periods); finance, presidency, auditor and admin read closings; finance, presidency and auditor the financial statement; a State user none', () => {
    const rules = env.app.accessTable
      .filter((r) => r.url.startsWith('/api/v1/years') || r.url.startsWith('/api/v1/reports/financial-statement'))
      .map((r) => [r.method, r.url, 'roles' in r.access ? [...r.access.roles].sort() : 'public']);
    expect(rules).toEqual([
      ['GET', '/api/v1/reports/financial-statement', ['auditor', 'finance', 'presidency']],
      ['GET', '/api/v1/reports/financial-statement.pdf', ['auditor', 'finance', 'presidency']],
      ['POST', '/api/v1/years/:year/close', ['admin', 'finance']],
      ['GET', '/api/v1/years/:year/closing', ['admin', 'auditor', 'finance', 'presidency']],
    ]);
  });

  it('finding 4 (issue 16): users and tokens (SPEC 9.8) are the admin’s alone: every /admin route allows the admin role only, and no State user', () => {
    const rules = env.app.accessTable
      .filter((r) => r.url.startsWith('/api/v1/admin'))
      .map((r) => [r.method, r.url, 'roles' in r.access ? [...r.access.roles] : 'public', 'ownState' in r.access ? r.access.ownState : undefined]);
    expect(rules).toEqual([
      ['GET', '/api/v1/admin/users', ['admin'], undefined],
      ['POST', '/api/v1/admin/users', ['admin'], undefined],
      ['GET', '/api/v1/admin/users/:username', ['admin'], undefined],
      ['POST', '/api/v1/admin/users/:username/disable', ['admin'], undefined],
      ['POST', '/api/v1/admin/users/:username/enable', ['admin'], undefined],
      ['PUT', '/api/v1/admin/users/:username/password', ['admin'], undefined],
      ['PUT', '/api/v1/admin/users/:username/role', ['admin'], undefined],
      ['GET', '/api/v1/admin/users/:username/tokens', ['admin'], undefined],
      ['POST', '/api/v1/admin/users/:username/tokens', ['admin'], undefined],
      ['POST', '/api/v1/admin/tokens/:id/revoke', ['admin'], undefined],
    ]);
  });

  it('issue 16 finding 1 (SPEC 9.8): only admins set the issuer and approve or reject a change of the bank details; admin and finance read the settings, the pending change and the history; nobody else', () => {
    const rules = env.app.accessTable
      .filter((r) => r.url.startsWith('/api/v1/settings/issuer'))
      .map((r) => [r.method, r.url, 'roles' in r.access ? [...r.access.roles].sort() : 'public', 'ownState' in r.access ? r.access.ownState : undefined]);
    expect(rules).toEqual([
      ['GET', '/api/v1/settings/issuer', ['admin', 'finance'], undefined],
      ['PUT', '/api/v1/settings/issuer', ['admin'], undefined],
      ['GET', '/api/v1/settings/issuer/pending', ['admin', 'finance'], undefined],
      ['GET', '/api/v1/settings/issuer/changes', ['admin', 'finance'], undefined],
      ['POST', '/api/v1/settings/issuer/changes/:id/approve', ['admin'], undefined],
      ['POST', '/api/v1/settings/issuer/changes/:id/reject', ['admin'], undefined],
    ]);
  });
});
