/**
 * Plausibility limits (issue 16, finding 13): the `limits` setting, read by
 * every service that records money or a budget, and the checks they make.
 * The comparisons are src/domain/plausibility.ts; here, the setting and the
 * words of the refusal (422 naming the field).
 */
import { checkAmount, checkDateWindow, dateWindow, paymentThreshold } from '../domain/plausibility.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, parseMoney, type Centimes } from '../domain/money.js';
import { writeAudit } from '../db/repositories/audit.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../db/client.js';
import { DEFAULT_LIMITS, limitsSettings, type LimitsSettings } from '../schemas/limits.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ValidationError } from './errors.js';

const WHERE = 'a plausibility limit, which an admin sets: PUT /api/v1/settings/limits';

/** The limits in force: the setting, or the defaults where it says nothing. */
export function getLimits(db: DbOrTx): LimitsSettings {
  const row = cachedStatement(connectionOf(db), "SELECT value FROM settings WHERE key = 'limits'").get() as { value: string } | undefined;
  if (!row) return { ...DEFAULT_LIMITS };
  return limitsSettings.parse({ ...DEFAULT_LIMITS, ...(JSON.parse(row.value) as object) });
}

export function setLimits(ctx: Ctx, actor: Actor, input: LimitsSettings): LimitsSettings {
  const after = limitsSettings.parse(input);
  ctx.db.transaction(
    (tx) => {
      const conn = connectionOf(tx);
      const before = getLimits(tx);
      conn
        .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('limits', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .run(JSON.stringify(after), new Date().toISOString());
      writeAudit(tx, actor, 'settings', 'limits', { before, after });
    },
    { behavior: 'immediate' },
  );
  return after;
}

/** Refuses a date outside [earliestDate, today + futureDays], naming the field. */
export function assertPlausibleDate(db: DbOrTx, field: string, date: string, limits: LimitsSettings = getLimits(db)): void {
  const window = dateWindow(limits.earliestDate, todayUtc(), limits.futureDays);
  const verdict = checkDateWindow(date, window);
  if (verdict === 'too-early')
    throw new ValidationError([{ field, message: `must not be before ${limits.earliestDate}, the earliest date accepted (${WHERE})` }]);
  if (verdict === 'too-late')
    throw new ValidationError([{ field, message: `must not be after ${window.latest}, ${limits.futureDays} days from today (${WHERE})` }]);
}

function tooLarge(field: string, amount: Centimes, limits: LimitsSettings): ValidationError {
  return new ValidationError([
    { field, message: `CHF ${formatMoney(amount)} is more than the largest amount accepted, CHF ${limits.largestAmount} (${WHERE}); check the amount` },
  ]);
}

/** Refuses an amount above the largest amount accepted (expenditures, reserve movements, budgets). */
export function assertPlausibleAmount(db: DbOrTx, field: string, amount: Centimes, limits: LimitsSettings = getLimits(db)): void {
  if (checkAmount(amount, { largest: parseMoney(limits.largestAmount), confirmAbove: null }, false) === 'too-large') throw tooLarge(field, amount, limits);
}

/** The current amount of the budget of `year` (its latest revision), if there is one. */
function budgetAmount(db: DbOrTx, year: number): Centimes | null {
  const row = cachedStatement(
    connectionOf(db),
    `SELECT COALESCE((SELECT amount_centimes FROM budget_versions WHERE year = @year ORDER BY version DESC LIMIT 1),
                     (SELECT amount_centimes FROM budgets WHERE year = @year)) AS amount`,
    { bigints: true },
  ).get({ year }) as { amount: bigint | null };
  return row.amount;
}

/** What the audit row of a confirmed large payment says. */
export interface LargeConfirmation {
  above: string;
  because: string;
}

/**
 * A payment's amount and value date: the date in the window; the amount at
 * most the largest amount, and above the large-payment threshold (the
 * setting, or the budget of the value date's year) only with `confirmLarge`.
 * Returns what was confirmed, for the audit row, or null.
 */
export function checkPaymentPlausibility(
  db: DbOrTx,
  input: { amount: Centimes; date: string; confirmLarge?: boolean | undefined },
  fields: { amount: string; date: string } = { amount: 'amount', date: 'receivedOn' },
): LargeConfirmation | null {
  const limits = getLimits(db);
  assertPlausibleDate(db, fields.date, input.date, limits);
  const year = Number.parseInt(input.date.slice(0, 4), 10);
  const setting = limits.largePayment === null ? null : parseMoney(limits.largePayment);
  const budget = setting === null ? budgetAmount(db, year) : null;
  const threshold = paymentThreshold(setting, budget);
  const because = setting !== null ? 'the large-payment limit' : `the budget of ${year}`;
  const verdict = checkAmount(input.amount, { largest: parseMoney(limits.largestAmount), confirmAbove: threshold }, input.confirmLarge === true);
  if (verdict === 'too-large') throw tooLarge(fields.amount, input.amount, limits);
  if (verdict === 'needs-confirmation')
    throw new ValidationError(
      [
        {
          field: fields.amount,
          message: `CHF ${formatMoney(input.amount)} is more than ${because} (CHF ${formatMoney(threshold!)}): check the amount, and if it is right send it again with confirmLarge: true`,
        },
      ],
    );
  return threshold !== null && input.amount > threshold ? { above: formatMoney(threshold), because } : null;
}

/**
 * A budget's figures, those given: its year between the earliest date's year
 * and the year after the latest date's; its amount at most the largest
 * amount; its dates in the window.
 */
export function assertPlausibleBudget(
  db: DbOrTx,
  b: { year?: number | undefined; amount?: string | undefined; approvedOn?: string | undefined; membershipDate?: string | undefined; cutoffDate?: string | undefined },
): void {
  const limits = getLimits(db);
  if (b.year !== undefined) {
    const first = Number.parseInt(limits.earliestDate.slice(0, 4), 10);
    const last = Number.parseInt(dateWindow(limits.earliestDate, todayUtc(), limits.futureDays).latest.slice(0, 4), 10) + 1;
    if (b.year < first || b.year > last)
      throw new ValidationError([{ field: 'year', message: `must be between ${first} and ${last} (from the earliest date accepted to the year after ${limits.futureDays} days from today: ${WHERE})` }]);
  }
  if (b.amount !== undefined) assertPlausibleAmount(db, 'amount', parseMoney(b.amount), limits);
  for (const field of ['approvedOn', 'membershipDate', 'cutoffDate'] as const) {
    const date = b[field];
    if (date !== undefined) assertPlausibleDate(db, field, date, limits);
  }
}
