/**
 * The payments pages in a real headless Chromium (Debian's /usr/bin/chromium)
 * on the demo database: at 360 × 740 the pages do not scroll sideways; a
 * payment recorded by its RF reference through the form lands on its page; a
 * double click on the submit button records one payment; a form error is
 * shown at the field. Skipped only when Chromium is missing outside CI.
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
import { buildApp } from '../../src/http/app.js';
import { PAYMENTS_TEXT } from '../../src/http/pages/payments-text.js';
import type { Ctx } from '../../src/services/context.js';
import { cliActor } from '../../src/services/actor.js';
import { seedDemo } from '../../src/services/demo.js';
import { listInvoices } from '../../src/services/invoices.js';
import { tempDir } from '../helpers.js';

const AXE_SOURCE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI`);
const OUT = path.join(PROJECT_ROOT, 'test-output');
const t = PAYMENTS_TEXT.en;

describe.skipIf(!haveChromium)('the payments pages in Chromium', () => {
  let dir: string;
  let closeDb: () => void;
  let ctx: Ctx;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  const paymentCount = () => (ctx.sqlite.prepare('SELECT count(*) AS n FROM payments').get() as { n: number }).n;
  const noSidewaysScroll = async () =>
    page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');

  /** axe-core's WCAG 2 A/AA violations of the page (run through the DevTools protocol: the page's CSP allows no script). */
  const axeViolations = async () => {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
    );
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  beforeAll(async () => {
    dir = tempDir('isu-web-pay-');
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

  it('at 360 × 740 the new-payment page, the list and a form error do not scroll sideways', async () => {
    for (const url of ['/payments/new', '/payments/new?lang=fr', '/payments', '/payments?lang=es']) {
      await page.goto(base + url);
      const w = await noSidewaysScroll();
      expect(w.scrollWidth, url).toBeLessThanOrEqual(w.innerWidth);
      await page.screenshot({ path: path.join(OUT, `payments-360-${url.replace(/[^a-z]+/g, '-')}.png`), fullPage: true });
      expect(await axeViolations(), url).toEqual([]);
    }
    await page.goto(`${base}/payments/new?lang=en`); // the language is remembered per user: English for these steps
    await page.getByLabel(t.fieldAmount).fill('12,34.5x');
    await page.getByRole('button', { name: t.submitRecord }).click();
    await page.waitForLoadState();
    await expect(page.locator('#pay-amount').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.error-summary a[href="#pay-amount"]').count()).resolves.toBe(1);
    const w = await noSidewaysScroll();
    expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
    await page.screenshot({ path: path.join(OUT, 'payments-new-error-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
  });

  it('records a payment by its RF reference; a double click on the button records it once', async () => {
    const inv = listInvoices(ctx, {}, null).find((i) => i.status === 'issued' && i.remaining !== '0.00')!;
    await page.goto(`${base}/payments/new?lang=en`); // the language is remembered per user: English for these steps
    await page.getByLabel(t.fieldReference).fill(inv.creditorReference);
    await page.getByLabel(t.fieldAmount).fill('100.00');
    const before = paymentCount();
    // The form as the browser would post it (its hidden _csrf and _idem among the fields), to replay it afterwards.
    const data = await page.evaluate<Record<string, string>>("Object.fromEntries([...new FormData(document.querySelector('form#new-payment'))].map(([k, v]) => [k, String(v)]))");
    const posts: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/payments') posts.push(r.url());
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: t.submitRecord }).dblclick();
    await page.waitForURL((u) => /^\/payments\/\d+$/.test(u.pathname));
    await page.waitForLoadState();
    page.off('request', onRequest);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(paymentCount()).toBe(before + 1);
    const recordedAt = new URL(page.url());
    // The same form posted again with the browser's cookies (a second click that got through, a re-sent POST): the same result, nothing more recorded.
    const replay = await page.request.post(`${base}/payments`, { form: data, headers: { origin: base }, maxRedirects: 0 });
    expect(replay.status()).toBe(303);
    expect(replay.headers().location).toBe(`${recordedAt.pathname}${recordedAt.search}`);
    expect(paymentCount()).toBe(before + 1);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Payment \d+$/);
    await expect(page.locator('main').textContent()).resolves.toContain(inv.number);
    const w = await noSidewaysScroll();
    expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
    await page.screenshot({ path: path.join(OUT, 'payments-recorded-360.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    await page.goto(`${base}/payments`);
    expect(await axeViolations()).toEqual([]);
  });
});
