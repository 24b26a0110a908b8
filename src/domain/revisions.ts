/**
 * Budget revisions (SPEC 9.3): a State's difference between what it was
 * invoiced for a year and what the revised assessment gives it. What rises
 * is invoiced on a supplementary invoice; what falls is credited on the
 * State's invoices, the latest first. Pure; amounts in bigint centimes.
 */
import { minCentimes, type Centimes } from './money.js';

/** A line of one of the State's live invoices of the year: what is left of it after earlier partial credits. */
export interface InvoicedLine {
  invoice: string;
  /** Order of issue (the latest is credited first). */
  issued: number;
  category: string;
  position: number;
  remainingCentimes: Centimes;
}

export interface RevisionDifference {
  /** Lines of the supplementary invoice: the categories that rise, by how much. */
  supplementary: { category: string; position: number; amountCentimes: Centimes }[];
  /** What each invoice line is credited: the categories that fall, spread over the invoices, the latest first. */
  credits: { invoice: string; category: string; amountCentimes: Centimes }[];
}

/**
 * @param invoiced the State's live invoice lines of the year
 * @param target the revised assessment of the State, by category, with each category's position in the scheme
 */
export function revisionDifference(invoiced: readonly InvoicedLine[], target: readonly { category: string; position: number; amountCentimes: Centimes }[]): RevisionDifference {
  const categories = new Map<string, number>();
  for (const t of target) categories.set(t.category, t.position);
  for (const l of invoiced) if (!categories.has(l.category)) categories.set(l.category, l.position);
  const out: RevisionDifference = { supplementary: [], credits: [] };
  for (const [category, position] of [...categories].sort((a, b) => a[1] - b[1])) {
    const lines = invoiced.filter((l) => l.category === category);
    const base = lines.reduce((s, l) => s + l.remainingCentimes, 0n);
    const want = target.find((t) => t.category === category)?.amountCentimes ?? 0n;
    if (want > base) out.supplementary.push({ category, position, amountCentimes: want - base });
    // What falls is at most what was invoiced (the target is never negative), so the lines always cover it.
    let fall = base - want;
    for (const l of [...lines].sort((a, b) => b.issued - a.issued)) {
      const take = minCentimes(l.remainingCentimes, fall);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a credit of zero (nothing falls, or nothing is left of the line) is left out
      if (take > 0n) out.credits.push({ invoice: l.invoice, category, amountCentimes: take });
      fall -= take;
    }
  }
  return out;
}
