CREATE TABLE `issuer_change_decisions` (
	`change_id` integer PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`decided_by_user_id` integer,
	`decided_by` text NOT NULL,
	`reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`change_id`) REFERENCES `issuer_changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `issuer_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`settings` text NOT NULL,
	`previous` text,
	`proposed_by_user_id` integer,
	`proposed_by` text NOT NULL,
	`reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`proposed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `last_used_at` text;