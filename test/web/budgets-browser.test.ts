/**
 * The budgets and periods pages in a real headless Chromium on the demo
 * database, through the pages alone from the login: a new budget entered,
 * previewed (nothing written) and confirmed (recorded once, its assessment
 * exact to the centime); the 2018 budget revised with its change per State
 * Party previewed, then confirmed (version 2 once, its supplementary
 * invoices; the dashboard's budget figure moves); a period closed with its
 * confirmation (the lock in the database). At 360 × 740, no sideways scroll
 * and axe-core clean on the pages reached. Skipped only when Chromium is
 * missing outside CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { BUDGETS_TEXT } from '../../src/http/pages/budgets-text.js';
import { PERIODS_TEXT } from '../../src/http/pages/periods-text.js';
import { assessBudget, getBudget } from '../../src/services/budgets.js';
import type { Ctx } from '../../src/services/context.js';
import { listPeriods } from '../../src/services/periods.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

const AXE_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI`);
const OUT = path.join(PROJECT_ROOT, 'test-output');
const t = BUDGETS_TEXT.en;
const p = PERIODS_TEXT.en;

/** "410000.00" ± centimes, never through a JS number. */
const centimes = (s: string) => BigInt(s.replace('.', ''));
const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

describe.skipIf(!haveChromium)('the budgets and periods pages in Chromium', () => {
  let server: DemoServer;
  let closeDb: (() => void) | undefined;
  let ctx: Ctx;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  const count = (sql: string) => (ctx.sqlite.prepare(sql).get() as { n: number }).n;
  const noSidewaysScroll = async (where: string) => {
    const w = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
    expect(w.scrollWidth, where).toBeLessThanOrEqual(w.innerWidth);
  };
  const axeViolations = async () => {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
    );
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  const submit = async (name: string) => {
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
  };
  /** The dashboard's budget of 2018, as the page prints it. */
  const dashboardBudget2018 = async () => {
    await page.goto(`${base}/dashboard?year=2018&lang=en`);
    return (await page.locator('tr', { has: page.locator('th[scope=row]', { hasText: 'Budget' }) }).first().locator('td.num').textContent())?.trim();
  };

  beforeAll(async () => {
    server = await startDemoServer('isu-web-budgets-');
    base = server.base;
    // A second connection to the demo's database, to check what the pages wrote.
    const db = openDatabase(path.join(server.dir, 'isu.sqlite'));
    closeDb = db.close;
    ctx = { db: db.db, sqlite: db.sqlite, invoiceDir: path.join(server.dir, 'invoices') };
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
    await page.goto(`${base}/login?lang=en`);
    await page.getByLabel('Username').fill('finance');
    await page.getByLabel('Password').fill('finance-demo');
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    closeDb?.();
    await server?.stop();
  });

  it('enters a new budget: the preview writes nothing, the confirmation records it once, its contributions sum exactly', async () => {
    await page.goto(`${base}/budgets?lang=en`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: t.newLink }).click()]);
    await noSidewaysScroll('/budgets/new');
    await expect(page.locator('#bud-year').inputValue()).resolves.toBe('2019');
    await page.locator('#bud-amount').fill('610,000.00');
    await page.locator('#bud-decisionRef').fill('CCM/MSP/2018/4');
    await page.locator('#bud-approvedOn').fill('2018-09-05');
    await page.locator('#bud-cutoffDate').fill('2019-03-31');
    const before = count('SELECT count(*) AS n FROM budgets');
    await submit(t.submitPreview);
    await expect(page.locator('#preview').textContent()).resolves.toContain('The contributions sum to CHF\u00a0610,000.00, exactly the budget.');
    expect(count('SELECT count(*) AS n FROM budgets')).toBe(before);
    await noSidewaysScroll('preview');
    expect(await axeViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'budget-new-preview-360.png') });
    // The preview's figure of France, to compare with what is recorded.
    const franceRow = page.locator('#preview tr', { has: page.locator('td', { hasText: /^France/ }) });
    const franceTotal = (await franceRow.locator('td.num strong').textContent())!.trim();
    await submit(t.submitConfirm);
    expect(new URL(page.url()).pathname).toBe('/budgets/2019');
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain(t.created);
    expect(count('SELECT count(*) AS n FROM budgets')).toBe(before + 1);
    expect(count('SELECT count(*) AS n FROM budgets WHERE year = 2019')).toBe(1);
    const a = assessBudget(ctx, 2019);
    expect(a.total).toBe('610000.00');
    expect(money(a.rows.reduce((s, r) => s + centimes(r.total), 0n))).toBe('610000.00');
    expect(a.rows.find((r) => r.iso3 === 'FRA')!.total.replace(/\B(?=(\d{3})+(?!\d))/g, ',')).toBe(franceTotal);
    await noSidewaysScroll('/budgets/2019');
  }, 120_000);

  it('revises the 2018 budget: the change per State Party previewed, then version 2 once with its supplementary invoices; the dashboard moves', async () => {
    expect(await dashboardBudget2018()).toBe('590,000.00');
    await page.goto(`${base}/budgets?lang=en`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: '2018', exact: true }).click()]);
    const first = await page.locator('#rev-l0_amount').inputValue();
    await page.locator('#rev-amount').fill('600000.00');
    await page.locator('#rev-l0_amount').fill(money(centimes(first) + 1_000_000n));
    await page.locator('#rev-decisionRef').fill('CCM/MSP/2018/5');
    await page.locator('#rev-approvedOn').fill('2018-09-06');
    await page.locator('#rev-reason').fill('Revised by the 8th Meeting of States Parties');
    const versions = count('SELECT count(*) AS n FROM budget_versions');
    await submit(t.submitPreview);
    await expect(page.locator('#preview').textContent()).resolves.toContain('Supplementary invoices: CHF\u00a010,000.00. Partial credit notes: CHF\u00a00.00.');
    expect(count('SELECT count(*) AS n FROM budget_versions')).toBe(versions);
    await noSidewaysScroll('revision preview');
    expect(await axeViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'budget-revise-preview-360.png') });
    await page.getByRole('button', { name: t.submitReviseConfirm }).dblclick();
    await page.waitForURL((u) => u.searchParams.get('revised') === '2');
    await page.waitForLoadState();
    await expect(page.locator('#done').textContent()).resolves.toContain(t.kindSupplementary);
    expect(count('SELECT count(*) AS n FROM budget_versions WHERE year = 2018')).toBe(1);
    const invoiced = count("SELECT count(*) AS n FROM invoices WHERE year = 2018 AND kind = 'assessment'");
    expect(count("SELECT count(*) AS n FROM invoices WHERE year = 2018 AND kind = 'supplementary' AND budget_version = 2")).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM invoices WHERE year = 2018 AND kind = 'supplementary'")).toBeLessThanOrEqual(invoiced);
    expect(getBudget(ctx, 2018).amount).toBe('600000.00');
    const a = assessBudget(ctx, 2018);
    expect(money(a.rows.reduce((s, r) => s + centimes(r.total), 0n))).toBe('600000.00');
    await noSidewaysScroll('/budgets/2018?revised=2');
    expect(await axeViolations()).toEqual([]);
    expect(await dashboardBudget2018()).toBe('600,000.00');
  }, 180_000);

  it('closes a period with its confirmation: the lock is in the database', async () => {
    await page.goto(`${base}/periods?lang=en`);
    const before = listPeriods(ctx).lockedThrough; // the demo's lock, if any: closing goes forward from it
    expect(before === null || before < '2018-06-30').toBe(true);
    const closes = count("SELECT count(*) AS n FROM period_locks WHERE action = 'close'");
    await page.getByLabel(p.fieldThrough).fill('2018-06-30');
    await page.locator('#close-reason').fill('First half of 2018 reconciled with the bank');
    await submit(p.submitClose);
    await expect(page.locator('#close-confirm').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(listPeriods(ctx).lockedThrough).toBe(before);
    await page.getByLabel(p.fieldConfirm).check();
    await submit(p.submitClose);
    expect(new URL(page.url()).search).toContain('closed=1');
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('locked through');
    expect(listPeriods(ctx).lockedThrough).toBe('2018-06-30');
    expect(count("SELECT count(*) AS n FROM period_locks WHERE action = 'close'")).toBe(closes + 1);
    await noSidewaysScroll('/periods');
    expect(await axeViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'periods-closed-360.png'), fullPage: true });
  }, 120_000);

  it('changes a State Party’s entry of the register from its page, in French: the change is in the database', async () => {
    await page.goto(`${base}/states?lang=fr`);
    await page.getByLabel('Nom ou code').fill('irl');
    await submit('Appliquer');
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Irlande', exact: true }).click()]);
    expect(new URL(page.url()).pathname).toBe('/states/IRL');
    await page.locator('#st-numberLocale').selectOption('en-IE');
    await page.locator('#st-emails').fill('finance.irl@example.org');
    await submit('Enregistrer les modifications');
    expect(new URL(page.url()).search).toContain('saved=1');
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('Le registre a été modifié.');
    const row = ctx.sqlite.prepare("SELECT number_locale AS locale, billing_emails AS emails FROM states WHERE iso3 = 'IRL'").get() as { locale: string; emails: string };
    expect(row.locale).toBe('en-IE');
    expect(JSON.parse(row.emails)).toEqual(['finance.irl@example.org']);
    await noSidewaysScroll('/states/IRL');
    expect(await axeViolations()).toEqual([]);
  }, 120_000);
});
