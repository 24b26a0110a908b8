CREATE TABLE `applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`payment_id` integer,
	`state_iso3` text NOT NULL,
	`invoice_number` text NOT NULL,
	`category` text NOT NULL,
	`applied_on` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	`journal_entry_id` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_number`) REFERENCES `invoices`(`number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "applications_nonzero" CHECK("applications"."amount_centimes" <> 0)
);
--> statement-breakpoint
CREATE INDEX `applications_invoice` ON `applications` (`invoice_number`,`category`);--> statement-breakpoint
CREATE INDEX `applications_state` ON `applications` (`state_iso3`);--> statement-breakpoint
CREATE TABLE `credit_reclassifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state_iso3` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	`to` text NOT NULL,
	`date` text NOT NULL,
	`journal_entry_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "credit_reclassifications_positive" CHECK("credit_reclassifications"."amount_centimes" > 0)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_sha256` text NOT NULL,
	`state_iso3` text,
	`donor` text,
	`amount_centimes` integer NOT NULL,
	`received_on` text NOT NULL,
	`currency` text,
	`original_amount` text,
	`reference` text,
	`bank_reference` text,
	`purpose` text NOT NULL,
	`invoice_number` text,
	`journal_entry_id` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_number`) REFERENCES `invoices`(`number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount_positive" CHECK("payments"."amount_centimes" > 0),
	CONSTRAINT "payments_payer" CHECK(("payments"."state_iso3" IS NULL) <> ("payments"."donor" IS NULL)),
	CONSTRAINT "payments_assessed_by_state" CHECK("payments"."purpose" <> 'assessed' OR "payments"."state_iso3" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_idempotency_key` ON `payments` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `payments_state` ON `payments` (`state_iso3`,`received_on`);