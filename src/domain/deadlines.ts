/**
 * Payment deadlines. The invoices of the batch carry the budget's cut-off
 * date; an invoice issued later in the year (a late joiner's, a supplementary
 * one after a revision) keeps it when it leaves at least MIN_PAYMENT_DAYS to
 * pay, else gets MIN_PAYMENT_DAYS from its issue. Pure.
 */
import { addDays, maxDate, type IsoDate } from './dates.js';

export const MIN_PAYMENT_DAYS = 30;

export function paymentDeadline(budgetCutoffDate: IsoDate, issueDate: IsoDate): IsoDate {
  return maxDate(budgetCutoffDate, addDays(issueDate, MIN_PAYMENT_DAYS));
}
