CREATE TABLE `assessment_snapshots` (
	`year` integer PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`sha256` text NOT NULL,
	`frozen_at` text NOT NULL,
	FOREIGN KEY (`year`) REFERENCES `budgets`(`year`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`number` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`invoice_number` text NOT NULL,
	`state_iso3` text NOT NULL,
	`issue_date` text NOT NULL,
	`reason` text NOT NULL,
	`total_centimes` integer NOT NULL,
	`document` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`journal_entry_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`invoice_number`) REFERENCES `invoices`(`number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_year_seq` ON `credit_notes` (`year`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_one_per_invoice` ON `credit_notes` (`invoice_number`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`invoice_number` text NOT NULL,
	`position` integer NOT NULL,
	`category` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	PRIMARY KEY(`invoice_number`, `category`),
	FOREIGN KEY (`invoice_number`) REFERENCES `invoices`(`number`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "invoice_lines_nonnegative" CHECK("invoice_lines"."amount_centimes" >= 0)
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`number` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`state_iso3` text NOT NULL,
	`issue_date` text NOT NULL,
	`cutoff_date` text NOT NULL,
	`language` text NOT NULL,
	`total_centimes` integer NOT NULL,
	`creditor_reference` text NOT NULL,
	`document` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`journal_entry_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`year`) REFERENCES `budgets`(`year`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "invoices_total_positive" CHECK("invoices"."total_centimes" > 0),
	CONSTRAINT "invoices_pdf_sha256" CHECK(length("invoices"."pdf_sha256") = 64)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_year_seq` ON `invoices` (`year`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_creditor_reference` ON `invoices` (`creditor_reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_one_assessment_per_state` ON `invoices` (`year`,`state_iso3`) WHERE kind = 'assessment';--> statement-breakpoint
CREATE INDEX `invoices_state` ON `invoices` (`state_iso3`,`year`);