CREATE TABLE `bank_line_actions` (
	`line_id` integer PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`automatic` integer NOT NULL,
	`payment_id` integer,
	`expenditure_id` integer,
	`journal_entry_id` integer,
	`reason` text,
	`actor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`line_id`) REFERENCES `bank_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`expenditure_id`) REFERENCES `expenditures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bank_line_actions_payment` ON `bank_line_actions` (`payment_id`);--> statement-breakpoint
CREATE TABLE `bank_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`statement_id` integer NOT NULL,
	`iban` text NOT NULL,
	`entry_key` text NOT NULL,
	`direction` text NOT NULL,
	`booking_date` text NOT NULL,
	`value_date` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	`currency` text NOT NULL,
	`original_currency` text,
	`original_amount` text,
	`exchange_rate` text,
	`acct_svcr_ref` text,
	`end_to_end_id` text,
	`debtor_name` text,
	`debtor_iban` text,
	`structured_reference` text,
	`unstructured` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`statement_id`) REFERENCES `bank_statements`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bank_lines_amount_positive" CHECK("bank_lines"."amount_centimes" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bank_lines_entry` ON `bank_lines` (`iban`,`entry_key`);--> statement-breakpoint
CREATE INDEX `bank_lines_statement` ON `bank_lines` (`statement_id`);--> statement-breakpoint
CREATE TABLE `bank_statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_type` text NOT NULL,
	`message_version` text NOT NULL,
	`message_id` text NOT NULL,
	`statement_id` text NOT NULL,
	`account_role` text NOT NULL,
	`iban` text NOT NULL,
	`currency` text NOT NULL,
	`closing_balance_centimes` integer,
	`closing_balance_date` text,
	`file_sha256` text NOT NULL,
	`entry_count` integer NOT NULL,
	`imported_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bank_statements_file` ON `bank_statements` (`file_sha256`,`statement_id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`document` text NOT NULL,
	`state_iso3` text NOT NULL,
	`recipient` text NOT NULL,
	`transport` text NOT NULL,
	`status` text NOT NULL,
	`message_id` text,
	`response` text,
	`attachment_sha256` text NOT NULL,
	`resend` integer NOT NULL,
	`retry_of` integer,
	`actor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deliveries_document` ON `deliveries` (`kind`,`document`,`recipient`);--> statement-breakpoint
CREATE INDEX `deliveries_status` ON `deliveries` (`status`);--> statement-breakpoint
CREATE TABLE `reminder_lines` (
	`reminder_number` text NOT NULL,
	`invoice_number` text NOT NULL,
	`due_date` text NOT NULL,
	`outstanding_centimes` integer NOT NULL,
	PRIMARY KEY(`reminder_number`, `invoice_number`),
	FOREIGN KEY (`reminder_number`) REFERENCES `reminders`(`number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_number`) REFERENCES `invoices`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reminder_lines_invoice` ON `reminder_lines` (`invoice_number`);--> statement-breakpoint
CREATE TABLE `reminders` (
	`number` text PRIMARY KEY NOT NULL,
	`state_iso3` text NOT NULL,
	`as_of` text NOT NULL,
	`issue_date` text NOT NULL,
	`level` integer NOT NULL,
	`total_centimes` integer NOT NULL,
	`reference` text NOT NULL,
	`language` text NOT NULL,
	`document` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reminders_total_positive" CHECK("reminders"."total_centimes" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_one_per_state_per_day` ON `reminders` (`state_iso3`,`issue_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_reference` ON `reminders` (`reference`);