-- A NOTIFY per insert statement serialised concurrent writers on PostgreSQL's notification queue
-- lock. Writers now notify themselves, coalesced to one per 20 ms per process (audit/intake.ts).
DROP TRIGGER IF EXISTS audit_intake_notify ON audit_intake;
--> statement-breakpoint
DROP FUNCTION IF EXISTS grantflow_notify_intake();
