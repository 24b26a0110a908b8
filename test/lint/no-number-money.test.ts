/**
 * Money and rates never pass through a JS number (SPEC 3). This scans the
 * source for the ways they could: parseFloat, Number()/parseInt()/unary plus
 * on something named like money, Math on money, z.number() in schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const MONEYISH = '(amount|rate|share|total|balance|centimes|money|chf|sum|paid|due|outstanding)';
const RULES: [string, RegExp][] = [
  ['parseFloat', /\bparseFloat\s*\(/],
  ['Number() on money', new RegExp(`\\bNumber\\s*\\([^)]*${MONEYISH}`, 'i')],
  ['parseInt() on money', new RegExp(`\\bparseInt\\s*\\([^)]*${MONEYISH}`, 'i')],
  ['Math on money', new RegExp(`\\bMath\\.\\w+\\s*\\([^)]*${MONEYISH}`, 'i')],
  ['unary plus on money', new RegExp(`[=(,]\\s*\\+\\s*\\w*${MONEYISH}`, 'i')],
  ['z.number() in a schema', /\bz\.number\s*\(/],
  ['toNumber()', /\.toNumber\s*\(/],
];

export function findViolations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return;
    for (const [name, re] of RULES) if (re.test(line)) out.push(`${i + 1}: ${name}: ${line.trim()}`);
  });
  return out;
}

describe('money never lives in a JS number', () => {
  it('the rules catch the patterns they are meant to', () => {
    expect(findViolations('const x = parseFloat(input);')).toHaveLength(1);
    expect(findViolations('const c = Number(row.amount_centimes);')).toHaveLength(1);
    expect(findViolations('const t = Math.round(total * 100);')).toHaveLength(1);
    expect(findViolations('const r = +rate;')).toHaveLength(1);
    expect(findViolations("amount: z.number(),")).toHaveLength(1);
    expect(findViolations('const y = Number.parseInt(s, 10);')).toHaveLength(0);
  });

  it('no source file under src/ breaks them', () => {
    const violations = sourceFiles(path.join(PROJECT_ROOT, 'src')).flatMap((f) =>
      findViolations(fs.readFileSync(f, 'utf8')).map((v) => `${path.relative(PROJECT_ROOT, f)}:${v}`),
    );
    expect(violations).toEqual([]);
  });
});
