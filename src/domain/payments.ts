/**
 * How assessed money meets open invoices (SPEC 2.5): oldest invoice first
 * (budget year, then issue date, then number), and within an invoice the
 * scheme's order of categories (7(a) before 7(b)). Whatever is left over is
 * unapplied credit. Pure; amounts in bigint centimes.
 */
import { compareText } from './compare.js';
import { minCentimes, type Centimes } from './money.js';

export interface OpenLine {
  invoiceNumber: string;
  budgetYear: number;
  issueDate: string;
  /** Position of the category in the scheme. */
  position: number;
  category: string;
  openCentimes: Centimes;
}

export interface Allocation {
  invoiceNumber: string;
  budgetYear: number;
  category: string;
  amountCentimes: Centimes;
}

export function applicationOrder(a: OpenLine, b: OpenLine): number {
  return (
    a.budgetYear - b.budgetYear ||
    compareText(a.issueDate, b.issueDate) ||
    compareText(a.invoiceNumber, b.invoiceNumber) ||
    a.position - b.position
  );
}

export function allocate(amountCentimes: Centimes, lines: readonly OpenLine[]): { allocations: Allocation[]; remainderCentimes: Centimes } {
  if (amountCentimes < 0n) throw new Error('internal: cannot allocate a negative amount');
  let left = amountCentimes;
  const allocations: Allocation[] = [];
  for (const line of [...lines].sort(applicationOrder)) {
    if (left === 0n) break;
    if (line.openCentimes <= 0n) continue;
    const take = minCentimes(line.openCentimes, left);
    allocations.push({ invoiceNumber: line.invoiceNumber, budgetYear: line.budgetYear, category: line.category, amountCentimes: take });
    left -= take;
  }
  return { allocations, remainderCentimes: left };
}
