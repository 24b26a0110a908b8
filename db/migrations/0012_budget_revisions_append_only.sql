-- Budget versions and the lines of partial credit notes are records of decisions and documents: append-only.
CREATE TRIGGER budget_versions_no_update BEFORE UPDATE ON budget_versions
BEGIN SELECT RAISE(ABORT, 'a budget version never changes; revise again'); END;
--> statement-breakpoint
CREATE TRIGGER budget_versions_no_delete BEFORE DELETE ON budget_versions
BEGIN SELECT RAISE(ABORT, 'a budget version never changes; revise again'); END;
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_no_update BEFORE UPDATE ON credit_note_lines
BEGIN SELECT RAISE(ABORT, 'credit notes are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_no_delete BEFORE DELETE ON credit_note_lines
BEGIN SELECT RAISE(ABORT, 'credit notes are immutable'); END;
