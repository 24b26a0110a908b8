-- Budget lines and year closings are records of decisions: append-only. The accumulated fund receives each closed year's surplus or deficit.
CREATE TRIGGER budget_lines_no_update BEFORE UPDATE ON budget_lines
BEGIN SELECT RAISE(ABORT, 'budget_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER budget_lines_no_delete BEFORE DELETE ON budget_lines
BEGIN SELECT RAISE(ABORT, 'budget_lines rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER year_closings_no_update BEFORE UPDATE ON year_closings
BEGIN SELECT RAISE(ABORT, 'year_closings rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER year_closings_no_delete BEFORE DELETE ON year_closings
BEGIN SELECT RAISE(ABORT, 'year_closings rows are append-only'); END;
--> statement-breakpoint
INSERT INTO accounts (code, name, type) VALUES ('3200', 'Accumulated fund (surpluses and deficits of closed years)', 'equity');
--> statement-breakpoint
-- Expenditures recorded before budget years were kept execute the budget of the year of their date (SPEC 9.5's default): set once, here,
-- the only change ever made to an expenditure row.
DROP TRIGGER expenditures_no_update;
--> statement-breakpoint
UPDATE expenditures SET budget_year = CAST(substr(date, 1, 4) AS INTEGER) WHERE budget_year IS NULL;
--> statement-breakpoint
CREATE TRIGGER expenditures_no_update BEFORE UPDATE ON expenditures
BEGIN SELECT RAISE(ABORT, 'expenditures are append-only'); END;
