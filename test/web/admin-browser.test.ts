/**
 * The admin's pages and the reports in a real headless Chromium (Debian's
 * /usr/bin/chromium) on the demo database, through the pages alone from the
 * login form:
 * - four eyes on the bank details: the admin adds a second admin through
 *   /admin/users (who then logs in), proposes a new IBAN; its own approval is
 *   refused and the IBAN in force unchanged in the database; the second admin
 *   approves; an invoice issued afterwards carries the new IBAN (its stored
 *   issuer and its PDF's text), one issued before keeps the old one, and the
 *   State's account shows the new one under "How to pay";
 * - an API token created on a user's page works, and after its revocation
 *   the API answers 401;
 * - the Presidency downloads a report (its media type, non-empty bytes) and
 *   meets no write form on any page of its navigation.
 * Skipped only when Chromium is missing outside CI.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { ADMIN_TEXT } from '../../src/http/pages/admin-text.js';
import { REPORTS_TEXT } from '../../src/http/pages/reports-text.js';
import { cliActor } from '../../src/services/actor.js';
import type { Ctx } from '../../src/services/context.js';
import { seedDemo } from '../../src/services/demo.js';
import { cancelInvoice, invoicePdf, listInvoices, reissueInvoice } from '../../src/services/invoices.js';
import { getIssuer, pendingIssuerChange } from '../../src/services/settings.js';
import { getUser } from '../../src/services/users.js';
import { tempDir } from '../helpers.js';

const AXE_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI`);
const OUT = path.join(PROJECT_ROOT, 'test-output');
const t = ADMIN_TEXT.en;
const OLD_IBAN = 'CH5604835012345678009';
const NEW_IBAN = 'CH9300762011623852957';

describe.skipIf(!haveChromium)('the admin pages and the reports in Chromium', () => {
  let dir: string;
  let closeDb: () => void;
  let ctx: Ctx;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;

  const ibanInForce = () => getIssuer(ctx.db)!.bank.iban.replace(/\s+/g, '');
  const storedIban = (number: string) => {
    const row = ctx.sqlite.prepare('SELECT document FROM invoices WHERE number = ?').get(number) as { document: string };
    return (JSON.parse(row.document) as { issuer: { bank: { iban: string } } }).issuer.bank.iban.replace(/\s+/g, '');
  };
  const noSidewaysScroll = async (page: Page) => {
    const w = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
    expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
  };
  const axeViolations = async (page: Page) => {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
    );
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  /** A new browser (its own cookies) logged in through the login form, at 360 × 740. */
  async function loggedIn(username: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB', timezoneId: 'UTC', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/login?lang=en`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
    return page;
  }

  beforeAll(async () => {
    dir = tempDir('isu-web-admin-');
    const db = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
    closeDb = db.close;
    ctx = { db: db.db, sqlite: db.sqlite, invoiceDir: path.join(dir, 'invoices') };
    await seedDemo(ctx, cliActor('test'));
    app = await buildApp(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    fs.mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    closeDb?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('four eyes: a second admin, added through the pages, approves the new IBAN the first proposed; invoices issued after carry it, those before keep the old one', async () => {
    const before = listInvoices(ctx, { year: 2018, state: 'FRA' }, null).find((i) => i.status === 'issued')!;
    expect(storedIban(before.number)).toBe(OLD_IBAN);
    const admin = await loggedIn('admin', 'admin-demo');
    expect(new URL(admin.url()).pathname).toBe('/admin/users'); // the admin's start page

    // The admin adds a second admin, with a chosen password.
    await admin.getByRole('link', { name: t.newUserLink }).click();
    await admin.getByLabel(t.fieldUsername).fill('second.admin');
    await admin.getByLabel(t.fieldRole).selectOption('admin');
    await admin.getByLabel(t.fieldPassword).fill('second-admin-secret');
    await Promise.all([admin.waitForURL((u) => u.pathname === '/admin/users/second.admin'), admin.getByRole('button', { name: t.submitCreate }).click()]);
    await expect(admin.locator('main').textContent()).resolves.toContain(t.createdNotice);
    await expect(admin.locator('#secret-token').count()).resolves.toBe(1); // the first token, shown once
    await expect(admin.locator('#secret-password').count()).resolves.toBe(0); // a chosen password is not shown back
    expect(getUser(ctx.db, 'second.admin')).toMatchObject({ role: 'admin', status: 'active' });
    await noSidewaysScroll(admin);
    expect(await axeViolations(admin)).toEqual([]);

    // The admin proposes a new IBAN.
    await admin.getByRole('link', { name: 'Bank details' }).click();
    await admin.getByLabel(t.fieldIban).fill('CH93 0076 2011 6238 5295 7');
    await admin.getByLabel(t.fieldBic).fill('UBSWCHZH80A');
    await admin.getByLabel(t.fieldProposeReason).fill('The ISU moved its account to another bank');
    await Promise.all([admin.waitForURL((u) => u.searchParams.has('proposed')), admin.getByRole('button', { name: t.submitPropose }).click()]);
    const changeId = pendingIssuerChange(ctx.db)!.id;
    await expect(admin.locator('[role=status]').textContent()).resolves.toBe(t.proposedNotice(changeId));
    await expect(admin.locator('#pending').textContent()).resolves.toContain('CH93 0076 2011 6238 5295 7');
    expect(ibanInForce()).toBe(OLD_IBAN);
    await noSidewaysScroll(admin);
    expect(await axeViolations(admin)).toEqual([]);
    await admin.screenshot({ path: path.join(OUT, 'admin-bank-pending-360.png'), fullPage: true });

    // Its own approval is refused, and shown; nothing in force changes.
    await admin.getByRole('button', { name: t.submitApprove }).click();
    await admin.waitForLoadState();
    await expect(admin.locator('#approve .error-summary').textContent()).resolves.toContain(`you proposed issuer change ${changeId}: a second admin must approve it`);
    expect(ibanInForce()).toBe(OLD_IBAN);
    expect(pendingIssuerChange(ctx.db)?.id).toBe(changeId);
    await noSidewaysScroll(admin);
    expect(await axeViolations(admin)).toEqual([]);
    await admin.screenshot({ path: path.join(OUT, 'admin-bank-own-approval-refused-360.png'), fullPage: true });

    // The second admin logs in and approves.
    const second = await loggedIn('second.admin', 'second-admin-secret');
    await second.goto(`${base}/admin/bank-details`);
    await expect(second.locator('#pending').textContent()).resolves.not.toContain(t.ownProposal);
    await second.getByLabel(t.fieldApproveReason).fill('Checked with the bank by telephone');
    await Promise.all([second.waitForURL((u) => u.searchParams.get('approved') === String(changeId)), second.getByRole('button', { name: t.submitApprove }).click()]);
    await expect(second.locator('[role=status]').textContent()).resolves.toBe(t.approvedNotice(changeId));
    await expect(second.locator('#iban-in-force').textContent()).resolves.toBe('CH93 0076 2011 6238 5295 7');
    expect(ibanInForce()).toBe(NEW_IBAN);
    expect(pendingIssuerChange(ctx.db)).toBeNull();

    // An invoice issued now (a cancelled invoice issued again) carries the new IBAN; the one issued before keeps the old one.
    const actor = cliActor('test');
    await cancelInvoice(ctx, actor, before.number, { reason: 'Issued with the wrong address' });
    const reissued = await reissueInvoice(ctx, actor, before.number, { reason: 'Issued again after the bank change' });
    expect(storedIban(reissued.number)).toBe(NEW_IBAN);
    expect(storedIban(before.number)).toBe(OLD_IBAN);
    const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text((await invoicePdf(ctx, reissued.number, null)).file)).toContain(NEW_IBAN);
    const oldText = text((await invoicePdf(ctx, before.number, null)).file);
    expect(oldText).toContain(OLD_IBAN);
    expect(oldText).not.toContain(NEW_IBAN);

    // The State's account shows the new bank details under "How to pay".
    expect(reissued.iso3).toBe('FRA');
    const france = await loggedIn('france', 'france-demo');
    await france.goto(`${base}/account?lang=en`);
    await expect(france.locator('#how-to-pay').textContent()).resolves.toContain('CH93 0076 2011 6238 5295 7');
    await expect(france.locator('#how-to-pay').textContent()).resolves.toContain('UBSWCHZH80A');
    await noSidewaysScroll(france);
  }, 180_000);

  it('an API token created on a user’s page works; once revoked there, the API answers 401', async () => {
    const admin = await loggedIn('admin', 'admin-demo');
    await admin.goto(`${base}/admin/users/finance`);
    await admin.getByLabel(t.fieldLabel).fill('spreadsheet-link');
    await admin.getByLabel(t.fieldDays).fill('30');
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'token'), admin.getByRole('button', { name: t.submitToken }).click()]);
    const token = (await admin.locator('#secret-token').textContent())!.trim();
    expect(token.length).toBeGreaterThan(20);
    const me = () => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);
    await noSidewaysScroll(admin);
    expect(await axeViolations(admin)).toEqual([]);
    // Shown once: the page again does not show it.
    await admin.reload();
    await expect(admin.locator('main').textContent()).resolves.not.toContain(token);
    const row = admin.locator('#tokens tr', { hasText: 'spreadsheet-link' });
    await Promise.all([admin.waitForURL((u) => u.searchParams.has('revoked')), row.getByRole('button', { name: t.submitRevoke }).click()]);
    await expect(admin.locator('#tokens tr', { hasText: 'spreadsheet-link' }).textContent()).resolves.toContain(t.tokenStatus.revoked);
    expect((await me()).status).toBe(401);
  }, 120_000);

  it('an admin adds a user who then logs in with the password shown once', async () => {
    const admin = await loggedIn('admin', 'admin-demo');
    await admin.goto(`${base}/admin/users/new`);
    await admin.getByLabel(t.fieldUsername).fill('new.auditor');
    await admin.getByLabel(t.fieldRole).selectOption('auditor');
    await Promise.all([admin.waitForURL((u) => u.pathname === '/admin/users/new.auditor'), admin.getByRole('button', { name: t.submitCreate }).click()]);
    const password = (await admin.locator('#secret-password').textContent())!.trim();
    const auditor = await loggedIn('new.auditor', password);
    expect(new URL(auditor.url()).pathname).toBe('/dashboard');
    await expect(auditor.locator('nav[aria-label="Main"]').textContent()).resolves.toContain('Reports');
  }, 120_000);

  it('the Presidency downloads a report and meets no write form in its navigation', async () => {
    const pres = await loggedIn('presidency', 'presidency-demo');
    await pres.goto(`${base}/reports?lang=en`);
    await pres.locator('#rep-year').selectOption('2018');
    await pres.locator('#rep-state').selectOption('FRA');
    await Promise.all([pres.waitForURL((u) => u.searchParams.get('state') === 'FRA'), pres.getByRole('button', { name: REPORTS_TEXT.en.submit }).click()]);
    await noSidewaysScroll(pres);
    expect(await axeViolations(pres)).toEqual([]);
    for (const format of ['pdf', 'xlsx', 'csv', 'json']) {
      const href = await pres.locator(`#report-status a[data-format="${format}"]`).getAttribute('href');
      const res = await pres.request.get(`${base}${href}`);
      expect(res.status(), href!).toBe(200);
      expect(res.headers()['content-type'], href!).toMatch({ pdf: /^application\/pdf/, xlsx: /spreadsheetml/, csv: /^text\/csv/, json: /^application\/json/ }[format]!);
      expect((await res.body()).length, href!).toBeGreaterThan(100);
    }
    // A download through the browser itself: the XLSX of the statement of account of France.
    const [download] = await Promise.all([pres.waitForEvent('download'), pres.locator('#report-account a[data-format="xlsx"]').click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'isu-dl-')), download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^statement-FRA-.*\.xlsx$/);
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    // Every page of its navigation: no form that posts, but the logout button.
    const links = await pres.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')));
    expect(links).toEqual(['/dashboard', '/invoices', '/budgets', '/states', '/reserve', '/periods', '/reports']);
    for (const href of links) {
      await pres.goto(`${base}${href}`);
      const actions = await pres.locator('form[method="post"]').evaluateAll((fs) => fs.map((f) => (f as unknown as { getAttribute(n: string): string }).getAttribute('action')));
      expect(actions, href).toEqual(['/logout']);
    }
  }, 120_000);
});
