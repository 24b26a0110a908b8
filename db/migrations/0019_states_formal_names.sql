ALTER TABLE `states` ADD `formal_names` text;--> statement-breakpoint
ALTER TABLE `states` ADD `number_locale` text;--> statement-breakpoint
ALTER TABLE `states` ADD `mission_address` text;