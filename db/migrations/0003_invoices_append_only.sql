-- Issued documents are never edited or deleted: a cancellation is a credit note (SPEC 2.4).
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are immutable; cancel with a credit note'); END;
--> statement-breakpoint
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are immutable; cancel with a credit note'); END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'invoices are immutable; cancel with a credit note'); END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'invoices are immutable; cancel with a credit note'); END;
--> statement-breakpoint
CREATE TRIGGER credit_notes_no_update BEFORE UPDATE ON credit_notes
BEGIN SELECT RAISE(ABORT, 'credit notes are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER credit_notes_no_delete BEFORE DELETE ON credit_notes
BEGIN SELECT RAISE(ABORT, 'credit notes are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER assessment_snapshots_no_update BEFORE UPDATE ON assessment_snapshots
BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
--> statement-breakpoint
CREATE TRIGGER assessment_snapshots_no_delete BEFORE DELETE ON assessment_snapshots
BEGIN SELECT RAISE(ABORT, 'a frozen assessment never changes'); END;
--> statement-breakpoint
-- Once invoiced, a budget's amount, dates, scale and scheme are frozen (its decision reference may still be corrected).
CREATE TRIGGER budgets_frozen_after_invoicing BEFORE UPDATE ON budgets
WHEN EXISTS (SELECT 1 FROM assessment_snapshots s WHERE s.year = OLD.year)
  AND (NEW.amount_centimes IS NOT OLD.amount_centimes OR NEW.scale_code IS NOT OLD.scale_code OR NEW.scheme IS NOT OLD.scheme
       OR NEW.membership_date IS NOT OLD.membership_date OR NEW.cutoff_date IS NOT OLD.cutoff_date OR NEW.approved_on IS NOT OLD.approved_on)
BEGIN SELECT RAISE(ABORT, 'the budget is invoiced: its assessment, scale and scheme are frozen'); END;
