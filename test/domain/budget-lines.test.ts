import { describe, expect, it } from 'vitest';
import { executionFigures, linesDifference } from '../../src/domain/budget-lines.js';

describe('budget lines', () => {
  it('the difference between the amount and its lines', () => {
    expect(linesDifference(10_000n, [6_000n, 4_000n])).toBe(0n);
    expect(linesDifference(10_000n, [6_000n, 3_999n])).toBe(1n);
    expect(linesDifference(10_000n, [6_000n, 4_001n])).toBe(-1n);
    expect(linesDifference(500n, [])).toBe(500n);
  });

  it('remaining and percent spent, one decimal half-even', () => {
    expect(executionFigures(10_000n, 2_500n)).toEqual({ remainingCentimes: 7_500n, percentSpent: '25.0' });
    expect(executionFigures(10_000n, 12_000n)).toEqual({ remainingCentimes: -2_000n, percentSpent: '120.0' });
    // 1/3 = 33.333… → 33.3; 2/3 = 66.666… → 66.7
    expect(executionFigures(3n, 1n).percentSpent).toBe('33.3');
    expect(executionFigures(3n, 2n).percentSpent).toBe('66.7');
    // 0.25 % and 0.35 % at one decimal: ties go to the even digit.
    expect(executionFigures(4_000n, 10n).percentSpent).toBe('0.2');
    expect(executionFigures(20_000n, 70n).percentSpent).toBe('0.4');
    expect(executionFigures(0n, 0n)).toEqual({ remainingCentimes: 0n, percentSpent: null });
    expect(executionFigures(0n, 500n)).toEqual({ remainingCentimes: -500n, percentSpent: null });
    expect(executionFigures(10_000n, 0n).percentSpent).toBe('0.0');
  });
});
