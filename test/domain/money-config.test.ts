/**
 * The decimal configuration of money.ts, read by importing the module inside
 * the test: a configuration that makes decimal.js throw when the module loads
 * fails here as a test, not as a file that cannot load (which the mutation
 * runner would not count).
 */
import { describe, expect, it } from 'vitest';

describe('money.ts decimal configuration', () => {
  it('loads, keeps 40 significant digits, rounds half-even and never writes exponents within 10^±40', async () => {
    const { Dec } = await import('../../src/domain/money.js');
    expect(Dec.precision).toBe(40);
    expect(Dec.rounding).toBe(Dec.ROUND_HALF_EVEN);
    expect(new Dec('1e-39').toString()).toBe(`0.${'0'.repeat(38)}1`);
    expect(new Dec('1e39').toString()).toBe(`1${'0'.repeat(39)}`);
    expect(new Dec(1).div(3).toString()).toBe(`0.${'3'.repeat(40)}`);
    expect(new Dec('2.5').toDecimalPlaces(0).toString()).toBe('2');
    expect(new Dec('3.5').toDecimalPlaces(0).toString()).toBe('4');
  });
});
