/**
 * Issue 14, done when: a reminder run on the demo as of a date after the
 * cut-off lists exactly the States whose overdue amount exceeds their
 * credit, and each letter's text carries each overdue invoice, what is left
 * on it and the total.
 *
 * The expected set is computed here from the ledger alone — the receivable
 * (account 1100) of each State and budget year, for the years whose invoices
 * are past due, against the State's unapplied credit (account 2100) — not
 * with the reminders code.
 */
import { numberConvention } from '../../src/domain/addressee.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { seedDemo } from '../../src/services/demo.js';
import { issueReminders, listReminderLetters, reminderPdf, remindersDue } from '../../src/services/reminders.js';
import { makeEnv, rowCounts, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';
import fs from 'node:fs';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 180_000);
afterAll(() => env.close());

const money = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;

/** The amount as the letter prints it in its language (no-break spaces read as spaces). */
/** An amount as the letter prints it: in the State's number convention (SPEC 9.10), else its language's. */
function printed(c: bigint, lang: 'en' | 'fr' | 'es', iso3: string): string {
  const row = env.ctx.sqlite.prepare('SELECT number_locale AS locale FROM states WHERE iso3 = ?').get(iso3) as { locale: string | null };
  const style = numberConvention(row.locale, lang);
  const [group, decimal] = { 'comma-dot': [',', '.'], 'space-comma': [' ', ','], 'dot-comma': ['.', ','], 'apostrophe-dot': ['’', '.'] }[style];
  const whole = String(c / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, group!);
  return `${whole}${decimal}${String(c % 100n).padStart(2, '0')}`;
}

interface Expected {
  iso3: string;
  language: 'en' | 'fr' | 'es';
  /** Each overdue invoice and what is left on it. */
  invoices: { number: string; leftCentimes: bigint }[];
  overdueCentimes: bigint;
  creditCentimes: bigint;
}

/** From the ledger: per State, the receivable of each budget year whose invoice is past due on asOf, and the credit held. */
function expectedOn(asOf: string): Expected[] {
  const sqlite = env.ctx.sqlite;
  const receivable = sqlite
    .prepare(
      `SELECT p.state_iso3 AS iso3, p.budget_year AS year, SUM(p.amount_centimes) AS c FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '1100' AND j.entry_date <= ? GROUP BY p.state_iso3, p.budget_year`,
    )
    .safeIntegers(true)
    .all(asOf) as { iso3: string; year: bigint; c: bigint }[];
  const credit = new Map(
    (
      sqlite
        .prepare(
          `SELECT p.state_iso3 AS iso3, -SUM(p.amount_centimes) AS c FROM postings p JOIN journal_entries j ON j.id = p.entry_id
            WHERE p.account_code = '2100' AND p.state_iso3 IS NOT NULL AND j.entry_date <= ? GROUP BY p.state_iso3`,
        )
        .safeIntegers(true)
        .all(asOf) as { iso3: string; c: bigint }[]
    ).map((r) => [r.iso3, r.c]),
  );
  const invoice = sqlite.prepare('SELECT number, cutoff_date AS due FROM invoices WHERE state_iso3 = ? AND year = ? AND issue_date <= ?');
  const language = sqlite.prepare('SELECT language FROM states WHERE iso3 = ?');
  const byState = new Map<string, Expected>();
  for (const r of receivable) {
    if (r.c === 0n) continue;
    const invs = invoice.all(r.iso3, r.year, asOf) as { number: string; due: string }[];
    // The demo has one invoice per State and year: the year's receivable is what is left on it.
    expect(invs, `${r.iso3} ${r.year}`).toHaveLength(1);
    if (!(invs[0]!.due < asOf)) continue;
    const e = byState.get(r.iso3) ?? { iso3: r.iso3, language: (language.get(r.iso3) as { language: 'en' | 'fr' | 'es' }).language, invoices: [], overdueCentimes: 0n, creditCentimes: credit.get(r.iso3) ?? 0n };
    e.invoices.push({ number: invs[0]!.number, leftCentimes: r.c });
    e.overdueCentimes += r.c;
    byState.set(r.iso3, e);
  }
  return [...byState.values()].filter((e) => e.overdueCentimes > e.creditCentimes).sort((a, b) => (a.iso3 < b.iso3 ? -1 : 1));
}

describe('reminders on the demo', () => {
  it('lists exactly the States whose overdue amount exceeds their credit, to the centime, on dates around the cut-offs', () => {
    for (const asOf of ['2017-03-31', '2017-04-01', '2018-03-31', '2018-04-01', '2018-06-30', '2018-12-31']) {
      const expected = expectedOn(asOf);
      const got = remindersDue(env.ctx, asOf);
      expect(
        got.states.map((s) => [s.iso3, s.invoices.map((i) => `${i.number}:${i.left}`).join(' '), s.overdue, s.credit, s.toPay]),
        asOf,
      ).toEqual(
        expected.map((e) => [
          e.iso3,
          e.invoices.map((i) => `${i.number}:${money(i.leftCentimes)}`).join(' '),
          money(e.overdueCentimes),
          money(e.creditCentimes),
          money(e.overdueCentimes - e.creditCentimes),
        ]),
      );
      expect(got.totals.toPay).toBe(money(expected.reduce((s, e) => s + e.overdueCentimes - e.creditCentimes, 0n)));
    }
    // On the cut-off date itself the year's invoices are still in time.
    expect(remindersDue(env.ctx, '2018-03-31').states.flatMap((s) => s.invoices).some((i) => i.year === 2018)).toBe(false);
    expect(remindersDue(env.ctx, '2018-04-01').states.flatMap((s) => s.invoices).some((i) => i.year === 2018)).toBe(true);
  });

  it('issues one letter per such State as of 30 June 2018, whose text carries each overdue invoice, what is left and the total', async () => {
    const asOf = '2018-06-30';
    const expected = expectedOn(asOf);
    expect(expected.length).toBeGreaterThan(10);
    const r = await issueReminders(env.ctx, cliActor('test'), { asOf, date: '2018-07-02' });
    expect(r.letters.map((l) => l.iso3)).toEqual(expected.map((e) => e.iso3));
    expect(r.letters.map((l) => l.number)).toEqual(expected.map((_, k) => `REM-2018-${String(k + 1).padStart(4, '0')}`));
    for (const [k, e] of expected.entries()) {
      const letter = r.letters[k]!;
      expect(letter.toPay).toBe(money(e.overdueCentimes - e.creditCentimes));
      const text = (await pdfText(fs.readFileSync((await reminderPdf(env.ctx, letter.number, null)).file))).replace(/\u00a0/g, ' ');
      for (const i of e.invoices) expect(text, `${letter.number} ${i.number}`).toMatch(new RegExp(`${i.number} .*${printed(i.leftCentimes, e.language, e.iso3).replace(/[.]/g, '\\.')}`));
      expect(text, letter.number).toContain(`CHF ${printed(e.overdueCentimes - e.creditCentimes, e.language, e.iso3)}`);
      expect(text, letter.number).toContain(printed(e.overdueCentimes, e.language, e.iso3));
      expect(text, letter.number).toContain(letter.number);
    }
    // States holding credit on the date (the demo's payers in excess) are never written to.
    const holding = (
      env.ctx.sqlite
        .prepare(
          `SELECT p.state_iso3 AS iso3 FROM postings p JOIN journal_entries j ON j.id = p.entry_id
            WHERE p.account_code = '2100' AND p.state_iso3 IS NOT NULL AND j.entry_date <= ? GROUP BY p.state_iso3 HAVING SUM(p.amount_centimes) < 0`,
        )
        .all(asOf) as { iso3: string }[]
    ).map((h) => h.iso3);
    expect(holding.length).toBeGreaterThan(0);
    for (const iso3 of holding) expect(r.letters.map((l) => l.iso3)).not.toContain(iso3);
    const totalToPay = expected.reduce((s, e) => s + e.overdueCentimes - e.creditCentimes, 0n);
    const credited = expected.filter((e) => e.creditCentimes > 0n).length;
    const fr = r.letters.find((l) => l.language === 'fr');
    console.log(
      `demo reminders as of ${asOf}: ${expected.length} States, CHF ${money(totalToPay)} to pay (${credited} with credit deducted; ${holding.length} States holding credit, none written to); ` +
        `letters ${r.letters[0]!.number} … ${r.letters.at(-1)!.number}; a French one: ${fr?.number} ${fr?.iso3} ${fr?.invoices.length} invoice(s), CHF ${fr?.toPay}`,
    );

    // The same day again: the same letters, nothing written.
    const before = rowCounts(env.ctx);
    const again = await issueReminders(env.ctx, cliActor('test'), { asOf, date: '2018-07-02' });
    expect(again.issued).toBe(0);
    expect(again.letters.map((l) => l.number)).toEqual(r.letters.map((l) => l.number));
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(listReminderLetters(env.ctx, { asOf }, null)).toHaveLength(expected.length);
  });
});
