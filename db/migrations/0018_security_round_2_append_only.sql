-- Proposed changes of the bank details and their decisions are records (SPEC 9.8): append-only.
CREATE TRIGGER issuer_changes_no_update BEFORE UPDATE ON issuer_changes
BEGIN SELECT RAISE(ABORT, 'issuer_changes rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER issuer_changes_no_delete BEFORE DELETE ON issuer_changes
BEGIN SELECT RAISE(ABORT, 'issuer_changes rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER issuer_change_decisions_no_update BEFORE UPDATE ON issuer_change_decisions
BEGIN SELECT RAISE(ABORT, 'issuer_change_decisions rows are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER issuer_change_decisions_no_delete BEFORE DELETE ON issuer_change_decisions
BEGIN SELECT RAISE(ABORT, 'issuer_change_decisions rows are append-only'); END;
--> statement-breakpoint
-- Tokens created before expiry existed get the default lifetime counted from this upgrade, so none lapses at once.
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+365 days') WHERE expires_at IS NULL;
