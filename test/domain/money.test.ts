import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Dec,
  FRACTION_PATTERN,
  MAX_CENTIMES,
  MoneyFormatError,
  RATE_PATTERN,
  canonicalDecimal,
  centimesToDecimal,
  formatMoney,
  maxCentimes,
  minCentimes,
  integerDecimalToBigint,
  mulRoundHalfEven,
  parseMoney,
  parseRate,
  percentOneDecimal,
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

  it.each(['--1', '-', '-.5', '-01', '-10000000000000', '-10000000000000.00', '-1.234', '+1', '1-', ' -1'])('rejects %j (signed)', (text) => {
    expect(() => parseMoney(text, { signed: true })).toThrow(MoneyFormatError);
  });

  it.each([
    ['0', 0n],
    ['12', 1200n],
    ['12.5', 1250n],
    ['12.05', 1205n],
    ['9999999999999.99', 999999999999999n],
    ['-12', -1200n],
    ['-0', 0n],
    ['-9999999999999.99', -999999999999999n],
  ])('signed: parses %s (with or without a minus, with or without decimals) to %s centimes', (text, centimes) => {
    expect(parseMoney(text, { signed: true })).toBe(centimes);
  });

  it('the error says what was refused', () => {
    let error: unknown;
    try {
      parseMoney('1.234');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MoneyFormatError);
    expect((error as MoneyFormatError).input).toBe('1.234');
    expect((error as MoneyFormatError).message).toBe('not a CHF amount with at most 2 decimals: "1.234"');
    expect(() => parseMoney('-5')).toThrow('not a CHF amount with at most 2 decimals: "-5"');
    expect(() => parseMoney('10000000000000', { signed: true })).toThrow('not a CHF amount with at most 2 decimals: "10000000000000"');
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
    expect(centimesToDecimal(123450n).toString()).toBe('1234.5');
    expect(centimesToDecimal(999999999999999n).toFixed()).toBe('9999999999999.99');
    expect(centimesToDecimal(1n).toString()).toBe('0.01');
    expect(centimesToDecimal(-5n).toString()).toBe('-0.05');
    expect(centimesToDecimal(0n).isZero()).toBe(true);
  });

  it('property: centimesToDecimal(c) × 100 is c again, for any amount of either sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(MAX_CENTIMES - 1n), max: MAX_CENTIMES - 1n }), (c) => {
        const d = centimesToDecimal(c);
        expect(d.mul(100).toFixed()).toBe(c.toString());
        // The text of the decimal is the formatted amount without trailing zeros in the decimals.
        expect(d.toFixed(2)).toBe(formatMoney(c));
      }),
      { numRuns: 300 },
    );
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

describe('integerDecimalToBigint', () => {
  it('converts integers exactly, beyond the range of a double', () => {
    expect(integerDecimalToBigint(new Dec('0'))).toBe(0n);
    expect(integerDecimalToBigint(new Dec('-42'))).toBe(-42n);
    expect(integerDecimalToBigint(new Dec('123456789012345678901234567890'))).toBe(123456789012345678901234567890n);
    expect(integerDecimalToBigint(new Dec('1e20'))).toBe(100000000000000000000n);
    expect(integerDecimalToBigint(new Dec('7.000'))).toBe(7n);
  });

  it.each(['1.5', '0.5', '-2.5', '0.000000001', '999999999999999.01'])('throws on the non-integer %s instead of rounding it', (text) => {
    expect(() => integerDecimalToBigint(new Dec(text))).toThrow(`internal: expected an integer, got ${text}`);
  });
});

describe('RATE_PATTERN and parseRate', () => {
  it.each([
    ['0', '0'],
    ['5', '5'],
    ['10', '10'],
    ['99', '99'],
    ['100', '100'],
    ['100.0', '100'],
    ['100.000000', '100'],
    ['4.859', '4.859'],
    ['4.8590', '4.859'],
    ['0.001', '0.001'],
    ['0.000001', '0.000001'],
    ['99.999999', '99.999999'],
    ['22.000', '22'],
  ])('accepts %s as %s percent', (text, value) => {
    expect(RATE_PATTERN.test(text)).toBe(true);
    expect(parseRate(text).toFixed()).toBe(value);
  });

  it.each(['100.000001', '100.1', '101', '150', '999', '999.999999'])('refuses %s: above 100 percent', (text) => {
    expect(RATE_PATTERN.test(text)).toBe(true);
    expect(() => parseRate(text)).toThrow(`rate above 100 percent: ${text}`);
  });

  it.each([
    '',
    '1000',
    '0.0000001', // 7 decimals
    '4.8590001',
    '-1',
    '-0',
    '+5',
    '1e2',
    '1E2',
    '01',
    '00',
    '.5',
    '5.',
    ' 5',
    '5 ',
    '5%',
    'x5',
    '5x',
    '4,859',
    'NaN',
    'Infinity',
    '0x10',
    '5.a',
    'a',
  ])('refuses %j: not a rate', (text) => {
    expect(RATE_PATTERN.test(text)).toBe(false);
    expect(() => parseRate(text)).toThrow(`not a rate in percent with at most 6 decimals: ${JSON.stringify(text)}`);
  });

  it('property: agrees with an independent model (integer part and up to 6 decimals, value at most 100)', () => {
    const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.option(digits(1, 6), { nil: undefined }), (whole, decimals) => {
        const text = decimals === undefined ? String(whole) : `${whole}.${decimals}`;
        // Value in millionths with BigInt; canonical text without trailing zeros.
        const millionths = BigInt(whole) * 1_000_000n + BigInt((decimals ?? '').padEnd(6, '0'));
        const trimmed = (decimals ?? '').replace(/0+$/, '');
        const canonical = trimmed === '' ? String(whole) : `${whole}.${trimmed}`;
        if (millionths <= 100_000_000n) expect(parseRate(text).toFixed()).toBe(canonical);
        else expect(() => parseRate(text)).toThrow('rate above 100 percent');
      }),
      { numRuns: 300 },
    );
  });
});

describe('FRACTION_PATTERN', () => {
  it.each(['0', '1', '0.4', '0.25', '0.5', '0.999999999999', '0.123456789012', '0.000000000001', '0.0', '1.0', '1.00', '1.000000000000'])(
    'accepts %j',
    (text) => {
      expect(FRACTION_PATTERN.test(text)).toBe(true);
    },
  );

  it.each([
    '',
    '2',
    '10',
    '01',
    '00.5',
    '-0.5',
    '1.5',
    '1.01',
    '1.000000000001',
    '1.0000000000000', // 13 decimals
    '0.1234567890123', // 13 decimals
    '.5',
    '0.',
    '1.',
    '0.4x',
    'x0.4',
    ' 0.4',
    '0.4 ',
    '0.a',
    '1e0',
  ])('refuses %j', (text) => {
    expect(FRACTION_PATTERN.test(text)).toBe(false);
  });

  it('property: "0." + 1–12 digits and "1." + 1–12 zeros are fractions; more digits, or a non-zero after "1.", are not', () => {
    const digitString = (min: number, max: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
    fc.assert(
      fc.property(digitString(1, 14), (decimals) => {
        const upToTwelve = decimals.length <= 12;
        expect(FRACTION_PATTERN.test(`0.${decimals}`)).toBe(upToTwelve);
        expect(FRACTION_PATTERN.test(`1.${decimals}`)).toBe(upToTwelve && /^0+$/.test(decimals));
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonicalDecimal', () => {
  it.each([
    ['4.8590', '4.859'],
    ['4.859', '4.859'],
    ['100', '100'],
    ['100.000000', '100'],
    ['0', '0'],
    ['0.000', '0'],
    ['1.000000000000', '1'],
    ['0.400000000000', '0.4'],
    ['0.000000000001', '0.000000000001'],
    ['0.0000001', '0.0000001'],
    ['12345678901234567890.5', '12345678901234567890.5'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalDecimal(new Dec(text))).toBe(canonical);
  });
});

describe('percentOneDecimal', () => {
  it('is "0.0" when the whole is zero, whatever the part', () => {
    expect(percentOneDecimal(0, 0)).toBe('0.0');
    expect(percentOneDecimal(5, 0)).toBe('0.0');
    expect(percentOneDecimal('123.45', '0.00')).toBe('0.0');
  });

  it.each([
    [843, 1000, '84.3'],
    [1, 3, '33.3'],
    [2, 3, '66.7'],
    [1, 1, '100.0'],
    [0, 7, '0.0'],
    [3, 2, '150.0'],
    // Exact ties at the second decimal: half-even at one decimal.
    [1, 400, '0.2'], // 0.25
    [3, 400, '0.8'], // 0.75
    [7, 2000, '0.4'], // 0.35
    [1, 8, '12.5'], // 12.5 exactly, no rounding
    [49, 400, '12.2'], // 12.25
    [51, 400, '12.8'], // 12.75
    [1, 2000, '0.0'], // 0.05
    [3, 2000, '0.2'], // 0.15
    // Not a tie: 1/6 = 16.666…, 1/7 = 14.28…
    [1, 6, '16.7'],
    [1, 7, '14.3'],
  ])('%s of %s is %s percent', (part, whole, expected) => {
    expect(percentOneDecimal(part, whole)).toBe(expected);
  });

  it('takes money strings', () => {
    expect(percentOneDecimal('59000.00', '590000.00')).toBe('10.0');
    expect(percentOneDecimal('0.25', '100.00')).toBe('0.2'); // 0.25 %
    expect(percentOneDecimal('0.35', '100.00')).toBe('0.4'); // 0.35 %
  });

  it('property: equals round_half_even(part × 1000 ÷ whole) tenths computed with BigInt, for amounts in centimes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_CENTIMES - 1n }), fc.bigInt({ min: 1n, max: MAX_CENTIMES - 1n }), (part, whole) => {
        const num = part * 1000n;
        const q = num / whole;
        const r = num % whole;
        const tenths = 2n * r > whole || (2n * r === whole && q % 2n === 1n) ? q + 1n : q;
        const expected = `${tenths / 10n}.${tenths % 10n}`;
        expect(percentOneDecimal(formatMoney(part), formatMoney(whole))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('property: half-even on exact ties (whole = 400 or 2000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(400, 2000), (part, whole) => {
        // part/whole×100 in hundredths of a percent, an integer for these wholes.
        const hundredths = (part * 10000) / whole;
        const q = Math.floor(hundredths / 10);
        const r = hundredths % 10;
        const tenths = r > 5 || (r === 5 && q % 2 === 1) ? q + 1 : q;
        expect(percentOneDecimal(part, whole)).toBe(`${Math.floor(tenths / 10)}.${tenths % 10}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('minCentimes / maxCentimes', () => {
  it('give the smaller and the larger of two amounts, in either order, negatives and equal amounts included', () => {
    for (const [a, b, lo, hi] of [
      [1n, 2n, 1n, 2n],
      [2n, 1n, 1n, 2n],
      [-5n, 3n, -5n, 3n],
      [3n, -5n, -5n, 3n],
      [7n, 7n, 7n, 7n],
      [0n, -1n, -1n, 0n],
    ] as const) {
      expect(minCentimes(a, b), `min(${a}, ${b})`).toBe(lo);
      expect(maxCentimes(a, b), `max(${a}, ${b})`).toBe(hi);
    }
  });
});
