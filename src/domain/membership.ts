/**
 * Membership of the Convention on Cluster Munitions (SPEC 2.1).
 */
import { firstOfMonthAfter, maxDate, type IsoDate } from './dates.js';

/** The Convention entered into force on 1 August 2010 (Article 17(1)). */
export const CONVENTION_ENTRY_INTO_FORCE: IsoDate = '2010-08-01';

/**
 * Article 17: for a State depositing its instrument, the Convention enters
 * into force on the first day of the sixth month after the month of deposit,
 * and never before 1 August 2010.
 */
export function entryIntoForce(depositDate: IsoDate): IsoDate {
  return maxDate(firstOfMonthAfter(depositDate, 6), CONVENTION_ENTRY_INTO_FORCE);
}

export interface MembershipDates {
  entryIntoForce: IsoDate | null;
  withdrawalEffective: IsoDate | null;
}

/**
 * A State is assessed for a budget when the Convention is in force for it on
 * the budget's membership date and no withdrawal is effective on that date.
 */
export function isAssessedOn(state: MembershipDates, membershipDate: IsoDate): boolean {
  if (state.entryIntoForce === null || state.entryIntoForce > membershipDate) return false;
  if (state.withdrawalEffective !== null && state.withdrawalEffective <= membershipDate) return false;
  return true;
}

/** Default membership date of budget year Y: 1 January of Y. */
export function defaultMembershipDate(year: number): IsoDate {
  return `${String(year).padStart(4, '0')}-01-01`;
}
