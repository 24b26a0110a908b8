import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Dec,
  MAX_CENTIMES,
  MoneyFormatError,
  centimesToDecimal,
  formatMoney,
  mulRoundHalfEven,
  parseMoney,
  sumCentimes,
} from '../../src/domain/money.js';

describe('parseMoney / formatMoney', () => {
  it.each([
    ['0', 0n, '0.00'],
    ['0.0', 0n, '0.00'],
    ['0.05', 5n, '0.05'],
    ['0.5', 50n, '0.50'],
    ['12.5', 1250n, '12.50'],
    ['1234.5', 123450n, '1234.50'],
    ['590000.00', 59000000n, '590000.00'],
    ['9999999999999.99', 999999999999999n, '9999999999999.99'],
  ])('parses %s to %s centimes and formats it as %s', (text, centimes, canonical) => {
    expect(parseMoney(text)).toBe(centimes);
    expect(formatMoney(centimes)).toBe(canonical);
    expect(parseMoney(formatMoney(centimes))).toBe(centimes);
  });

  it('formats negative amounts', () => {
    expect(formatMoney(-5n)).toBe('-0.05');
    expect(formatMoney(-123450n)).toBe('-1234.50');
    expect(parseMoney('-0.05', { signed: true })).toBe(-5n);
    expect(parseMoney('-1234.5', { signed: true })).toBe(-123450n);
  });

  it('the maximum is CHF 10,000,000,000,000.00 exclusive', () => {
    expect(MAX_CENTIMES).toBe(1_000_000_000_000_000n);
    expect(parseMoney(formatMoney(MAX_CENTIMES - 1n))).toBe(MAX_CENTIMES - 1n);
  });

  it.each([
    '1.234',
    '-1',
    '1e3',
    ' 1',
    '1 ',
    '01',
    '00.5',
    '',
    '1.',
    '.5',
    'NaN',
    'Infinity',
    '+1',
    '1,50',
    "1'000",
    '0x10',
    '10000000000000',
    '10000000000000.00',
    '99999999999999.99',
    '999999999999999',
    '9999999999999999',
  ])('rejects %j (unsigned)', (text) => {
    expect(() => parseMoney(text)).toThrow(MoneyFormatError);
  });

  it.each(['--1', '-', '-.5', '-01', '-10000000000000'])('rejects %j (signed)', (text) => {
    expect(() => parseMoney(text, { signed: true })).toThrow(MoneyFormatError);
  });

  it('property: parseMoney(formatMoney(c)) === c for 0 ≤ c < 10^15', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_CENTIMES - 1n }), (c) => {
        const text = formatMoney(c);
        expect(text).toMatch(/^(0|[1-9][0-9]*)\.[0-9]{2}$/);
        expect(parseMoney(text)).toBe(c);
        expect(parseMoney(`-${text}`, { signed: true })).toBe(-c);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: every amount at or beyond the maximum is rejected', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MAX_CENTIMES, max: 10n ** 17n - 1n }), (c) => {
        expect(() => parseMoney(formatMoney(c))).toThrow(MoneyFormatError);
      }),
      { numRuns: 300 },
    );
  });

  it('centimesToDecimal is exact', () => {
    expect(centimesToDecimal(123450n).toFixed()).toBe('1234.5');
    expect(centimesToDecimal(999999999999999n).toFixed()).toBe('9999999999999.99');
  });
});

describe('mulRoundHalfEven', () => {
  it.each([
    // 0.005 CHF → 0.00, 0.015 CHF → 0.02, 0.025 → 0.02, 0.035 → 0.04
    [1n, '0.5', 0n],
    [3n, '0.5', 2n],
    [5n, '0.5', 2n],
    [7n, '0.5', 4n],
    [1n, '0.51', 1n],
    [1n, '0.49', 0n],
    [10000n, '0.3', 3000n],
    [5n, '0.3', 2n], // 1.5 → 2
    [25n, '0.3', 8n], // 7.5 → 8
    [15n, '0.3', 4n], // 4.5 → 4
    [59000000n, '0.4', 23600000n],
    [0n, '0.7', 0n],
    [12345n, '1', 12345n],
    [12345n, '0', 0n],
  ])('%s × %s → %s', (amount, factor, expected) => {
    expect(mulRoundHalfEven(amount, new Dec(factor))).toBe(expected);
  });

  it('property: agrees with an independent bigint half-even rounding for factors with ≤ 12 decimals', () => {
    const SCALE = 10n ** 12n;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_CENTIMES - 1n }), fc.bigInt({ min: 0n, max: SCALE }), (amount, num) => {
        const product = amount * num;
        const q = product / SCALE;
        const r = product % SCALE;
        const expected = 2n * r > SCALE || (2n * r === SCALE && q % 2n === 1n) ? q + 1n : q;
        const factor = new Dec(num.toString()).div(SCALE.toString());
        expect(mulRoundHalfEven(amount, factor)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('sumCentimes', () => {
    expect(sumCentimes([])).toBe(0n);
    expect(sumCentimes([1n, 2n, -3n, 10n])).toBe(10n);
  });
});
