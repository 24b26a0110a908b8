/**
 * Every page, for every role that can see it, at 1366×900 and 360×740, in
 * English, French and Spanish (SPEC 9.9), in a real headless Chromium: the
 * page never scrolls sideways (document.documentElement.scrollWidth ≤ the
 * viewport's width) and axe-core reports no violation. One browser; one
 * context per role, logged in once through the login form; axe-core's
 * script is injected into the page (the context bypasses the CSP for it —
 * the pages themselves run no script).
 *
 * Skipped only when Chromium is missing outside CI; in CI a missing browser fails the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { DEMO_LOGINS } from '../../src/services/demo.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs chromium)`);

const AXE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const OUT = path.join(PROJECT_ROOT, 'test-output');
const VIEWPORTS = [
  { width: 1366, height: 900 },
  { width: 360, height: 740 },
] as const;
const LANGS = ['en', 'fr', 'es'] as const;

/** Each role (by its demo user; '' a visitor) and the pages it can see. */
const PAGES: Record<string, string[]> = {
  '': ['/login'],
  finance: ['/dashboard', '/account?state=FRA', '/payments', '/payments/new'],
  presidency: ['/dashboard', '/account?state=MEX'],
  auditor: ['/dashboard', '/account?state=IRL'],
  admin: ['/dashboard', '/payments'], // the admin's page: its refusal, with the API's documentation; the payments it reads
  france: ['/account'],
};

describe.skipIf(!haveChromium)('every page at 1366 and 360 px wide, in three languages', () => {
  let dir: string;
  let server: DemoServer | undefined;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startDemoServer('isu-responsive-');
    ({ dir, app, base } = server);
    fs.mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function pageFor(user: string): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport: VIEWPORTS[0], locale: 'en-GB', timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    if (user) {
      const login = DEMO_LOGINS.find((l) => l.username === user)!;
      await page.goto(`${base}/login`);
      await page.locator('#username').fill(login.username);
      await page.locator('#password').fill(login.password);
      await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
    }
    return page;
  }

  it('fits the width and is axe-core clean, for every role, page, width and language', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [user, urls] of Object.entries(PAGES)) {
      const page = await pageFor(user);
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        for (const lang of LANGS) {
          for (const url of urls) {
            const where = `${user || 'visitor'} ${url} ${viewport.width}px ${lang}`;
            await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
            expect(await page.locator('html').getAttribute('lang'), where).toBe(lang);
            // (Expressions as text: they run in the page, whose DOM types this Node project does not load.)
            const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as {
              scrollWidth: number;
              innerWidth: number;
            };
            if (scrollWidth > innerWidth) problems.push(`${where}: scrollWidth ${scrollWidth} > ${innerWidth}`);
            await page.addScriptTag({ content: AXE });
            const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
              r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`)) as string[];
            for (const v of violations) problems.push(`${where}: ${v}`);
            if (viewport.width === 360 && url === '/dashboard' && user === 'presidency')
              await page.screenshot({ path: path.join(OUT, `dashboard-360-${lang}.png`), fullPage: true });
            if (viewport.width === 360 && url === '/account' && user === 'france') await page.screenshot({ path: path.join(OUT, `account-360-${lang}.png`), fullPage: true });
            checked++;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBe(Object.values(PAGES).flat().length * VIEWPORTS.length * LANGS.length);
  }, 600_000);

  it('reaches every scrollable table with the keyboard', async () => {
    const page = await pageFor('france');
    await page.setViewportSize(VIEWPORTS[1]);
    await page.goto(`${base}/account?lang=fr`);
    const boxes = page.locator('.scroll');
    expect(await boxes.count()).toBeGreaterThan(0);
    for (const box of await boxes.all()) {
      await expect(box.getAttribute('tabindex')).resolves.toBe('0');
      await expect(box.getAttribute('role')).resolves.toBe('region');
      expect((await box.getAttribute('aria-label'))?.length).toBeGreaterThan(3);
    }
    // Tab through the page: focus lands on the first wide table's box, which then scrolls with the arrow keys.
    const wide = page.locator('.scroll').filter({ has: page.locator('#invoices') });
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await wide.evaluate((el) => el === el.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    const overflow = await wide.evaluate((el) => el.scrollWidth > el.clientWidth);
    if (overflow) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => wide.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    }
  }, 120_000);
});
