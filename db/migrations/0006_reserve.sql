CREATE TABLE `expenditures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	`description` text NOT NULL,
	`journal_entry_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "expenditures_positive" CHECK("expenditures"."amount_centimes" > 0)
);
--> statement-breakpoint
CREATE INDEX `expenditures_date` ON `expenditures` (`date`);--> statement-breakpoint
CREATE TABLE `reserve_movements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`amount_centimes` integer NOT NULL,
	`state_iso3` text,
	`donor` text,
	`description` text NOT NULL,
	`drawdown_id` integer,
	`journal_entry_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`state_iso3`) REFERENCES `states`(`iso3`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`journal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reserve_movements_positive" CHECK("reserve_movements"."amount_centimes" > 0),
	CONSTRAINT "reserve_movements_restoration" CHECK(("reserve_movements"."kind" = 'restoration') = ("reserve_movements"."drawdown_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `reserve_movements_kind` ON `reserve_movements` (`kind`,`date`);--> statement-breakpoint
CREATE TABLE `reserve_targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`amount_centimes` integer NOT NULL,
	`decision_ref` text NOT NULL,
	`set_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `spending_plans` (
	`year` integer NOT NULL,
	`month` integer NOT NULL,
	`amount_centimes` integer NOT NULL,
	PRIMARY KEY(`year`, `month`),
	FOREIGN KEY (`year`) REFERENCES `budgets`(`year`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "spending_plans_month" CHECK("spending_plans"."month" BETWEEN 1 AND 12),
	CONSTRAINT "spending_plans_amount" CHECK("spending_plans"."amount_centimes" >= 0)
);
