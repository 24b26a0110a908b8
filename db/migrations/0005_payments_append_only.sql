-- Payments, applications and reclassifications are financial events: append-only.
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are append-only; correct with a reversing entry'); END;
--> statement-breakpoint
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are append-only; correct with a reversing entry'); END;
--> statement-breakpoint
CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER credit_reclassifications_no_update BEFORE UPDATE ON credit_reclassifications
BEGIN SELECT RAISE(ABORT, 'reclassifications are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER credit_reclassifications_no_delete BEFORE DELETE ON credit_reclassifications
BEGIN SELECT RAISE(ABORT, 'reclassifications are append-only'); END;
