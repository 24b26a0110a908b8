/**
 * `isu verify`: checks the ledger invariants of SPEC 2.8 on the whole
 * database. Every check is a query whose rows are breaches; sums are read as
 * bigint (safeIntegers), never as JS numbers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
  counts: { journalEntries: string; postings: string; auditRows: string };
}

const APPEND_ONLY_TRIGGERS = [
  'journal_entries_no_update',
  'journal_entries_no_delete',
  'postings_no_update',
  'postings_no_delete',
  'audit_log_no_update',
  'audit_log_no_delete',
  'scales_no_update',
  'scales_no_delete',
  'scale_rates_no_update',
  'scale_rates_no_delete',
  'invoices_no_update',
  'invoices_no_delete',
  'invoice_lines_no_update',
  'invoice_lines_no_delete',
  'credit_notes_no_update',
  'credit_notes_no_delete',
  'assessment_snapshots_no_update',
  'assessment_snapshots_no_delete',
  'budgets_frozen_after_invoicing',
  'payments_no_update',
  'payments_no_delete',
  'applications_no_update',
  'applications_no_delete',
  'credit_reclassifications_no_update',
  'credit_reclassifications_no_delete',
  'reserve_movements_no_update',
  'reserve_movements_no_delete',
  'expenditures_no_update',
  'expenditures_no_delete',
  'reversals_no_update',
  'reversals_no_delete',
  'period_locks_no_update',
  'period_locks_no_delete',
  'budget_versions_no_update',
  'budget_versions_no_delete',
  'credit_note_lines_no_update',
  'credit_note_lines_no_delete',
  'bank_statements_no_update',
  'bank_statements_no_delete',
  'bank_lines_no_update',
  'bank_lines_no_delete',
  'bank_line_actions_no_update',
  'bank_line_actions_no_delete',
  'reminders_no_update',
  'reminders_no_delete',
  'reminder_lines_no_update',
  'reminder_lines_no_delete',
  'deliveries_no_update',
  'deliveries_no_delete',
  'budget_lines_no_update',
  'budget_lines_no_delete',
  'year_closings_no_update',
  'issuer_changes_no_update',
  'issuer_changes_no_delete',
  'issuer_change_decisions_no_update',
  'issuer_change_decisions_no_delete',
  'year_closings_no_delete',
];

export function verifyLedger(ctx: Pick<Ctx, 'sqlite'> & Partial<Pick<Ctx, 'invoiceDir'>>): VerifyReport {
  const { sqlite } = ctx;
  const all = (query: string, ...params: unknown[]) => sqlite.prepare(query).safeIntegers(true).all(...params) as Record<string, unknown>[];
  const one = (query: string) => sqlite.prepare(query).safeIntegers(true).get() as Record<string, bigint | null>;
  const checks: CheckResult[] = [];
  const check = (name: string, breaches: unknown[], describe: (rows: unknown[]) => string, okDetail = 'ok') =>
    checks.push({ name, ok: breaches.length === 0, detail: breaches.length === 0 ? okDetail : describe(breaches) });
  const list = (rows: unknown[], key: string) =>
    rows
      .slice(0, 10)
      .map((r) => String((r as Record<string, unknown>)[key]))
      .join(', ') + (rows.length > 10 ? ` and ${rows.length - 10} more` : '');

  const unbalanced = all('SELECT entry_id, SUM(amount_centimes) AS off FROM postings GROUP BY entry_id HAVING SUM(amount_centimes) <> 0');
  check('every journal entry balances', unbalanced, (rows) => `${rows.length} unbalanced entr${rows.length === 1 ? 'y' : 'ies'}: ${list(rows, 'entry_id')}`);

  const thin = all(
    'SELECT je.id FROM journal_entries je LEFT JOIN postings p ON p.entry_id = je.id GROUP BY je.id HAVING count(p.id) < 2',
  );
  check('every journal entry has at least two postings', thin, (rows) => `entries ${list(rows, 'id')}`);

  const trial = one('SELECT COALESCE(SUM(amount_centimes), 0) AS total FROM postings');
  const trialTotal = trial.total ?? 0n;
  check('the trial balance is zero', trialTotal === 0n ? [] : [trialTotal], () => `postings sum to ${trialTotal.toString()} centimes`);

  const noState = all("SELECT id FROM postings WHERE account_code IN ('1100', '2100') AND state_iso3 IS NULL");
  check('receivable and unapplied-credit postings name their State', noState, (rows) => `postings ${list(rows, 'id')}`);

  const badReversal = all(
    'SELECT je.id FROM journal_entries je WHERE je.reverses_entry_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM journal_entries o WHERE o.id = je.reverses_entry_id AND o.id < je.id)',
  );
  check('reversals point at an earlier entry', badReversal, (rows) => `entries ${list(rows, 'id')}`);

  const triggers = new Set(
    (all("SELECT name FROM sqlite_master WHERE type = 'trigger'") as { name: string }[]).map((r) => r.name),
  );
  const missing = APPEND_ONLY_TRIGGERS.filter((t) => !triggers.has(t));
  check('append-only triggers are in place', missing, (rows) => `missing: ${rows.join(', ')}`);

  // Invoices and credit notes (SPEC 2.4).
  const invoiceEntryMismatch = all(
    `SELECT i.number FROM invoices i
      WHERE (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p JOIN journal_entries j ON j.id = p.entry_id
              WHERE p.entry_id = i.journal_entry_id AND p.account_code = '1100' AND p.state_iso3 = i.state_iso3 AND p.budget_year = i.year
                AND j.kind = 'invoice' AND j.ref_id = i.number) <> i.total_centimes`,
  );
  check('every invoice is in the ledger: its receivable posting equals its total', invoiceEntryMismatch, (rows) => `invoices ${list(rows, 'number')}`);

  const linesMismatch = all(
    'SELECT i.number FROM invoices i WHERE (SELECT COALESCE(SUM(l.amount_centimes), 0) FROM invoice_lines l WHERE l.invoice_number = i.number) <> i.total_centimes',
  );
  check("every invoice's lines sum to its total", linesMismatch, (rows) => `invoices ${list(rows, 'number')}`);

  const cnMismatch = all(
    `SELECT c.number FROM credit_notes c JOIN invoices i ON i.number = c.invoice_number
      WHERE c.total_centimes <> (CASE c.kind
              WHEN 'partial' THEN (SELECT COALESCE(SUM(l.amount_centimes), 0) FROM credit_note_lines l WHERE l.credit_note_number = c.number)
              ELSE i.total_centimes - (SELECT COALESCE(SUM(l.amount_centimes), 0) FROM credit_note_lines l JOIN credit_notes p ON p.number = l.credit_note_number
                                        WHERE p.invoice_number = i.number AND p.kind = 'partial') END)
         OR c.state_iso3 <> i.state_iso3
         OR (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p JOIN journal_entries j ON j.id = p.entry_id
              WHERE p.entry_id = c.journal_entry_id AND p.account_code = '1100' AND p.state_iso3 = c.state_iso3 AND p.amount_centimes < 0
                AND j.kind = 'credit-note' AND j.ref_id = c.number) <> -c.total_centimes`,
  );
  check('every credit note credits in the ledger what it says (a cancellation: what is left of its invoice; a partial one: its lines)', cnMismatch, (rows) => `credit notes ${list(rows, 'number')}`);

  const gaps = all(
    `SELECT 'invoices ' || year AS what FROM invoices GROUP BY year HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*)
     UNION ALL
     SELECT 'credit notes ' || year FROM credit_notes GROUP BY year HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*)`,
  );
  check('numbering is gapless per year', gaps, (rows) => `gaps in ${list(rows, 'what')}`);

  const unfrozen = all('SELECT DISTINCT i.year FROM invoices i LEFT JOIN assessment_snapshots s ON s.year = i.year WHERE s.year IS NULL');
  check('every invoiced budget has its frozen assessment', unfrozen, (rows) => `years ${list(rows, 'year')}`);

  const stateBalance = all(
    `WITH ledger AS (SELECT state_iso3 AS iso3, SUM(amount_centimes) AS amount FROM postings WHERE account_code = '1100' GROUP BY state_iso3),
          docs AS (SELECT iso3, SUM(amount) AS amount FROM (
                     SELECT state_iso3 AS iso3, total_centimes AS amount FROM invoices
                     UNION ALL SELECT state_iso3, -total_centimes FROM credit_notes
                     UNION ALL SELECT state_iso3, -amount_centimes FROM applications) GROUP BY iso3)
     SELECT COALESCE(l.iso3, d.iso3) AS iso3 FROM ledger l FULL OUTER JOIN docs d ON d.iso3 = l.iso3
      WHERE COALESCE(l.amount, 0) <> COALESCE(d.amount, 0)`,
  );
  check("each State's balance equals the sum of its receivable postings", stateBalance, (rows) => `States ${list(rows, 'iso3')}`);

  // Payments and their application (SPEC 2.5).
  const overApplied = all(
    `SELECT l.invoice_number || ' ' || l.category AS line FROM invoice_lines l
      WHERE (SELECT COALESCE(SUM(a.amount_centimes), 0) FROM applications a WHERE a.invoice_number = l.invoice_number AND a.category = l.category)
            NOT BETWEEN 0 AND l.amount_centimes - (SELECT COALESCE(SUM(cl.amount_centimes), 0) FROM credit_note_lines cl JOIN credit_notes c ON c.number = cl.credit_note_number
                                                    WHERE c.invoice_number = l.invoice_number AND c.kind = 'partial' AND cl.category = l.category)`,
  );
  check('no invoice line is paid beyond its amount (or below zero)', overApplied, (rows) => `lines ${list(rows, 'line')}`);

  const negativeCredit = all(
    "SELECT state_iso3 AS iso3 FROM postings WHERE account_code = '2100' GROUP BY state_iso3 HAVING SUM(amount_centimes) > 0",
  );
  check('no State has negative unapplied credit', negativeCredit, (rows) => `States ${list(rows, 'iso3')}`);

  const paymentMismatch = all(
    `SELECT pay.id FROM payments pay
      WHERE (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p WHERE p.entry_id = pay.journal_entry_id AND p.account_code IN ('1000', '1010') AND p.amount_centimes > 0) <> pay.amount_centimes
         OR (pay.purpose = 'assessed' AND (SELECT COALESCE(SUM(a.amount_centimes), 0) FROM applications a WHERE a.payment_id = pay.id AND a.source = 'payment') > pay.amount_centimes)`,
  );
  check('every payment is in the ledger with its amount, and applies no more than it brought', paymentMismatch, (rows) => `payments ${list(rows, 'id')}`);

  const creditLedger = all(
    `WITH ledger AS (SELECT state_iso3 AS iso3, -SUM(amount_centimes) AS amount FROM postings WHERE account_code = '2100' GROUP BY state_iso3),
          docs AS (SELECT iso3, SUM(amount) AS amount FROM (
                     SELECT pay.state_iso3 AS iso3, pay.amount_centimes AS amount FROM payments pay WHERE pay.purpose = 'assessed'
                     UNION ALL SELECT pay.state_iso3, -pay.amount_centimes FROM payments pay
                                JOIN reversals v ON v.entity_type = 'payment' AND v.entity_id = pay.id WHERE pay.purpose = 'assessed'
                     UNION ALL SELECT a.state_iso3, -a.amount_centimes FROM applications a
                     UNION ALL SELECT r.state_iso3, -r.amount_centimes FROM credit_reclassifications r) GROUP BY iso3)
     SELECT COALESCE(l.iso3, d.iso3) AS iso3 FROM ledger l FULL OUTER JOIN docs d ON d.iso3 = l.iso3
      WHERE COALESCE(l.amount, 0) <> COALESCE(d.amount, 0)`,
  );
  check("each State's unapplied credit = its payments − reversed payments − applications − reclassifications", creditLedger, (rows) => `States ${list(rows, 'iso3')}`);

  // The working capital reserve (SPEC 2.6).
  const reserveMismatch = all(
    `SELECT 'reserve' AS what WHERE
       (SELECT COALESCE(SUM(amount_centimes), 0) FROM postings WHERE account_code = '1010') <>
       (SELECT COALESCE(SUM(CASE WHEN kind IN ('contribution', 'transfer', 'restoration') THEN amount_centimes ELSE -amount_centimes END), 0) FROM reserve_movements m
         WHERE NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'reserve-movement' AND v.entity_id = m.id))
       + (SELECT COALESCE(SUM(amount_centimes), 0) FROM payments p WHERE purpose = 'reserve'
           AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'payment' AND v.entity_id = p.id))
       + (SELECT COALESCE(SUM(amount_centimes), 0) FROM credit_reclassifications WHERE "to" = 'reserve')`,
  );
  check('the reserve balance equals its account (contributions + transfers − drawdowns + restorations, none reversed)', reserveMismatch, () => 'account 1010 differs from the reserve movements');

  // Corrections (SPEC 9.3) and period locks (SPEC 9.4).
  const badLinks = all(
    `SELECT v.id FROM reversals v JOIN journal_entries j ON j.id = v.journal_entry_id
      WHERE j.entry_date <> v.date
         OR j.reverses_entry_id IS NOT (CASE v.entity_type
              WHEN 'payment' THEN (SELECT journal_entry_id FROM payments WHERE id = v.entity_id)
              WHEN 'expenditure' THEN (SELECT journal_entry_id FROM expenditures WHERE id = v.entity_id)
              ELSE (SELECT journal_entry_id FROM reserve_movements WHERE id = v.entity_id) END)
         OR (v.replacement_payment_id IS NOT NULL AND (v.entity_type <> 'payment'
             OR (SELECT amount_centimes FROM payments WHERE id = v.replacement_payment_id) <> (SELECT amount_centimes FROM payments WHERE id = v.entity_id)))`,
  );
  check('every reversal reverses its original (and a reallocation moves the same amount)', badLinks, (rows) => `reversals ${list(rows, 'id')}`);

  const reversalEntries = all(
    `SELECT j.id FROM journal_entries j
      WHERE (j.kind IN ('payment.reversal', 'expenditure.reversal') OR j.kind LIKE 'reserve-%.reversal')
        AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.journal_entry_id = j.id)`,
  );
  check('every reversing entry is recorded as a reversal', reversalEntries, (rows) => `entries ${list(rows, 'id')}`);

  const badReissues = all(
    `SELECT i.number FROM invoices i LEFT JOIN invoices o ON o.number = i.original_invoice
      WHERE i.kind = 'reissue' AND (o.number IS NULL OR o.state_iso3 <> i.state_iso3 OR o.year <> i.year OR o.total_centimes <> i.total_centimes
            OR NOT EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = o.number AND c.kind = 'cancellation'))`,
  );
  check('every re-issued invoice replaces a cancelled invoice of its State, year and amount', badReissues, (rows) => `invoices ${list(rows, 'number')}`);

  const badRevisionLinks = all(
    `SELECT i.number FROM invoices i
      WHERE (i.kind = 'supplementary') <> (i.budget_version IS NOT NULL)
         OR (i.kind = 'supplementary' AND (NOT EXISTS (SELECT 1 FROM budget_versions v WHERE v.year = i.year AND v.version = i.budget_version)
             OR NOT EXISTS (SELECT 1 FROM invoices o WHERE o.number = i.original_invoice AND o.state_iso3 = i.state_iso3 AND o.year = i.year)))
     UNION ALL
     SELECT c.number FROM credit_notes c
      WHERE (c.kind = 'partial') <> (c.budget_version IS NOT NULL)
         OR (c.kind = 'partial' AND NOT EXISTS (SELECT 1 FROM budget_versions v WHERE v.year = c.year AND v.version = c.budget_version))`,
  );
  check(
    'every supplementary invoice and partial credit note points at a budget version of its year (and a supplementary invoice at its State’s invoice)',
    badRevisionLinks,
    (rows) => `documents ${list(rows, 'number')}`,
  );

  // Each revision issued exactly what its plan says, State by State (an interrupted one is completed by posting it again).
  const cents = (s: string) => BigInt(s.replace('.', ''));
  const planBreaches: { what: string }[] = [];
  for (const v of all('SELECT year, version, plan FROM budget_versions ORDER BY year, version') as { year: bigint; version: bigint; plan: string }[]) {
    const plan = JSON.parse(v.plan) as {
      states: { iso3: string; supplementary: { amount: string }[]; credits: { invoice: string; category: string; amount: string }[] }[];
    };
    const supplementary = new Map(
      (all("SELECT state_iso3 AS iso3, SUM(total_centimes) AS s FROM invoices WHERE kind = 'supplementary' AND year = ? AND budget_version = ? GROUP BY state_iso3", v.year, v.version) as {
        iso3: string;
        s: bigint;
      }[]).map((r) => [r.iso3, r.s]),
    );
    const credited = new Map(
      (all(
        `SELECT c.invoice_number || '|' || l.category AS k, SUM(l.amount_centimes) AS s FROM credit_note_lines l JOIN credit_notes c ON c.number = l.credit_note_number
          WHERE c.kind = 'partial' AND c.year = ? AND c.budget_version = ? GROUP BY c.invoice_number, l.category`,
        v.year,
        v.version,
      ) as { k: string; s: bigint }[]).map((r) => [r.k, r.s]),
    );
    let planned = 0;
    for (const s of plan.states) {
      const want = s.supplementary.reduce((a, l) => a + cents(l.amount), 0n);
      if ((supplementary.get(s.iso3) ?? 0n) !== want) planBreaches.push({ what: `${v.year} v${v.version} ${s.iso3} supplementary` });
      supplementary.delete(s.iso3);
      for (const c of s.credits) {
        planned++;
        if (credited.get(`${c.invoice}|${c.category}`) !== cents(c.amount)) planBreaches.push({ what: `${v.year} v${v.version} ${c.invoice} ${c.category} credit` });
      }
    }
    for (const iso3 of supplementary.keys()) planBreaches.push({ what: `${v.year} v${v.version} ${iso3} unplanned supplementary` });
    if (credited.size !== planned) planBreaches.push({ what: `${v.year} v${v.version} unplanned credits` });
  }
  check('every budget revision issued the documents of its plan, to the centime', planBreaches, (rows) => `${list(rows, 'what')} (post the revision again to complete it)`);

  const inLockedPeriod = all(
    `SELECT j.id FROM journal_entries j JOIN period_locks l
        ON l.action = 'close' AND j.entry_date <= l.through AND j.created_at > l.at
      WHERE NOT EXISTS (SELECT 1 FROM period_locks r WHERE r.id > l.id AND r.at < j.created_at AND (r.through IS NULL OR j.entry_date > r.through))
        AND NOT EXISTS (SELECT 1 FROM year_closings c WHERE c.journal_entry_id = j.id)`,
  );
  check('no entry was dated inside a locked period after it was locked (a year\'s closing entry is its closer)', inLockedPeriod, (rows) => `entries ${list(rows, 'id')}`);

  // Closed years (SPEC 9.4): income and expense accounts are zero over the year's entries, nothing was posted into it afterwards.
  const notZeroed = all(
    `SELECT c.year || ' ' || p.account_code AS what FROM year_closings c
       JOIN journal_entries j ON j.entry_date BETWEEN c.year || '-01-01' AND c.year || '-12-31'
       JOIN postings p ON p.entry_id = j.id AND (p.account_code LIKE '4%' OR p.account_code LIKE '5%')
      GROUP BY c.year, p.account_code HAVING SUM(p.amount_centimes) <> 0`,
  );
  check("every closed year's income and expense accounts are zero after its closing", notZeroed, (rows) => `not zero: ${list(rows, 'what')}`);
  const afterClosing = all(
    `SELECT j.id FROM year_closings c JOIN journal_entries j ON j.entry_date BETWEEN c.year || '-01-01' AND c.year || '-12-31'
      WHERE (c.journal_entry_id IS NOT NULL AND j.id > c.journal_entry_id) OR (c.journal_entry_id IS NULL AND j.created_at > c.created_at)`,
  );
  check('nothing was posted into a closed year after its closing', afterClosing, (rows) => `entries ${list(rows, 'id')}`);
  const badClosings = all(
    `SELECT c.year FROM year_closings c LEFT JOIN journal_entries j ON j.id = c.journal_entry_id
      WHERE (c.journal_entry_id IS NOT NULL AND (j.kind IS NOT 'year-close' OR j.entry_date <> c.year || '-12-31'
               OR (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p WHERE p.entry_id = j.id AND p.account_code = '3200') <> -c.surplus_centimes))
         OR (SELECT through FROM period_locks WHERE id = c.period_lock_id) < c.year || '-12-31'`,
  );
  check('every closing entry is dated 31 December and carries its surplus to the accumulated fund, under a lock through the year', badClosings, (rows) => `years ${list(rows, 'year')}`);

  const reserveDays = all(
    `SELECT j.entry_date AS date, SUM(p.amount_centimes) AS delta FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code = '1010' GROUP BY j.entry_date ORDER BY j.entry_date`,
  ) as { date: string; delta: bigint }[];
  let reserveRunning = 0n;
  const negativeDays: { date: string }[] = [];
  for (const d of reserveDays) {
    reserveRunning += d.delta;
    if (reserveRunning < 0n) negativeDays.push({ date: d.date });
  }
  check('the reserve never went below zero', negativeDays, (rows) => `negative on ${list(rows, 'date')}`);

  const overRestored = all(
    `SELECT d.id FROM reserve_movements d WHERE d.kind = 'drawdown'
       AND (SELECT COALESCE(SUM(r.amount_centimes), 0) FROM reserve_movements r WHERE r.kind = 'restoration' AND r.drawdown_id = d.id) > d.amount_centimes`,
  );
  check('no drawdown is restored beyond its amount', overRestored, (rows) => `drawdowns ${list(rows, 'id')}`);

  // Bank lines (SPEC 9.6): what each was recorded as agrees with what the bank said.
  const badBankPayments = all(
    `SELECT a.line_id AS line FROM bank_line_actions a JOIN bank_lines l ON l.id = a.line_id JOIN bank_statements s ON s.id = l.statement_id
       LEFT JOIN payments p ON p.id = a.payment_id
      WHERE a.action = 'payment'
        AND (p.id IS NULL OR l.direction <> 'credit' OR p.amount_centimes <> l.amount_centimes OR p.received_on <> l.value_date
             OR p.bank_reference IS NOT l.entry_key OR (s.account_role = 'reserve' AND p.purpose <> 'reserve')
             OR (a.automatic = 1 AND p.state_iso3 IS NOT COALESCE(
                   (SELECT i.state_iso3 FROM invoices i WHERE i.creditor_reference = REPLACE(UPPER(l.structured_reference), ' ', '')),
                   (SELECT r.state_iso3 FROM reminders r WHERE r.reference = REPLACE(UPPER(l.structured_reference), ' ', '')))))
     UNION ALL
     SELECT a.line_id FROM bank_line_actions a WHERE a.action <> 'payment' AND a.payment_id IS NOT NULL`,
  );
  check(
    "every bank line recorded as a payment has a payment of its amount, value date and bank reference (matched by reference: of the reference's State)",
    badBankPayments,
    (rows) => `bank lines ${list(rows, 'line')}`,
  );

  const badBankBookings = all(
    `SELECT a.line_id AS line FROM bank_line_actions a JOIN bank_lines l ON l.id = a.line_id
      WHERE (a.action = 'other-income' AND (l.direction <> 'credit'
               OR (SELECT j.entry_date FROM journal_entries j WHERE j.id = a.journal_entry_id AND j.kind = 'other-income') IS NOT l.value_date
               OR (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p WHERE p.entry_id = a.journal_entry_id AND p.account_code = '4300') <> -l.amount_centimes
               OR (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p WHERE p.entry_id = a.journal_entry_id AND p.account_code IN ('1000', '1010')) <> l.amount_centimes))
         OR (a.action = 'bank-charges' AND (l.direction <> 'debit'
               OR NOT EXISTS (SELECT 1 FROM expenditures e WHERE e.id = a.expenditure_id AND e.amount_centimes = l.amount_centimes AND e.date = l.value_date AND e.journal_entry_id = a.journal_entry_id)
               OR (SELECT COALESCE(SUM(p.amount_centimes), 0) FROM postings p WHERE p.entry_id = a.journal_entry_id AND p.account_code = '1000') <> -l.amount_centimes))
     UNION ALL
     SELECT 'entry ' || j.id FROM journal_entries j WHERE j.kind = 'other-income'
        AND NOT EXISTS (SELECT 1 FROM bank_line_actions a WHERE a.action = 'other-income' AND a.journal_entry_id = j.id)`,
  );
  check(
    "every booked bank line's journal entry moves its amount (other income: cash and 4300; bank charges: its expenditure), and all other income comes from a bank line",
    badBankBookings,
    (rows) => `bank lines ${list(rows, 'line')}`,
  );

  // A reminder letter asks for what its lines list, less the credit it deducted: never more than the lines, never nothing.
  const badReminders = all(
    `SELECT r.number, r.total_centimes AS total, SUM(l.outstanding_centimes) AS lines
       FROM reminders r LEFT JOIN reminder_lines l ON l.reminder_number = r.number
      GROUP BY r.number HAVING lines IS NULL OR r.total_centimes > lines OR r.total_centimes <= 0`,
  );
  check('every reminder letter asks for no more than the invoices it lists leave', badReminders, (rows) => `letters ${list(rows, 'number')}`);

  if (ctx.invoiceDir) {
    const dir = ctx.invoiceDir;
    const docs = all(
      `SELECT number, year, pdf_sha256 AS sha, '' AS sub FROM invoices UNION ALL SELECT number, year, pdf_sha256, '' FROM credit_notes
       UNION ALL SELECT number, CAST(substr(number, 5, 4) AS INTEGER), pdf_sha256, 'reminders' FROM reminders`,
    ) as { number: string; year: bigint; sha: string; sub: string }[];
    let missing = 0;
    const altered = docs.filter((d) => {
      const file = path.join(dir, d.sub, String(d.year), `${d.number}.pdf`);
      if (!fs.existsSync(file)) {
        missing++;
        return false;
      }
      return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') !== d.sha;
    });
    check(
      'PDFs on disk match their recorded SHA-256',
      altered,
      (rows) => `altered: ${list(rows, 'number')}`,
      missing === 0 ? 'ok' : `ok (${missing} not on disk yet; they are rendered again from the record when asked for)`,
    );
  }

  const fk = sqlite.pragma('foreign_key_check') as unknown[];
  check('foreign keys hold', fk, (rows) => `${rows.length} dangling reference(s)`);
  const integrity = sqlite.pragma('integrity_check', { simple: true });
  check('SQLite integrity check', integrity === 'ok' ? [] : [integrity], () => String(integrity));

  const counts = one(
    'SELECT (SELECT count(*) FROM journal_entries) AS entries, (SELECT count(*) FROM postings) AS postings, (SELECT count(*) FROM audit_log) AS audit',
  );
  return {
    ok: checks.every((c) => c.ok),
    checks,
    counts: {
      journalEntries: String(counts.entries ?? 0n),
      postings: String(counts.postings ?? 0n),
      auditRows: String(counts.audit ?? 0n),
    },
  };
}
