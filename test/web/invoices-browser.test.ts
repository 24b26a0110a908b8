/**
 * The invoices and reminders pages in a real headless Chromium (Debian's
 * /usr/bin/chromium) on the demo database, at 360 × 740, through the pages
 * alone from the login form: cancelling an invoice (its status on the list,
 * the dashboard's outstanding figure down by exactly what was left on it),
 * drawing up the reminder letters for those overdue (the rows in the
 * database), and issuing a new year's batch with a double click on its
 * button (one run: the invoices counted in the database), its progress page
 * refreshing itself without script until the result. Skipped only when
 * Chromium is missing outside CI.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { Dec } from '../../src/domain/money.js';
import { todayUtc } from '../../src/domain/dates.js';
import { buildApp } from '../../src/http/app.js';
import { batchJobs, previewBatch, standings } from '../../src/http/pages/invoices.js';
import { INVOICES_TEXT } from '../../src/http/pages/invoices-text.js';
import { REMINDERS_TEXT } from '../../src/http/pages/reminders-text.js';
import type { Ctx } from '../../src/services/context.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_BUDGET_2018, demoBudgetLines, seedDemo } from '../../src/services/demo.js';
import { getInvoice, listInvoices } from '../../src/services/invoices.js';
import { remindersDue } from '../../src/services/reminders.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { tempDir } from '../helpers.js';

const AXE_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI`);
const OUT = path.join(PROJECT_ROOT, 'test-output');
const t = INVOICES_TEXT.en;
const r = REMINDERS_TEXT.en;

describe.skipIf(!haveChromium)('the invoices and reminders pages in Chromium', () => {
  let dir: string;
  let closeDb: () => void;
  let ctx: Ctx;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  const count = (sql: string, ...args: unknown[]) => (ctx.sqlite.prepare(sql).get(...args) as { n: number }).n;
  const noSidewaysScroll = async () => {
    const w = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
    expect(w.scrollWidth, page.url()).toBeLessThanOrEqual(w.innerWidth);
  };
  const axeViolations = async () => {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
    );
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  /** "CHF 123,456.78" (English page) → "123456.78". */
  const amountOf = (text: string) => text.replace(/CHF|[,\s\u00a0]/g, '');
  const outstanding2018 = async () => {
    await page.goto(`${base}/dashboard?year=2018&lang=en`);
    return amountOf((await page.locator('[data-figure="outstanding"]').textContent()) ?? '');
  };

  beforeAll(async () => {
    dir = tempDir('isu-web-inv-');
    const db = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
    closeDb = db.close;
    ctx = { db: db.db, sqlite: db.sqlite, invoiceDir: path.join(dir, 'invoices') };
    await seedDemo(ctx, cliActor('test'));
    // A budget not yet invoiced, for the batch.
    createBudget(
      ctx,
      cliActor('test'),
      budgetCreate.parse({ ...DEMO_BUDGET_2018, year: 2019, decisionRef: 'CCM/MSP/2018/5', approvedOn: '2018-09-05', cutoffDate: '2019-03-31', lines: demoBudgetLines(DEMO_BUDGET_2018.amount) }),
    );
    app = await buildApp(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    fs.mkdirSync(OUT, { recursive: true });
    context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'isu-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 360, height: 740 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill('finance');
    await page.getByLabel('Password').fill('finance-demo');
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    closeDb?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cancels an unpaid invoice from its page: cancelled on the list, the dashboard’s outstanding down by what was left on it', async () => {
    const all = listInvoices(ctx, { year: 2018 }, null).filter((i) => i.status === 'issued');
    const st = standings(
      ctx,
      all.map((i) => i.number),
    );
    const inv = all.find((i) => st.get(i.number)!.appliedCentimes === 0n && st.get(i.number)!.leftCentimes > 0n)!;
    expect(inv).toBeDefined();
    const before = await outstanding2018();
    await page.goto(`${base}/invoices?year=2018&lang=en`);
    await noSidewaysScroll();
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('link', { name: inv.number, exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/invoices/${inv.number}`);
    await expect(page.locator('#invoice-status').textContent()).resolves.toContain(t.status.overdue);
    await page.getByLabel(t.fieldReason).fill('Issued by mistake (browser test)');
    await page.getByRole('button', { name: t.submitCancel }).click();
    await page.waitForURL((u) => u.searchParams.has('cancelled'));
    await expect(page.locator('#invoice-status').textContent()).resolves.toContain(t.status.cancelled);
    await expect(page.locator('#invoice-left').textContent()).resolves.toBe('CHF\u00a00.00');
    await noSidewaysScroll();
    await page.screenshot({ path: path.join(OUT, 'invoice-cancelled-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    expect(getInvoice(ctx, inv.number, null).status).toBe('cancelled');
    expect(count("SELECT count(*) AS n FROM credit_notes WHERE invoice_number = ? AND kind = 'cancellation'", inv.number)).toBe(1);
    // The list, filtered by the status in its address.
    await page.goto(`${base}/invoices?year=2018&status=cancelled`);
    await expect(page.locator('#invoices').textContent()).resolves.toContain(inv.number);
    await expect(page.locator(`#invoices tr:has(a[href^="/invoices/${inv.number}"])`).textContent()).resolves.toContain(t.status.cancelled);
    // The dashboard: what was left on it is no longer outstanding, to the centime.
    const after = await outstanding2018();
    expect(new Dec(before).minus(new Dec(after)).toFixed(2)).toBe(inv.total);
    expect(verifyLedger(ctx).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('draws up the reminder letters for the States overdue today: one letter each in the database', async () => {
    const due = remindersDue(ctx, todayUtc(), null);
    expect(due.totals.states).toBeGreaterThan(0);
    const letters = count('SELECT count(*) AS n FROM reminders');
    await page.goto(`${base}/reminders?lang=en`);
    await noSidewaysScroll();
    await expect(page.locator('#remind-states').textContent()).resolves.toBe(String(due.totals.states));
    await page.screenshot({ path: path.join(OUT, 'reminders-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('button', { name: r.submitGenerate(due.totals.states) }).click();
    await page.waitForURL((u) => u.searchParams.has('issued'));
    expect(new URL(page.url()).searchParams.get('issued')).toBe(String(due.totals.states));
    expect(count('SELECT count(*) AS n FROM reminders')).toBe(letters + due.totals.states);
    expect(count('SELECT count(*) AS n FROM reminders WHERE issue_date = ? AND as_of = ?', todayUtc(), todayUtc())).toBe(due.totals.states);
    for (const s of due.states) expect(count('SELECT count(*) AS n FROM reminders WHERE state_iso3 = ? AND issue_date = ?', s.iso3, todayUtc())).toBe(1);
    await expect(page.locator('#letters-table tbody tr').count()).resolves.toBe(due.totals.states);
    await noSidewaysScroll();
    expect(await axeViolations()).toEqual([]);
  });

  it('issues the 2019 batch with a double click: one run, its progress without script, every invoice once', async () => {
    const preview = previewBatch(ctx, 2019);
    expect(preview && 'toIssue' in preview && preview.toIssue).toBeGreaterThan(0);
    const toIssue = (preview as { toIssue: number }).toIssue;
    await page.goto(`${base}/invoices/batch?year=2019&lang=en`);
    await noSidewaysScroll();
    await page.screenshot({ path: path.join(OUT, 'invoice-batch-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    const data = await page.evaluate<Record<string, string>>("Object.fromEntries([...new FormData(document.querySelector('form#batch'))].map(([k, v]) => [k, String(v)]))");
    await page.getByRole('button', { name: t.submitBatch(toIssue) }).dblclick();
    await page.waitForURL((u) => /^\/invoices\/batch\/[A-Za-z0-9_-]+$/.test(u.pathname));
    const progressAt = new URL(page.url());
    // The page reloads itself every 2 seconds (a <meta> refresh) until the run has finished.
    await page.waitForFunction(`document.querySelector('#batch-status') && !document.querySelector('meta[http-equiv="refresh"]')`, undefined, { timeout: 120_000 });
    await expect(page.locator('main').textContent()).resolves.toContain(t.resultIssued(toIssue));
    await expect(page.locator('#batch-status').textContent()).resolves.toBe(t.progress(toIssue, toIssue));
    expect(count('SELECT count(*) AS n FROM invoices WHERE year = 2019')).toBe(toIssue);
    // The same form posted again (a second click that got through): the same run, nothing issued twice.
    const replay = await page.request.post(`${base}/invoices/batch`, { form: data, headers: { origin: base }, maxRedirects: 0 });
    expect(replay.status()).toBe(303);
    expect(replay.headers().location).toBe(`${progressAt.pathname}${progressAt.search}`);
    expect(count('SELECT count(*) AS n FROM invoices WHERE year = 2019')).toBe(toIssue);
    await noSidewaysScroll();
    await page.screenshot({ path: path.join(OUT, 'invoice-batch-done-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    // The new year's invoices on the list, each unpaid.
    await page.goto(`${base}/invoices?year=2019&lang=fr`);
    await noSidewaysScroll();
    await page.screenshot({ path: path.join(OUT, 'invoices-360-fr.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    expect(verifyLedger(ctx).checks.filter((c) => !c.ok)).toEqual([]);
  }, 180_000);

  it('a run in progress: "n of N", a page that reloads itself, and the same page without the reload axe-core clean', async () => {
    // A run held at 40 of 103 (kept in the pages' memory as a real one would be), so that the page can be looked at while it runs.
    (batchJobs() as Map<string, unknown>).set('held-run-for-the-test', { id: 'held-run-for-the-test', year: 2019, issueDate: todayUtc(), sessionUser: 0, status: 'running', done: 40, total: 103 });
    await page.goto(`${base}/invoices/batch/held-run-for-the-test?auto=0&lang=en`);
    await expect(page.locator('#batch-status').textContent()).resolves.toBe(t.progress(40, 103));
    await expect(page.locator('#batch-progress').getAttribute('value')).resolves.toBe('40');
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    await noSidewaysScroll();
    await page.screenshot({ path: path.join(OUT, 'invoice-batch-running-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    await page.getByRole('link', { name: t.startRefresh }).click();
    await page.waitForURL((u) => u.pathname === '/invoices/batch/held-run-for-the-test' && !u.searchParams.has('auto'));
    await expect(page.locator('meta[http-equiv="refresh"]').getAttribute('content')).resolves.toBe('2');
    (batchJobs() as Map<string, unknown>).delete('held-run-for-the-test');
  });
});
