CREATE TABLE `accounts` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`label` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` integer,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`request_id` text,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `budgets` (
	`year` integer PRIMARY KEY NOT NULL,
	`amount_centimes` integer NOT NULL,
	`currency` text DEFAULT 'CHF' NOT NULL,
	`decision_ref` text NOT NULL,
	`approved_on` text NOT NULL,
	`membership_date` text NOT NULL,
	`cutoff_date` text NOT NULL,
	`scale_code` text NOT NULL,
	`scheme` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`scale_code`) REFERENCES `scales`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "budgets_amount_nonnegative" CHECK("budgets"."amount_centimes" >= 0),
	CONSTRAINT "budgets_cutoff_after_approval" CHECK("budgets"."cutoff_date" >= "budgets"."approved_on")
);
--> statement-breakpoint
CREATE TABLE `journal_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_date` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`ref_type` text,
	`ref_id` text,
	`reverses_entry_id` integer,
	`request_id` text,
	`actor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `journal_entries_ref` ON `journal_entries` (`ref_type`,`ref_id`);--> statement-breakpoint
CREATE INDEX `journal_entries_date` ON `journal_entries` (`entry_date`);--> statement-breakpoint
CREATE TABLE `postings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`account_code` text NOT NULL,
	`state_iso3` text,
	`budget_year` integer,
	`category` text,
	`amount_centimes` integer NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_code`) REFERENCES `accounts`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "postings_nonzero" CHECK("postings"."amount_centimes" <> 0)
);
--> statement-breakpoint
CREATE INDEX `postings_entry` ON `postings` (`entry_id`);--> statement-breakpoint
CREATE INDEX `postings_account_state` ON `postings` (`account_code`,`state_iso3`);--> statement-breakpoint
CREATE TABLE `scale_rates` (
	`scale_code` text NOT NULL,
	`iso3` text NOT NULL,
	`rate` text NOT NULL,
	PRIMARY KEY(`scale_code`, `iso3`),
	FOREIGN KEY (`scale_code`) REFERENCES `scales`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scales` (
	`code` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `states` (
	`iso3` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_fr` text,
	`name_es` text,
	`un_member` integer NOT NULL,
	`language` text NOT NULL,
	`instrument` text,
	`signature_date` text,
	`deposit_date` text,
	`entry_into_force` text,
	`entry_into_force_source` text NOT NULL,
	`withdrawal_effective` text,
	`billing_address_lines` text NOT NULL,
	`billing_emails` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "states_iso3_format" CHECK("states"."iso3" GLOB '[A-Z][A-Z][A-Z]'),
	CONSTRAINT "states_entry_into_force" CHECK("states"."entry_into_force" IS NOT NULL OR "states"."deposit_date" IS NULL)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`state_iso3` text,
	`password_hash` text NOT NULL,
	`disabled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);