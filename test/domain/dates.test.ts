import { afterEach, describe, expect, it, vi } from 'vitest';
import { todayUtc } from '../../src/domain/dates.js';

afterEach(() => vi.useRealTimers());

describe('todayUtc', () => {
  it('follows the clock across midnight UTC, forwards and backwards', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2018-03-31T23:59:59.999Z'));
    expect(todayUtc()).toBe('2018-03-31');
    vi.setSystemTime(new Date('2018-04-01T00:00:00.000Z'));
    expect(todayUtc()).toBe('2018-04-01');
    vi.setSystemTime(new Date('2017-12-31T12:00:00.000Z'));
    expect(todayUtc()).toBe('2017-12-31');
    vi.setSystemTime(new Date('2017-12-31T00:00:00.000Z'));
    expect(todayUtc()).toBe('2017-12-31');
    vi.setSystemTime(new Date('2017-12-30T23:59:59.999Z'));
    expect(todayUtc()).toBe('2017-12-30');
  });

  it('gives the UTC date of a given instant', () => {
    expect(todayUtc(new Date('2018-03-31T23:30:00-02:00'))).toBe('2018-04-01');
  });
});
