CREATE TABLE `budget_versions` (
	`year` integer NOT NULL,
	`version` integer NOT NULL,
	`amount_centimes` integer NOT NULL,
	`scale_code` text NOT NULL,
	`scheme` text NOT NULL,
	`decision_ref` text NOT NULL,
	`approved_on` text NOT NULL,
	`reason` text NOT NULL,
	`assessment` text NOT NULL,
	`plan` text NOT NULL,
	`sha256` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`year`, `version`),
	FOREIGN KEY (`year`) REFERENCES `budgets`(`year`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scale_code`) REFERENCES `scales`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "budget_versions_from_2" CHECK("budget_versions"."version" >= 2)
);
--> statement-breakpoint
CREATE TABLE `credit_note_lines` (
	`credit_note_number` text NOT NULL,
	`category` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	PRIMARY KEY(`credit_note_number`, `category`),
	FOREIGN KEY (`credit_note_number`) REFERENCES `credit_notes`(`number`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "credit_note_lines_positive" CHECK("credit_note_lines"."amount_centimes" > 0)
);
--> statement-breakpoint
DROP INDEX `credit_notes_one_per_invoice`;--> statement-breakpoint
ALTER TABLE `credit_notes` ADD `kind` text DEFAULT 'cancellation' NOT NULL;--> statement-breakpoint
ALTER TABLE `credit_notes` ADD `budget_version` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_one_cancellation_per_invoice` ON `credit_notes` (`invoice_number`) WHERE kind = 'cancellation';--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_one_partial_per_version` ON `credit_notes` (`invoice_number`,`budget_version`) WHERE kind = 'partial';--> statement-breakpoint
ALTER TABLE `invoices` ADD `budget_version` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_one_supplementary_per_version` ON `invoices` (`year`,`state_iso3`,`budget_version`) WHERE kind = 'supplementary';