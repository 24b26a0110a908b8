-- Bank statements and lines, what was done with each line, reminders and delivery attempts are records: append-only.
CREATE TRIGGER bank_statements_no_update BEFORE UPDATE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'bank_statements rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER bank_statements_no_delete BEFORE DELETE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'bank_statements rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER bank_lines_no_update BEFORE UPDATE ON bank_lines
BEGIN SELECT RAISE(ABORT, 'bank_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER bank_lines_no_delete BEFORE DELETE ON bank_lines
BEGIN SELECT RAISE(ABORT, 'bank_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER bank_line_actions_no_update BEFORE UPDATE ON bank_line_actions
BEGIN SELECT RAISE(ABORT, 'bank_line_actions rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER bank_line_actions_no_delete BEFORE DELETE ON bank_line_actions
BEGIN SELECT RAISE(ABORT, 'bank_line_actions rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reminders_no_update BEFORE UPDATE ON reminders
BEGIN SELECT RAISE(ABORT, 'reminders rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reminders_no_delete BEFORE DELETE ON reminders
BEGIN SELECT RAISE(ABORT, 'reminders rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reminder_lines_no_update BEFORE UPDATE ON reminder_lines
BEGIN SELECT RAISE(ABORT, 'reminder_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reminder_lines_no_delete BEFORE DELETE ON reminder_lines
BEGIN SELECT RAISE(ABORT, 'reminder_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER deliveries_no_update BEFORE UPDATE ON deliveries
BEGIN SELECT RAISE(ABORT, 'deliveries rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries
BEGIN SELECT RAISE(ABORT, 'deliveries rows are append-only'); END;
--> statement-breakpoint
INSERT INTO accounts (code, name, type) VALUES ('4300', 'Other income', 'income');
