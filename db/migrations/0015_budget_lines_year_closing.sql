CREATE TABLE `budget_lines` (
	`year` integer NOT NULL,
	`version` integer NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`position` integer NOT NULL,
	`amount_centimes` integer NOT NULL,
	PRIMARY KEY(`year`, `version`, `code`),
	FOREIGN KEY (`year`) REFERENCES `budgets`(`year`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "budget_lines_amount_nonnegative" CHECK("budget_lines"."amount_centimes" >= 0),
	CONSTRAINT "budget_lines_version" CHECK("budget_lines"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE `year_closings` (
	`year` integer PRIMARY KEY NOT NULL,
	`journal_entry_id` integer,
	`period_lock_id` integer NOT NULL,
	`surplus_centimes` integer NOT NULL,
	`actor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`period_lock_id`) REFERENCES `period_locks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `expenditures` ADD `budget_year` integer;--> statement-breakpoint
ALTER TABLE `expenditures` ADD `line` text;--> statement-breakpoint
CREATE INDEX `expenditures_budget` ON `expenditures` (`budget_year`,`line`);