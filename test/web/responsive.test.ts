/**
 * The first pages (login, dashboard, account, payments) at both widths in
 * the three languages (./responsive-harness.ts), and a wide table reached
 * and scrolled with the keyboard. The other areas have their own
 * responsive-<area>.test.ts on the same harness.
 */
import { expect, it } from 'vitest';
import { describeResponsive, VIEWPORTS } from './responsive-harness.js';
import { CORE_PAGES } from './page-lists/core.js';

describeResponsive(
  'the first pages at 1366 and 360 px wide, in three languages',
  CORE_PAGES,
  (user, url, width) => (width !== 360 ? null : url === '/dashboard' && user === 'presidency' ? 'dashboard-360' : url === '/account' && user === 'france' ? 'account-360' : null),
  ({ base, pageFor }) => {
    it('reaches every scrollable table with the keyboard', async () => {
      const page = await pageFor('france');
      await page.setViewportSize(VIEWPORTS[1]);
      await page.goto(`${base()}/account?lang=fr`);
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
  },
);
