ALTER TABLE `invoices` ADD `original_invoice` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_one_late_per_state` ON `invoices` (`year`,`state_iso3`) WHERE kind = 'late';--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_one_reissue_per_original` ON `invoices` (`original_invoice`) WHERE kind = 'reissue';