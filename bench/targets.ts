/**
 * A benchmark figure's target and whether it is met (issue 19): a figure
 * without a target has `met: null` — never `true` — in results.json, and "—"
 * in the printed table. Pure, so that test/bench/targets.test.ts checks it.
 */

/** "< 20", "<= 2", ">= 5", "> 1": met is computed from the value, never written by hand; null without a target. */
export function meets(value: number, target: string | null): boolean | null {
  if (target === null) return null;
  const m = /^(<=|>=|<|>)\s*(-?[0-9.]+)$/.exec(target.trim());
  if (!m) throw new Error(`bad target ${target}`);
  const t = Number(m[2]);
  switch (m[1]) {
    case '<':
      return value < t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    default:
      return value >= t;
  }
}

/** The "met" cell of the printed table. */
export function metCell(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

export interface ResultRow {
  name: string;
  value: number;
  unit: string;
  target: string | null;
  met: boolean | null;
  baseline?: number;
  ratio?: number;
}

/** A row as written to results.json: target and met are null when the figure has no target. */
export function resultEntry(r: ResultRow): ResultRow {
  return {
    name: r.name,
    value: r.value,
    unit: r.unit,
    target: r.target,
    met: r.target === null ? null : r.met,
    ...(r.baseline !== undefined ? { baseline: r.baseline } : {}),
    ...(r.ratio !== undefined ? { ratio: r.ratio } : {}),
  };
}
