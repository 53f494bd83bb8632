-- The intake guard of 0002 ran a PL/pgSQL function comparing whole events on every sequencer
-- stamp. The same rules with column lists and WHEN conditions are checked by PostgreSQL itself
-- and only call the function to refuse: the runtime role's column grant already confines it to
-- `seq`; these triggers stop the owner too, and stop re-stamping.
DROP TRIGGER IF EXISTS audit_intake_stamp_only ON audit_intake;
--> statement-breakpoint
DROP FUNCTION IF EXISTS grantflow_intake_stamp_only();
--> statement-breakpoint
CREATE TRIGGER audit_intake_content_immutable
  BEFORE UPDATE OF id, idempotency_key, event_id, event, received_at ON audit_intake
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_intake_stamp_once
  BEFORE UPDATE OF seq ON audit_intake
  FOR EACH ROW WHEN (OLD.seq IS NOT NULL) EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_intake_no_delete BEFORE DELETE ON audit_intake
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_intake_no_truncate BEFORE TRUNCATE ON audit_intake
  FOR EACH STATEMENT EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_content_immutable;
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_stamp_once;
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_no_delete;
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_no_truncate;
