-- Journal, postings and audit rows are append-only: the database itself
-- refuses UPDATE and DELETE. Corrections are reversing entries (SPEC 2.8).
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'postings is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
-- A scale is immutable once created: a correction is a new scale code (SPEC 2.2).
CREATE TRIGGER scales_no_update BEFORE UPDATE ON scales
BEGIN SELECT RAISE(ABORT, 'scales are immutable; create a new scale code'); END;
--> statement-breakpoint
CREATE TRIGGER scales_no_delete BEFORE DELETE ON scales
BEGIN SELECT RAISE(ABORT, 'scales are immutable; create a new scale code'); END;
--> statement-breakpoint
CREATE TRIGGER scale_rates_no_update BEFORE UPDATE ON scale_rates
BEGIN SELECT RAISE(ABORT, 'scales are immutable; create a new scale code'); END;
--> statement-breakpoint
CREATE TRIGGER scale_rates_no_delete BEFORE DELETE ON scale_rates
BEGIN SELECT RAISE(ABORT, 'scales are immutable; create a new scale code'); END;
--> statement-breakpoint
-- The register keeps every State ever recorded: no deletion (withdrawal is a date).
CREATE TRIGGER states_no_delete BEFORE DELETE ON states
BEGIN SELECT RAISE(ABORT, 'States are never deleted; record a withdrawal instead'); END;
--> statement-breakpoint
CREATE TRIGGER budgets_no_delete BEFORE DELETE ON budgets
BEGIN SELECT RAISE(ABORT, 'budgets are never deleted'); END;
--> statement-breakpoint
-- The chart of accounts (src/domain/ledger.ts ACCOUNTS).
INSERT INTO accounts (code, name, type) VALUES
  ('1000', 'Operating cash', 'asset'),
  ('1010', 'Working capital reserve cash', 'asset'),
  ('1100', 'Contributions receivable', 'asset'),
  ('2100', 'Unapplied credit of States (payments received in advance)', 'liability'),
  ('3100', 'Working capital reserve fund', 'equity'),
  ('4100', 'Assessed contributions', 'income'),
  ('4200', 'Voluntary contributions', 'income'),
  ('5100', 'ISU expenditure', 'expense');
--> statement-breakpoint
CREATE TRIGGER accounts_no_update BEFORE UPDATE ON accounts
BEGIN SELECT RAISE(ABORT, 'the chart of accounts changes only by migration'); END;
--> statement-breakpoint
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, 'the chart of accounts changes only by migration'); END;
