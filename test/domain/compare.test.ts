import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/domain/compare.js';

describe('compareText', () => {
  it('orders by code units: -1, 0, 1', () => {
    expect(compareText('BEL', 'BDI')).toBe(1);
    expect(compareText('BDI', 'BEL')).toBe(-1);
    expect(compareText('FRA', 'FRA')).toBe(0);
    expect(compareText('2018-03-31', '2018-04-01')).toBe(-1);
    expect(compareText('ISU-2018-0010', 'ISU-2018-0009')).toBe(1);
    // Code units, not a locale: upper case before lower case, "Z" before "a".
    expect(compareText('Z', 'a')).toBe(-1);
    expect(compareText('', 'A')).toBe(-1);
  });

  it('property: antisymmetric, zero exactly on equality, and agrees with the sign of a code-unit walk', () => {
    const walk = (a: string, b: string): number => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const d = a.charCodeAt(i) - b.charCodeAt(i);
        if (d !== 0) return Math.sign(d);
      }
      return Math.sign(a.length - b.length);
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), (a, b) => {
        expect(compareText(a, b)).toBe(walk(a, b));
        expect(compareText(b, a)).toBe(walk(b, a));
        expect(compareText(a, b) + compareText(b, a)).toBe(0);
        expect(compareText(a, a)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
