-- The ledger is append-only in the database itself, not only by convention:
-- any UPDATE, DELETE or TRUNCATE of a ledger or checkpoint row raises. ENABLE ALWAYS keeps the
-- triggers firing even under session_replication_role = replica; only a superuser can disable
-- them, and `grantflow audit verify` reports it when they are.
CREATE OR REPLACE FUNCTION grantflow_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'grantflow: % is append-only; % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_ledger_no_update_delete BEFORE UPDATE OR DELETE ON audit_ledger
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_ledger_no_truncate BEFORE TRUNCATE ON audit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
ALTER TABLE audit_ledger ENABLE ALWAYS TRIGGER audit_ledger_no_update_delete;
--> statement-breakpoint
ALTER TABLE audit_ledger ENABLE ALWAYS TRIGGER audit_ledger_no_truncate;
--> statement-breakpoint
ALTER TABLE audit_checkpoint ENABLE ALWAYS TRIGGER audit_checkpoint_no_update_delete;
--> statement-breakpoint
ALTER TABLE audit_checkpoint ENABLE ALWAYS TRIGGER audit_checkpoint_no_truncate;
--> statement-breakpoint
-- Intake rows keep what the writer sent: only the sequencer's `seq` stamp may change, once.
CREATE OR REPLACE FUNCTION grantflow_intake_stamp_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'grantflow: audit_intake rows cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.seq IS NOT NULL OR NEW.id <> OLD.id OR NEW.idempotency_key <> OLD.idempotency_key
     OR NEW.event_id <> OLD.event_id OR NEW.event <> OLD.event OR NEW.received_at <> OLD.received_at THEN
    RAISE EXCEPTION 'grantflow: audit_intake rows are immutable once written (only seq is stamped, once)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_intake_stamp_only BEFORE UPDATE OR DELETE ON audit_intake
  FOR EACH ROW EXECUTE FUNCTION grantflow_intake_stamp_only();
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_stamp_only;
--> statement-breakpoint
-- Wake the sequencer as soon as events arrive (one notification per statement, not per row).
CREATE OR REPLACE FUNCTION grantflow_notify_intake() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('grantflow_audit_intake', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_intake_notify AFTER INSERT ON audit_intake
  FOR EACH STATEMENT EXECUTE FUNCTION grantflow_notify_intake();
