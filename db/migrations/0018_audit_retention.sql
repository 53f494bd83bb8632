-- Retention: the one deletion path the append-only triggers allow. audit_prune_below() deletes
-- the ledger entries (and their intake rows) up to a checkpoint boundary and records the disposal
-- in the same transaction. It sets a transaction-local marker the DELETE triggers honour for
-- seq <= the boundary; any other DELETE, the owner's included, is still refused. The owner could
-- set the marker by hand (as it could drop the triggers): `grantflow audit verify` then finds
-- entries missing with no recorded disposal covering them, which it reports as deleted rows.
-- Checkpoint rows are never deleted: the boundary's chain head and frontier are where
-- verification of the retained ledger starts.
CREATE OR REPLACE FUNCTION grantflow_append_only_unless_pruned() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.seq IS NOT NULL
     AND OLD.seq <= coalesce(nullif(current_setting('grantflow.prune_through', true), ''), '0')::bigint THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'grantflow: % is append-only; % refused (only audit_prune_below deletes, below a checkpoint)',
    TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER audit_ledger_no_update_delete ON audit_ledger;
--> statement-breakpoint
CREATE TRIGGER audit_ledger_no_update_delete BEFORE UPDATE OR DELETE ON audit_ledger
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only_unless_pruned();
--> statement-breakpoint
ALTER TABLE audit_ledger ENABLE ALWAYS TRIGGER audit_ledger_no_update_delete;
--> statement-breakpoint
DROP TRIGGER audit_intake_no_delete ON audit_intake;
--> statement-breakpoint
CREATE TRIGGER audit_intake_no_delete BEFORE DELETE ON audit_intake
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only_unless_pruned();
--> statement-breakpoint
ALTER TABLE audit_intake ENABLE ALWAYS TRIGGER audit_intake_no_delete;
--> statement-breakpoint
-- p_disposal is the audit.ledger.pruned event, built and validated by the caller
-- (audit/retention/); this function checks that it says what is being done before doing it.
CREATE OR REPLACE FUNCTION audit_prune_below(
  p_checkpoint_id bigint, p_manifest_sha256 text, p_actor text, p_disposal jsonb
) RETURNS TABLE (from_seq bigint, to_seq bigint, entries_deleted bigint, intake_deleted bigint)
LANGUAGE plpgsql AS $$
DECLARE
  boundary bigint;
  oldest bigint;
BEGIN
  -- Serialised with checkpoint sealing (audit/checkpoint.ts CHECKPOINT_LOCK_KEY).
  PERFORM pg_advisory_xact_lock(1734763376);
  IF p_manifest_sha256 IS NULL OR p_manifest_sha256 !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'grantflow: manifest sha256 must be 64 lowercase hex characters';
  END IF;
  IF coalesce(p_actor, '') = '' THEN
    RAISE EXCEPTION 'grantflow: who prunes must be named';
  END IF;
  SELECT c.tree_size INTO boundary FROM audit_checkpoint c WHERE c.id = p_checkpoint_id;
  IF boundary IS NULL THEN
    RAISE EXCEPTION 'grantflow: no checkpoint %', p_checkpoint_id;
  END IF;
  SELECT min(l.seq) INTO oldest FROM audit_ledger l;
  IF oldest IS NULL OR oldest > boundary THEN
    RAISE EXCEPTION 'grantflow: nothing to prune: the ledger starts at %, checkpoint % ends at %',
      oldest, p_checkpoint_id, boundary;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_ledger l WHERE l.seq = boundary) THEN
    RAISE EXCEPTION 'grantflow: entry % under checkpoint % is missing', boundary, p_checkpoint_id;
  END IF;
  -- The sequencer continues the chain from the newest entry: the ledger is never emptied.
  IF NOT EXISTS (SELECT 1 FROM audit_ledger l WHERE l.seq > boundary) THEN
    RAISE EXCEPTION 'grantflow: checkpoint % ends at the newest entry %; one entry after it must stay',
      p_checkpoint_id, boundary;
  END IF;
  IF p_disposal->>'event_type' IS DISTINCT FROM 'audit.ledger.pruned'
     OR (p_disposal->'details'->>'from_seq')::bigint IS DISTINCT FROM oldest
     OR (p_disposal->'details'->>'to_seq')::bigint IS DISTINCT FROM boundary
     OR (p_disposal->'details'->>'checkpoint_id')::bigint IS DISTINCT FROM p_checkpoint_id
     OR p_disposal->'details'->>'manifest_sha256' IS DISTINCT FROM p_manifest_sha256
     OR p_disposal->'actor'->>'id' IS DISTINCT FROM p_actor THEN
    RAISE EXCEPTION 'grantflow: the disposal event does not describe pruning % to % below checkpoint % by %',
      oldest, boundary, p_checkpoint_id, p_actor;
  END IF;

  PERFORM set_config('grantflow.prune_through', boundary::text, true);
  DELETE FROM audit_intake i USING audit_ledger l
    WHERE l.seq <= boundary AND i.idempotency_key = l.idempotency_key AND i.seq = l.seq;
  GET DIAGNOSTICS intake_deleted = ROW_COUNT;
  DELETE FROM audit_ledger l WHERE l.seq <= boundary;
  GET DIAGNOSTICS entries_deleted = ROW_COUNT;
  PERFORM set_config('grantflow.prune_through', '', true);

  INSERT INTO audit_intake (idempotency_key, event_id, event)
    VALUES ('audit.ledger.pruned:' || p_checkpoint_id, (p_disposal->>'event_id')::uuid, p_disposal);
  from_seq := oldest;
  to_seq := boundary;
  RETURN NEXT;
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_prune_below(bigint, text, text, jsonb) FROM PUBLIC;
