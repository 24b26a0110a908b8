/**
 * The harness of the responsive checks (SPEC 9.9): every page, for every role
 * that can see it, at 1366×900 and 360×740, in English, French and Spanish,
 * in a real headless Chromium: the page never scrolls sideways
 * (document.documentElement.scrollWidth ≤ the viewport's width) and axe-core
 * reports no violation. One browser and one demo server per test file; one
 * context per role, logged in once through the login form; axe-core's script
 * is injected into the page (the context bypasses the CSP for it — the pages
 * themselves run no script).
 *
 * Each area of the pages lists its pages in ./page-lists/<area>.ts (also
 * read by the catalogue test) and runs them with `describeResponsive` in its
 * own test file, so that the areas run in parallel.
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

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs chromium)`);

const AXE = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const OUT = path.join(PROJECT_ROOT, 'test-output');
export const VIEWPORTS = [
  { width: 1366, height: 900 },
  { width: 360, height: 740 },
] as const;
export const LANGS = ['en', 'fr', 'es'] as const;

/** Each role (by its demo user; '' a visitor) and the pages it can see. */
export type PageList = Record<string, string[]>;

/** A full-page screenshot to keep (in test-output/), by user, url and width: the file name without extension. */
export type Screenshots = (user: string, url: string, width: number) => string | null;

export interface Harness {
  base: () => string;
  app: () => FastifyInstance;
  dir: () => string;
  /** A new browser context logged in as the demo user ('' a visitor), at 1366×900. */
  pageFor: (user: string) => Promise<Page>;
}

export function describeResponsive(title: string, pages: PageList, screenshots: Screenshots = () => null, more?: (h: Harness) => void): void {
  describe.skipIf(!haveChromium)(title, () => {
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
      for (const [user, urls] of Object.entries(pages)) {
        const page = await pageFor(user);
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize(viewport);
          for (const lang of LANGS) {
            for (const url of urls) {
              const where = `${user || 'visitor'} ${url} ${viewport.width}px ${lang}`;
              const res = await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
              // A refusal page (403) is a page too; a missing page (404) or a failure is not.
              if (res && (res.status() === 404 || res.status() >= 500)) problems.push(`${where}: HTTP ${res.status()}`);
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
              const shot = screenshots(user, url, viewport.width);
              if (shot) await page.screenshot({ path: path.join(OUT, `${shot}-${lang}.png`), fullPage: true });
              checked++;
            }
          }
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBe(Object.values(pages).flat().length * VIEWPORTS.length * LANGS.length);
    }, 900_000);

    more?.({ base: () => base, app: () => app, dir: () => dir, pageFor });
  });
}
