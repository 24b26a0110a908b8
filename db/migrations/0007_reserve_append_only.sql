CREATE TRIGGER reserve_movements_no_update BEFORE UPDATE ON reserve_movements
BEGIN SELECT RAISE(ABORT, 'reserve movements are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reserve_movements_no_delete BEFORE DELETE ON reserve_movements
BEGIN SELECT RAISE(ABORT, 'reserve movements are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER expenditures_no_update BEFORE UPDATE ON expenditures
BEGIN SELECT RAISE(ABORT, 'expenditures are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER expenditures_no_delete BEFORE DELETE ON expenditures
BEGIN SELECT RAISE(ABORT, 'expenditures are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER reserve_targets_no_update BEFORE UPDATE ON reserve_targets
BEGIN SELECT RAISE(ABORT, 'reserve targets are append-only: set a new one'); END;
--> statement-breakpoint
CREATE TRIGGER reserve_targets_no_delete BEFORE DELETE ON reserve_targets
BEGIN SELECT RAISE(ABORT, 'reserve targets are append-only: set a new one'); END;
