/**
 * How assessed money meets open invoices (SPEC 2.5): oldest invoice first
 * (budget year, then issue date, then number), and within an invoice the
 * scheme's order of categories (7(a) before 7(b)). Whatever is left over is
 * unapplied credit. Pure; amounts in bigint centimes.
 */
import type { Centimes } from './money.js';

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
    (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0) ||
    (a.invoiceNumber < b.invoiceNumber ? -1 : a.invoiceNumber > b.invoiceNumber ? 1 : 0) ||
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
    const take = line.openCentimes < left ? line.openCentimes : left;
    allocations.push({ invoiceNumber: line.invoiceNumber, budgetYear: line.budgetYear, category: line.category, amountCentimes: take });
    left -= take;
  }
  return { allocations, remainderCentimes: left };
}
