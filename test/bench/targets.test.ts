/** Issue 19: a figure without a target is not "met" — results.json says null and the table "—". */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { meets, metCell, resultEntry } from '../../bench/targets.js';

describe('benchmark targets', () => {
  it('computes met from the value at each comparison’s boundary, and null without a target', () => {
    expect(meets(19.9, '< 20')).toBe(true);
    expect(meets(20, '< 20')).toBe(false);
    expect(meets(2, '<= 2')).toBe(true);
    expect(meets(2.01, '<= 2')).toBe(false);
    expect(meets(5, '>= 5')).toBe(true);
    expect(meets(4.99, '>= 5')).toBe(false);
    expect(meets(1, '> 1')).toBe(false);
    expect(meets(1.01, '> 1')).toBe(true);
    expect(meets(3, null)).toBeNull();
    expect(() => meets(3, 'about 5')).toThrow(/bad target/);
  });

  it('writes met: null (never true) for a figure without a target, and prints "—"', () => {
    expect(resultEntry({ name: 'api.bare-rps', value: 9000, unit: 'req/s', target: null, met: null })).toEqual({ name: 'api.bare-rps', value: 9000, unit: 'req/s', target: null, met: null });
    expect(resultEntry({ name: 'x', value: 1, unit: 's', target: '< 2', met: true, ratio: 0.5 })).toEqual({ name: 'x', value: 1, unit: 's', target: '< 2', met: true, ratio: 0.5 });
    expect(metCell(null)).toBe('—');
    expect(metCell(true)).toBe('yes');
    expect(metCell(false)).toBe('NO');
  });

  it('the committed results.json has no figure without a target marked met', () => {
    const results = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'bench', 'results.json'), 'utf8')) as { benchmarks: { target: string | null; met: boolean | null }[] };
    for (const b of results.benchmarks) {
      if (b.target === null || b.target === '') expect(b.met, JSON.stringify(b)).toBeNull();
      else expect(typeof b.met).toBe('boolean');
    }
  });
});
