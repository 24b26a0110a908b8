/**
 * The reserve page without a browser (inject) on the demo: who reads it and
 * who moves it; the limits shown before submit, computed by the service's
 * rules; a drawdown beyond the shortfall refused at the field (422, nothing
 * written); the CSRF guard; a drawdown and a restoration recorded once
 * whatever the double submits; the refusal in French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from '../../src/domain/money.js';
import { chf } from '../../src/http/pages/html.js';
import { RESERVE_TEXT } from '../../src/http/pages/reserve-text.js';
import { reserveLimits } from '../../src/http/pages/reserve.js';
import { cliActor } from '../../src/services/actor.js';
import { recordPayment } from '../../src/services/payments.js';
import { operatingCash, recordExpenditure, reserveBalance } from '../../src/services/reserve.js';
import { verifyLedger } from '../../src/services/verify.js';
import { rowCounts } from '../helpers.js';
import { count, dataText, daysAgo, demoEnv, Sessions, today, tokensOf, type DemoEnv } from './books-helpers.js';

let env: DemoEnv;
let s: Sessions;
const D1 = daysAgo(3);
/** The shortfall made on D1 by an expenditure: operating cash falls CHF 500.00 below zero. */
let shortfallD1: string;

beforeAll(async () => {
  env = await demoEnv('isu-reserve-pages-');
  s = new Sessions(env.app);
  await s.loginAll();
  const cash = operatingCash(env.ctx, '9999-12-31');
  recordExpenditure(env.ctx, cliActor('test'), { date: D1, amount: formatMoney(cash + 50_000n), description: 'Salaries before contributions arrive (test)' });
  shortfallD1 = formatMoney(-operatingCash(env.ctx, D1));
}, 120_000);
afterAll(() => env.close());

describe('who may', () => {
  it('finance, the Presidency and the auditors read the reserve; only finance sees the forms', async () => {
    for (const u of ['finance', 'presidency', 'auditor']) {
      const res = await s.get(u, '/reserve');
      expect(res.statusCode, u).toBe(200);
      expect(res.body).toContain(RESERVE_TEXT.en.title);
      expect(res.body).toContain('data-figure="balance"');
      expect(res.body.includes('action="/reserve/drawdowns"'), u).toBe(u === 'finance');
      expect(res.body.includes('action="/reserve/restorations"'), u).toBe(u === 'finance');
    }
  });

  it('admin gets the 403 page, a State user a 404, a visitor the login page', async () => {
    expect((await s.get('admin', '/reserve')).statusCode).toBe(403);
    expect((await s.get('france', '/reserve')).statusCode).toBe(404);
    const visitor = await env.app.inject({ url: '/reserve' });
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login');
  });

  it('the Presidency cannot draw (403), nothing written', async () => {
    const page = await s.get('finance', '/reserve');
    const before = rowCounts(env.ctx);
    const res = await s.post('presidency', '/reserve/drawdowns', { ...tokensOf(page.body, '/reserve/drawdowns'), date: D1, amount: '1.00', reason: 'x' });
    expect(res.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });
});

describe('the limits shown before submit', () => {
  it('on a date, the shortfall, the reserve available, the most that may be drawn, what is outstanding and what brings the reserve to target', async () => {
    const res = await s.get('finance', `/reserve?asOf=${D1}`);
    expect(res.statusCode).toBe(200);
    const l = reserveLimits(env.ctx, D1);
    expect(l.shortfall).toBe(shortfallD1);
    expect(dataText(res.body, 'data-limit', 'shortfall')).toBe(chf(shortfallD1));
    expect(dataText(res.body, 'data-limit', 'reserve-available')).toBe(chf(formatMoney(reserveBalance(env.ctx, D1))));
    expect(dataText(res.body, 'data-limit', 'max-drawdown')).toBe(chf(shortfallD1));
    expect(dataText(res.body, 'data-limit', 'outstanding')).toBe(chf('0.00'));
    expect(dataText(res.body, 'data-limit', 'max-restoration')).toBe(chf('0.00'));
    expect(dataText(res.body, 'data-limit', 'to-target')).toBe(chf(l.toTarget));
    // The form is dated on that day.
    expect(res.body).toMatch(new RegExp(`id="draw-date" name="date"[^>]*value="${D1}"`));
  });
});

describe('drawing on the reserve', () => {
  it('beyond the shortfall: 422, the refusal at the amount, nothing written', async () => {
    const page = await s.get('finance', `/reserve?asOf=${D1}`);
    const before = rowCounts(env.ctx);
    const over = formatMoney(parseMoney(shortfallD1) + 1n);
    const res = await s.post('finance', '/reserve/drawdowns', { ...tokensOf(page.body, '/reserve/drawdowns'), date: D1, amount: over, reason: 'Salaries' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="draw-amount" name="amount" aria-invalid="true"/);
    expect(res.body).toContain(`exceeds the operating-cash shortfall on ${D1} (${shortfallD1})`);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain(`value="${over}"`); // the value kept
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('in French, the refusal is said in French', async () => {
    const page = await s.get('finance', `/reserve?asOf=${D1}&lang=fr`);
    const before = rowCounts(env.ctx);
    const res = await s.post('finance', '/reserve/drawdowns?lang=fr', { ...tokensOf(page.body, '/reserve/drawdowns'), date: D1, amount: '999 999,00', reason: 'Salaires' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toMatch(/Dépasse (le déficit de trésorerie|le solde disponible de la réserve) au/);
    expect(rowCounts(env.ctx)).toEqual(before);
    await s.get('finance', '/reserve?lang=en');
  });

  it('a bad amount and a missing reason: 422 at the fields, nothing written', async () => {
    const page = await s.get('finance', '/reserve');
    const before = rowCounts(env.ctx);
    const res = await s.post('finance', '/reserve/drawdowns', { ...tokensOf(page.body, '/reserve/drawdowns'), date: D1, amount: '12,34.5x', reason: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="draw-amount" name="amount" aria-invalid="true"/);
    expect(res.body).toMatch(/id="draw-reason" name="reason" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('without the session’s CSRF token: 403, nothing written', async () => {
    const page = await s.get('finance', '/reserve');
    const before = rowCounts(env.ctx);
    const { _idem } = tokensOf(page.body, '/reserve/drawdowns');
    const res = await s.post('finance', '/reserve/drawdowns', { _idem, date: D1, amount: '1.00', reason: 'x' });
    expect(res.statusCode).toBe(403);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('within the limits: 303 to the reserve, recorded once however often the form is posted; the balance moves', async () => {
    const page = await s.get('finance', `/reserve?asOf=${D1}`);
    const tokens = tokensOf(page.body, '/reserve/drawdowns');
    const movements = count(env.ctx, 'reserve_movements');
    const entries = count(env.ctx, 'journal_entries');
    const balance = reserveBalance(env.ctx, today());
    const form = { ...tokens, date: D1, amount: shortfallD1, reason: 'Salaries before contributions arrive' };
    const first = await s.post('finance', '/reserve/drawdowns', form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe('/reserve?done=drawdown');
    const second = await s.post('finance', '/reserve/drawdowns', form);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'reserve_movements')).toBe(movements + 1);
    expect(count(env.ctx, 'journal_entries')).toBe(entries + 1);
    expect(reserveBalance(env.ctx, today())).toBe(balance - parseMoney(shortfallD1));
    const after = await s.get('finance', first.headers.location as string);
    expect(after.body).toContain(RESERVE_TEXT.en.drawnNotice);
    expect(dataText(after.body, 'data-figure', 'outstanding')).toBe(chf(shortfallD1));
    expect(after.body).toContain('Salaries before contributions arrive');
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});

describe('restoring the reserve', () => {
  it('beyond the operating cash available: 422 at the amount, nothing written', async () => {
    const page = await s.get('finance', '/reserve');
    expect(dataText(page.body, 'data-limit', 'max-restoration')).toBe(chf('0.00'));
    const before = rowCounts(env.ctx);
    const res = await s.post('finance', '/reserve/restorations', { ...tokensOf(page.body, '/reserve/restorations'), date: today(), amount: '10.00', drawdown: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="rest-amount" name="amount" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('once money came in: the limit shown, a restoration recorded once', async () => {
    recordPayment(env.ctx, cliActor('test'), 'reserve-pages-in', { iso3: 'FRA', amount: '300.00', receivedOn: today(), purpose: 'voluntary' });
    const page = await s.get('finance', '/reserve');
    expect(dataText(page.body, 'data-limit', 'cash-available')).toBe(chf('300.00'));
    expect(dataText(page.body, 'data-limit', 'max-restoration')).toBe(chf('300.00'));
    const movements = count(env.ctx, 'reserve_movements');
    const form = { ...tokensOf(page.body, '/reserve/restorations'), date: today(), amount: '250.00', drawdown: '' };
    const first = await s.post('finance', '/reserve/restorations', form);
    expect(first.statusCode, first.body).toBe(303);
    const again = await s.post('finance', '/reserve/restorations', form);
    expect(again.headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'reserve_movements')).toBe(movements + 1);
    expect(operatingCash(env.ctx, today())).toBe(5_000n);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });
});

describe('reversing a movement', () => {
  it('a drawdown with a live restoration is refused at the movement field (409, nothing written); the restoration is reversed once', async () => {
    const drawdown = (env.ctx.sqlite.prepare("SELECT id FROM reserve_movements WHERE kind = 'drawdown' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
    const restoration = (env.ctx.sqlite.prepare("SELECT id FROM reserve_movements WHERE kind = 'restoration' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
    const page = await s.get('finance', '/reserve');
    expect(page.body).toContain(`<option value="${drawdown}">`);
    const tokens = tokensOf(page.body, '/reserve/reversals');
    const before = rowCounts(env.ctx);
    const refused = await s.post('finance', '/reserve/reversals', { ...tokens, movement: String(drawdown), reason: 'Keyed in error', date: '' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toMatch(/id="rmv-movement" name="movement" aria-invalid="true"/);
    expect(refused.body).toContain(`drawdown ${drawdown} has restorations`);
    expect(rowCounts(env.ctx)).toEqual(before);
    const form = { ...tokens, movement: String(restoration), reason: 'Restored too early', date: '' };
    const first = await s.post('finance', '/reserve/reversals', form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe('/reserve?done=reversal');
    expect((await s.post('finance', '/reserve/reversals', form)).headers.location).toBe(first.headers.location);
    expect(count(env.ctx, 'reversals')).toBe(before.reversals! + 1);
    const after = await s.get('finance', '/reserve?done=reversal');
    expect(after.body).toContain(RESERVE_TEXT.en.reversedNotice);
    expect(after.body).not.toContain(`<option value="${restoration}">`);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });

  it('the cash-flow outlook of a budget year: the first shortfall and the drawdown it needs', async () => {
    const res = await s.get('presidency', '/reserve?asOf=2016-01-31');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(RESERVE_TEXT.en.outlookTitle(2016));
    expect(res.body).not.toContain('action="/reserve/reversals"');
  });
});

describe('contributions to the reserve and its target', () => {
  it('a contribution of a State Party recorded once; a transfer without its justification refused at the field, nothing written', async () => {
    const page = await s.get('finance', '/reserve');
    const tokens = tokensOf(page.body, '/reserve/contributions');
    const before = rowCounts(env.ctx);
    const bad = await s.post('finance', '/reserve/contributions', { ...tokens, kind: 'transfer', date: today(), amount: '10.00', iso3: '', donor: '', description: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="contrib-description" name="description" aria-invalid="true"/);
    expect(rowCounts(env.ctx)).toEqual(before);
    const balance = reserveBalance(env.ctx, today());
    const form = { ...tokens, kind: 'contribution', date: today(), amount: '2,500.00', iso3: 'IRL', donor: '', description: '' };
    const first = await s.post('finance', '/reserve/contributions', form);
    expect(first.statusCode, first.body).toBe(303);
    expect((await s.post('finance', '/reserve/contributions', form)).headers.location).toBe(first.headers.location);
    expect(reserveBalance(env.ctx, today())).toBe(balance + 250_000n);
    expect(count(env.ctx, 'reserve_movements')).toBe(before.reserve_movements! + 1);
  });

  it('the target set with its decision, shown on the page', async () => {
    const page = await s.get('finance', '/reserve');
    const res = await s.post('finance', '/reserve/target', { ...tokensOf(page.body, '/reserve/target'), amount: '450000', decisionRef: 'CCM/MSP/2026/9' });
    expect(res.statusCode, res.body).toBe(303);
    const after = await s.get('auditor', '/reserve');
    expect(dataText(after.body, 'data-figure', 'target')).toContain(chf('450000.00'));
    expect(after.body).toContain('CCM/MSP/2026/9');
    expect(after.body).not.toContain('action="/reserve/target"');
  });
});
