-- Reversals and period locks are records of what was done: append-only (a lock is lifted by a new "reopen" row).
CREATE TRIGGER reversals_no_update BEFORE UPDATE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reversals_no_delete BEFORE DELETE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER period_locks_no_update BEFORE UPDATE ON period_locks
BEGIN SELECT RAISE(ABORT, 'period locks are append-only; reopen with a new row'); END;
--> statement-breakpoint
CREATE TRIGGER period_locks_no_delete BEFORE DELETE ON period_locks
BEGIN SELECT RAISE(ABORT, 'period locks are append-only; reopen with a new row'); END;
