/**
 * The bank, reserve and expenditures pages in a real headless Chromium
 * (Debian's /usr/bin/chromium) on the demo, at 360 × 740, through the pages
 * alone from the login form, each workflow ending with a check of the
 * database: (1) a camt.053 uploaded, its line with one of our RF references
 * recorded as a payment and the dashboard's figure moved, then a queued line
 * worked; (2) an expenditure that leaves operating cash short, a drawdown
 * beyond the shortfall refused with nothing written, a drawdown within it
 * and a restoration recorded once (a double click), the dashboard's reserve
 * moved; (3) a CSV file of expenditures imported. Skipped only when Chromium
 * is missing outside CI.
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
import { formatMoney, parseMoney } from '../../src/domain/money.js';
import { buildApp } from '../../src/http/app.js';
import { BANK_TEXT } from '../../src/http/pages/bank-text.js';
import { EXPENDITURES_TEXT } from '../../src/http/pages/expenditures-text.js';
import { chf } from '../../src/http/pages/html.js';
import { RESERVE_TEXT } from '../../src/http/pages/reserve-text.js';
import { cliActor } from '../../src/services/actor.js';
import type { Ctx } from '../../src/services/context.js';
import { seedDemo } from '../../src/services/demo.js';
import { listInvoices } from '../../src/services/invoices.js';
import { operatingCash, reserveBalance } from '../../src/services/reserve.js';
import { verifyLedger } from '../../src/services/verify.js';
import { tempDir } from '../helpers.js';
import { count, daysAgo, statementFor, today } from './books-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI`);
const OUT = path.join(PROJECT_ROOT, 'test-output');
const AXE_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const bank = BANK_TEXT.en;
const reserve = RESERVE_TEXT.en;
const exp = EXPENDITURES_TEXT.en;

describe.skipIf(!haveChromium)('the bank, reserve and expenditures pages in Chromium', () => {
  let dir: string;
  let closeDb: () => void;
  let ctx: Ctx;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  const fits = async (where: string) => {
    const w = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
    expect(w.scrollWidth, where).toBeLessThanOrEqual(w.innerWidth);
  };
  const axe = async () => {
    await page.evaluate(AXE_SOURCE);
    const r = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })");
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  const figure = async (url: string, name: string) => {
    await page.goto(base + url);
    return (await page.locator(`[data-figure="${name}"]`).first().textContent())?.trim();
  };
  const submit = async (name: string, url: RegExp) => {
    await Promise.all([page.waitForURL(url), page.getByRole('button', { name }).click()]);
    await page.waitForLoadState();
  };

  beforeAll(async () => {
    dir = tempDir('isu-web-books-');
    const db = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
    closeDb = db.close;
    ctx = { db: db.db, sqlite: db.sqlite, invoiceDir: path.join(dir, 'invoices') };
    await seedDemo(ctx, cliActor('test'));
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

  it('(1) uploads a camt.053: the RF line recorded, the dashboard moved; then works the queued line', async () => {
    const inv = listInvoices(ctx, { year: 2018 }, null).find((i) => i.status !== 'cancelled' && i.remaining !== '0.00' && i.iso3 !== 'LSO')!;
    const receivedBefore = await figure('/dashboard?year=2018', 'received');
    const file = statementFor(ctx, 'WEB-STMT-1', [
      { ref: 'WB-0001', direction: 'credit', amount: '100.00', valueDate: daysAgo(1), debtorName: 'Treasury', creditorReference: inv.creditorReference },
      { ref: 'WB-0002', direction: 'credit', amount: '55.00', valueDate: daysAgo(1), debtorName: 'Embajada', unstructured: ['Voluntary gift'] },
    ]);
    await page.getByRole('link', { name: 'Bank', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/bank');
    await fits('/bank');
    await page.getByLabel(bank.fieldFile).setInputFiles({ name: 'camt053.xml', mimeType: 'application/xml', buffer: Buffer.from(file) });
    const payments = count(ctx, 'payments');
    await submit(bank.submitUpload, /\/bank\?imported=/);
    await expect(page.locator('[data-count="recorded"]').textContent()).resolves.toBe('1');
    await expect(page.locator('[data-count="queued"]').textContent()).resolves.toBe('1');
    await fits('/bank result');
    await page.screenshot({ path: path.join(OUT, 'bank-imported-360.png'), fullPage: true });
    expect(await axe()).toEqual([]);
    expect(count(ctx, 'payments')).toBe(payments + 1);
    const paid = ctx.sqlite.prepare("SELECT amount_centimes AS a, state_iso3 AS iso3 FROM payments WHERE bank_reference = 'WB-0001'").safeIntegers(true).get() as { a: bigint; iso3: string };
    expect(paid).toEqual({ a: 10_000n, iso3: inv.iso3 });
    const receivedAfter = await figure('/dashboard?year=2018', 'received');
    expect(receivedAfter).not.toBe(receivedBefore);

    // The queued line: from the queue to its page, matched to Mexico as a voluntary contribution.
    const lineId = (ctx.sqlite.prepare("SELECT id FROM bank_lines WHERE acct_svcr_ref = 'WB-0002'").get() as { id: number }).id;
    await page.goto(`${base}/bank`);
    await page.getByRole('link', { name: /^The queue/ }).click();
    await page.waitForURL((u) => u.pathname === '/bank/queue');
    await fits('/bank/queue');
    await page.getByRole('link', { name: bank.lineNo(lineId), exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/bank/lines/${lineId}`);
    await fits('/bank/lines');
    await page.getByLabel(bank.fieldState).selectOption('MEX');
    await page.getByLabel(bank.fieldPurpose).selectOption('voluntary');
    await submit(bank.submitMatch, /done=match/);
    await expect(page.locator('main').textContent()).resolves.toContain(bank.doneNotice.match);
    const action = ctx.sqlite.prepare('SELECT a.action, p.state_iso3 AS iso3, p.amount_centimes AS a, p.purpose FROM bank_line_actions a JOIN payments p ON p.id = a.payment_id WHERE a.line_id = ?').safeIntegers(true).get(lineId);
    expect(action).toEqual({ action: 'payment', iso3: 'MEX', a: 5_500n, purpose: 'voluntary' });
    expect(verifyLedger(ctx).ok).toBe(true);
  });

  it('(2) an expenditure leaves cash short; a drawdown beyond the shortfall is refused, nothing written; one within it and a restoration are recorded once', async () => {
    const D1 = daysAgo(3);
    const amount = formatMoney(operatingCash(ctx, today()) + 50_000n);
    await page.goto(`${base}/expenditures`);
    const record = page.locator('#record-expenditure');
    await record.getByLabel(exp.fieldDate).fill(D1);
    await record.getByLabel(exp.fieldAmount).fill(amount);
    await record.getByLabel(exp.fieldDescription).fill('Salaries due before contributions arrive');
    await record.getByLabel(exp.fieldBudgetYear).selectOption('');
    await record.getByLabel(exp.fieldLine).selectOption('');
    const expenditures = count(ctx, 'expenditures');
    await submit(exp.submitRecord, /recorded=\d+/);
    expect(count(ctx, 'expenditures')).toBe(expenditures + 1);
    const shortfall = formatMoney(-operatingCash(ctx, D1));

    // The limits of that day, shown before submit.
    const reserveBefore = await figure('/dashboard', 'reserve');
    await page.goto(`${base}/reserve`);
    await page.getByLabel(reserve.asOfLabel).fill(D1);
    await Promise.all([page.waitForURL(/asOf=/), page.getByRole('button', { name: reserve.show }).click()]);
    await expect(page.locator('[data-limit="shortfall"]').textContent()).resolves.toBe(chf(shortfall));
    await expect(page.locator('[data-limit="max-drawdown"]').textContent()).resolves.toBe(chf(shortfall));
    await fits('/reserve');
    await page.screenshot({ path: path.join(OUT, 'reserve-limits-360.png'), fullPage: true });

    const movements = count(ctx, 'reserve_movements');
    const entries = count(ctx, 'journal_entries');
    const form = page.locator('#drawdown-form');
    await form.getByLabel(reserve.fieldAmount).fill(formatMoney(parseMoney(shortfall) + 1n));
    await form.getByLabel(reserve.fieldReason).fill('Salaries before contributions arrive');
    await form.getByRole('button', { name: reserve.submitDraw }).click();
    await page.waitForLoadState();
    await expect(page.locator('#draw-amount').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.error-summary').first().textContent()).resolves.toContain('exceeds the operating-cash shortfall');
    expect(count(ctx, 'reserve_movements')).toBe(movements);
    expect(count(ctx, 'journal_entries')).toBe(entries);
    await fits('/reserve refusal');
    await page.screenshot({ path: path.join(OUT, 'reserve-refused-360.png'), fullPage: true });
    expect(await axe()).toEqual([]);

    // Within the shortfall: a double click records one drawdown.
    await page.locator('#draw-amount').fill(shortfall);
    await Promise.all([page.waitForURL(/done=drawdown/), page.locator('#drawdown-form').getByRole('button', { name: reserve.submitDraw }).dblclick()]);
    await page.waitForLoadState();
    expect(count(ctx, 'reserve_movements')).toBe(movements + 1);
    expect(count(ctx, 'journal_entries')).toBe(entries + 1);
    expect(operatingCash(ctx, D1)).toBe(0n);
    expect(await figure('/dashboard', 'reserve')).not.toBe(reserveBefore);

    // The money that came in since (the upload of (1)) may restore part of it.
    await page.goto(`${base}/reserve`);
    const available = formatMoney(operatingCash(ctx, today()));
    await expect(page.locator('[data-limit="max-restoration"]').textContent()).resolves.toBe(chf(available));
    const balance = reserveBalance(ctx, today());
    await page.locator('#restoration-form').getByLabel(reserve.fieldAmount).fill('120.00');
    await page.locator('#restoration-form').getByRole('button', { name: reserve.submitRestore }).dblclick();
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/\/reserve(\/restorations|\?done=restoration)/);
    await page.waitForLoadState();
    if (!page.url().includes('done=restoration')) console.log(page.url(), await page.locator('.error-summary').allTextContents());
    await page.waitForLoadState();
    await expect(page.locator('main').textContent()).resolves.toContain(reserve.restoredNotice);
    expect(count(ctx, 'reserve_movements')).toBe(movements + 2);
    expect(reserveBalance(ctx, today())).toBe(balance + 12_000n);
    const restored = ctx.sqlite.prepare("SELECT amount_centimes AS a, drawdown_id IS NOT NULL AS linked FROM reserve_movements WHERE kind = 'restoration' ORDER BY id DESC LIMIT 1").safeIntegers(true).get();
    expect(restored).toEqual({ a: 12_000n, linked: 1n });
    expect(verifyLedger(ctx).ok).toBe(true);
  });

  it('(3) imports a CSV file of expenditures: the rows recorded, the lines’ spent figures moved', async () => {
    await page.goto(`${base}/expenditures?year=2018`);
    const before = await page.locator('[data-spent="office-it"]').textContent();
    const csv = `date,amount,description,budgetYear,line\n${daysAgo(2)},200.00,Laptop,2018,office-it\n${daysAgo(2)},35.10,Courier,2018,communication\n`;
    await page.getByLabel(exp.fieldFile).setInputFiles({ name: 'expenditures.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const n = count(ctx, 'expenditures');
    await submit(exp.submitImport, /imported=2/);
    await expect(page.locator('main').textContent()).resolves.toContain(exp.importedNotice(2, chf('235.10')));
    expect(await page.locator('[data-spent="office-it"]').textContent()).not.toBe(before);
    expect(count(ctx, 'expenditures')).toBe(n + 2);
    const rows = ctx.sqlite.prepare("SELECT line, amount_centimes AS a FROM expenditures WHERE description IN ('Laptop', 'Courier') ORDER BY id").safeIntegers(true).all();
    expect(rows).toEqual([
      { line: 'office-it', a: 20_000n },
      { line: 'communication', a: 3_510n },
    ]);
    await fits('/expenditures');
    await page.screenshot({ path: path.join(OUT, 'expenditures-imported-360.png'), fullPage: true });
    expect(await axe()).toEqual([]);
  });
});
