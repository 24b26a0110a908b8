/**
 * The web pages in a real headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core) against a real server on the demo database: the figures
 * on the pages are the API's, a State sees only its own invoices, a
 * logged-out visitor is sent to /login, a cross-site form post is refused.
 * Screenshots go to test-output/ (git-ignored).
 *
 * Skipped only when Chromium is missing outside CI; in CI (process.env.CI)
 * a missing browser fails the run.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { addMoney, percentOf } from '../../src/http/pages/html.js';
import { formatMoney, formatPercent } from '../../src/pdf/i18n.js';
import type { StatusReport } from '../../src/services/reports.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs chromium)`);

const OUT = path.join(PROJECT_ROOT, 'test-output');
const NBSP = '\u00a0';
const chf = (amount: string, lang: 'en' | 'fr' | 'es' = 'en') => `CHF${NBSP}${formatMoney(amount, lang)}`;

describe.skipIf(!haveChromium)('the web pages in Chromium', () => {
  let dir: string;
  let server: DemoServer | undefined;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let attacker: http.Server;
  let attackerBase: string;

  const api = async <T>(url: string, token: string): Promise<T> => {
    const res = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, url).toBe(200);
    return (await res.json()) as T;
  };
  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

  async function login(username: string, password: string) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
  }

  async function logout() {
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.getByRole('button', { name: 'Log out' }).click()]);
  }

  beforeAll(async () => {
    server = await startDemoServer('isu-web-');
    ({ dir, app, base } = server);

    // Another site (another origin) whose pages post forms to ours.
    attacker = http.createServer((req, res) => {
      const target = req.url === '/login' ? 'login' : 'logout';
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><title>elsewhere</title><form method="post" action="${base}/${target}">` +
          `<input type="hidden" name="username" value="presidency"><input type="hidden" name="password" value="presidency-demo">` +
          `<button type="submit">Win a prize</button></form>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerBase = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

    fs.mkdirSync(OUT, { recursive: true });
    context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'isu-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1366, height: 900 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await server?.stop();
  });

  it('sends a logged-out visitor to /login', async () => {
    for (const url of ['/dashboard', '/account', '/']) {
      const res = await page.goto(base + url);
      expect(new URL(page.url()).pathname, url).toBe('/login');
      expect(res!.request().redirectedFrom()?.url()).toBe(base + url);
      expect((await res!.request().redirectedFrom()!.response())!.status()).toBe(303);
    }
    await expect(page.getByLabel('Username').isVisible()).resolves.toBe(true);
  });

  it('shows the Presidency the same coverage, counts, arrears and reserve as the API', async () => {
    await login('presidency', 'presidency-demo');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    const asOf = await page.locator('#asOf').inputValue();
    const year = Number.parseInt(await page.locator('#year').inputValue(), 10);
    expect(year).toBe(2018);

    const report = await api<StatusReport>(`/api/v1/reports/status-of-contributions?year=${year}&asOf=${asOf}`, 'demo-token-presidency');
    const t = report.totals;
    const received = addMoney(t.collected, t.inExcess);
    expect(await text('[data-figure="budget"]')).toBe(chf(report.budget));
    expect(await text('[data-figure="assessed"]')).toBe(chf(t.assessed));
    expect(await text('[data-figure="received"]')).toBe(chf(received));
    expect(await text('[data-figure="coverage"]')).toBe(formatPercent(percentOf(t.collected, report.budget), 'en'));
    expect(report.coverage.collectedPercent).toBe(percentOf(t.collected, report.budget));
    expect(await text('[data-figure="coverage-with-excess"]')).toBe(formatPercent(percentOf(received, report.budget), 'en'));
    expect(await text('[data-figure="share-contributing"]')).toBe(formatPercent(report.counts.shareContributingPercent, 'en'));
    expect(await text('[data-figure="count-paid"]')).toBe(String(report.counts.paid));
    expect(await text('[data-figure="count-partial"]')).toBe(String(report.counts.partial));
    expect(await text('[data-figure="count-unpaid"]')).toBe(String(report.counts.unpaid));
    expect(await text('[data-figure="arrears"]')).toBe(chf(t.priorOutstanding));
    // The demo has States paying nothing and a few paying far more than assessed: both coverages differ.
    expect(report.counts.unpaid).toBeGreaterThan(0);
    expect(t.inExcess).not.toBe('0.00');

    // Concentration, recomputed from the API's rows.
    const receipts = report.rows.map((r) => addMoney(r.collected, r.inExcess)).filter((a) => a !== '0.00');
    receipts.sort((a, b) => (BigInt(b.replace('.', '')) > BigInt(a.replace('.', '')) ? 1 : -1));
    expect(await text('[data-figure="top5"]')).toBe(formatPercent(percentOf(addMoney(...receipts.slice(0, 5)), addMoney(...receipts)), 'en'));

    const reserve = await api<{ balance: string; target: string }>(`/api/v1/reserve?asOf=${asOf}`, 'demo-token-presidency');
    expect(await text('[data-figure="reserve-balance"]')).toBe(chf(reserve.balance));
    expect(await text('[data-figure="reserve"]')).toBe(chf(reserve.balance));

    // Real charts, each with a title and a description.
    for (const id of ['chart-coverage', 'chart-payers', 'chart-concentration', 'chart-arrears', 'chart-reserve', 'chart-cashflow', 'chart-history']) {
      const svg = page.locator(`svg[data-chart="${id}"]`);
      await expect(svg.getAttribute('role')).resolves.toBe('img');
      expect((await svg.locator('title').first().textContent())?.length, id).toBeGreaterThan(10);
      expect(await svg.locator('rect, line, circle').count(), id).toBeGreaterThan(2);
    }
    // The page loads nothing from elsewhere and runs no script.
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });
    await page.screenshot({ path: path.join(OUT, 'dashboard-top.png') });

    // Another year and date through the picker.
    await page.locator('#year').selectOption('2016');
    await page.locator('#asOf').fill('2016-12-31');
    await Promise.all([page.waitForURL(/year=2016/), page.getByRole('button', { name: 'Show' }).click()]);
    const r2016 = await api<StatusReport>('/api/v1/reports/status-of-contributions?year=2016&asOf=2016-12-31', 'demo-token-presidency');
    expect(await text('[data-figure="coverage"]')).toBe(formatPercent(percentOf(r2016.totals.collected, r2016.budget), 'en'));
    expect(await text('[data-figure="count-paid"]')).toBe(String(r2016.counts.paid));
  });

  it('serves the status report CSV and PDF and the API to the session cookie', async () => {
    const csvHref = await page.getByRole('link', { name: 'Status of contributions (CSV)' }).getAttribute('href');
    const csv = await page.request.get(base + csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toBe('iso3,name,priorAtStart,priorCollected,priorCredited,priorOutstanding,assessed,credited,collected,outstanding,received,inExcess,unappliedCredit,status');
    const pdfHref = await page.getByRole('link', { name: 'Status of contributions (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(base + pdfHref!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const me = await page.request.get(`${base}/api/v1/me`);
    expect(await me.json()).toEqual({ username: 'presidency', role: 'presidency', state: null });
  });

  it('refuses a cross-site form post and a post without the CSRF token', async () => {
    // A page of another origin posts the logout form: refused, the session lives on.
    await page.goto(`${attackerBase}/logout`);
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url() === `${base}/logout`), page.getByRole('button', { name: 'Win a prize' }).click()]);
    expect(refused.status()).toBe(403);
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    // Same with the login form.
    await page.goto(`${attackerBase}/login`);
    const [refusedLogin] = await Promise.all([page.waitForResponse((r) => r.url() === `${base}/login`), page.getByRole('button', { name: 'Win a prize' }).click()]);
    expect(refusedLogin.status()).toBe(403);

    // Our own origin but without the token.
    const noToken = await page.request.post(`${base}/logout`, { form: { x: '1' }, headers: { origin: base } });
    expect(noToken.status()).toBe(403);
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
  });

  it('logs out: the session ends and the pages send back to /login', async () => {
    await page.goto(`${base}/dashboard`);
    await logout();
    expect(page.url()).toBe(`${base}/login?out=1`);
    await expect(page.getByText('You have logged out.').isVisible()).resolves.toBe(true);
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await page.request.get(`${base}/api/v1/me`)).status()).toBe(401);
  });

  it("shows a State its own balance and only its own invoices, and nothing of any other State's", async () => {
    await login('france', 'france-demo');
    expect(new URL(page.url()).pathname).toBe('/account');
    const own = await api<{ number: string; iso3: string }[]>('/api/v1/invoices', 'demo-token-france');
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((i) => i.iso3))).toEqual(new Set(['FRA']));
    const listed = await page.locator('tr[data-invoice]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-invoice')));
    expect(listed).toEqual(own.map((i) => i.number));

    const all = await api<{ number: string; iso3: string }[]>('/api/v1/invoices', 'demo-token-presidency');
    const others = all.filter((i) => i.iso3 !== 'FRA');
    const html = await page.content();
    for (const o of others) expect(html).not.toContain(o.number);
    for (const name of ['Mexico', 'México', 'Ireland', 'Irlande']) expect(html).not.toContain(name);

    const balance = await api<{ outstanding: string; unappliedCredit: string; invoiced: string; arrears: { year: number; amount: string }[] }>(
      '/api/v1/states/FRA/balance',
      'demo-token-france',
    );
    expect(await text('[data-figure="outstanding"]')).toBe(chf(balance.outstanding, 'fr'));
    expect(await text('[data-figure="invoiced"]')).toBe(chf(balance.invoiced, 'fr'));
    expect(await text('[data-figure="unapplied"]')).toBe(chf(balance.unappliedCredit, 'fr'));
    expect(await text('[data-figure="arrears"]')).toBe(chf(addMoney('0.00', ...balance.arrears.map((a) => a.amount)), 'fr'));

    // Its own PDFs open; another State's invoice PDF answers 404; the dashboard is not for it.
    const ownPdf = await page.request.get(`${base}/api/v1/invoices/${own[0]!.number}/pdf`);
    expect(ownPdf.status()).toBe(200);
    expect((await page.request.get(`${base}/api/v1/invoices/${others[0]!.number}/pdf`)).status()).toBe(404);
    // France's pages are in French, its State's language (SPEC 9.9).
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    const statement = await page.request.get(base + (await page.getByRole('link', { name: /Relevé de compte depuis/ }).getAttribute('href'))!);
    expect(statement.status()).toBe(200);
    expect(statement.headers()['content-type']).toBe('application/pdf');
    await page.screenshot({ path: path.join(OUT, 'account.png'), fullPage: true });

    const dash = await page.goto(`${base}/dashboard`);
    expect(dash!.status()).toBe(403);
    const other = await page.goto(`${base}/account?state=MEX`);
    expect(other!.status()).toBe(404);
  });
});
