/**
 * `isu verify`: checks the ledger invariants of SPEC 2.8 on the whole
 * database. Every check is a query whose rows are breaches; sums are read as
 * bigint (safeIntegers), never as JS numbers.
 */
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
];

export function verifyLedger(ctx: Pick<Ctx, 'sqlite'>): VerifyReport {
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
