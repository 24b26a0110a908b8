/**
 * ISO 8601 calendar dates ("2018-03-31") handled as strings and integer
 * parts, never through the local time zone. Lexicographic order of valid
 * ISO dates is chronological order, so comparisons are string comparisons.
 */

export type IsoDate = string;

export const ISO_DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isIsoDate(input: string): boolean {
  const m = ISO_DATE_PATTERN.exec(input);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export interface DateParts {
  year: number;
  month: number; // 1–12
  day: number;
}

export function parseIsoDate(input: IsoDate): DateParts {
  if (!isIsoDate(input)) throw new Error(`not an ISO 8601 calendar date: ${JSON.stringify(input)}`);
  const [y, m, d] = input.split('-') as [string, string, string];
  return { year: Number(y), month: Number(m), day: Number(d) };
}

export function formatIsoDate({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first day of the month `monthsAhead` months after the month of `date`. */
export function firstOfMonthAfter(date: IsoDate, monthsAhead: number): IsoDate {
  const { year, month } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + monthsAhead;
  return formatIsoDate({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
}

/** The later of two dates (ISO dates sort as text). */
export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return [a, b].sort()[1]!;
}

// Stryker disable next-line StringLiteral: never returned: the initial range [0, 0) is empty, so the first call always computes the date
let today = { date: '', startMs: 0, endMs: 0 };

/** Today's date in UTC: of `now`, or of the clock (the day's string is kept until the clock leaves that day). */
export function todayUtc(now?: Date): IsoDate {
  if (now !== undefined) return now.toISOString().slice(0, 10);
  const t = Date.now();
  if (!(t >= today.startMs && t < today.endMs)) {
    const date = new Date(t).toISOString().slice(0, 10);
    const startMs = Date.parse(`${date}T00:00:00Z`);
    today = { date, startMs, endMs: startMs + 86_400_000 };
  }
  return today.date;
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000;
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
