/** The number formatters take a document language (as before) or a State's number convention (SPEC 9.10). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NUMBER_CONVENTIONS } from '../../src/domain/addressee.js';
import { formatDecimal, formatInteger, formatMoney, formatPercent } from '../../src/pdf/i18n.js';

const NBSP = '\u00a0';

describe('number conventions', () => {
  it('write 13,803.34 / 13 803,34 / 13.803,34 / 13’803.34', () => {
    expect(formatMoney('13803.34', 'comma-dot')).toBe('13,803.34');
    expect(formatMoney('13803.34', 'space-comma')).toBe(`13${NBSP}803,34`);
    expect(formatMoney('13803.34', 'dot-comma')).toBe('13.803,34');
    expect(formatMoney('13803.34', 'apostrophe-dot')).toBe('13’803.34');
    expect(formatMoney('-1234567.5', 'apostrophe-dot')).toBe('-1’234’567.50');
    expect(formatDecimal('9.907712', 'dot-comma')).toBe('9,907712');
    expect(formatDecimal('1234.5', 'apostrophe-dot')).toBe('1’234.5');
    expect(formatPercent('4.859', 'space-comma')).toBe(`4,859${NBSP}%`);
    expect(formatInteger(1234567, 'apostrophe-dot')).toBe('1’234’567');
  });

  it('agree with the languages they stand for, so documents without a convention print as before', () => {
    const amount = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 99 }))
      .map(([neg, whole, cents]) => `${neg ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`);
    fc.assert(
      fc.property(amount, (a) => {
        expect(formatMoney(a, 'comma-dot')).toBe(formatMoney(a, 'en'));
        expect(formatMoney(a, 'space-comma')).toBe(formatMoney(a, 'fr'));
        expect(formatMoney(a, 'dot-comma')).toBe(formatMoney(a, 'es'));
        expect(formatMoney(a, 'apostrophe-dot')).toBe(formatMoney(a, 'en').replaceAll(',', '’'));
      }),
    );
    expect(formatMoney('590000', 'en')).toBe('590,000.00');
    expect(formatMoney('590000', 'fr')).toBe(`590${NBSP}000,00`);
    expect(formatMoney('590000', 'es')).toBe('590.000,00');
    for (const c of NUMBER_CONVENTIONS) expect(formatMoney('0.5', c)).toMatch(/^0[.,]50$/);
  });
});
