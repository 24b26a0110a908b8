/**
 * Orderings shared by the domain's sorts: one comparison of text (ISO3
 * codes, ISO dates, invoice numbers) by UTF-16 code units, the same on every
 * machine and in every locale, so that every sort of money is deterministic.
 */

/** −1, 0 or 1 as `a` sorts before, with or after `b` (code-unit order, no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
