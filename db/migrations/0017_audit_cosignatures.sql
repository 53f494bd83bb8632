CREATE TABLE "audit_cosignature" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"checkpoint_id" bigint NOT NULL,
	"witness_name" text NOT NULL,
	"witness_key_id" text NOT NULL,
	"line" text NOT NULL,
	"cosigned_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_cosignature" ADD CONSTRAINT "audit_cosignature_checkpoint_id_audit_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."audit_checkpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_cosignature_checkpoint_id_idx" ON "audit_cosignature" USING btree ("checkpoint_id");--> statement-breakpoint
CREATE INDEX "audit_cosignature_witness_idx" ON "audit_cosignature" USING btree ("witness_name","witness_key_id","checkpoint_id");--> statement-breakpoint
-- Cosignatures are append-only like the checkpoints they cover (see 0002): a witness's word,
-- once received, is never changed or removed.
CREATE TRIGGER audit_cosignature_no_update_delete BEFORE UPDATE OR DELETE ON audit_cosignature
  FOR EACH ROW EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_cosignature_no_truncate BEFORE TRUNCATE ON audit_cosignature
  FOR EACH STATEMENT EXECUTE FUNCTION grantflow_append_only();
--> statement-breakpoint
ALTER TABLE audit_cosignature ENABLE ALWAYS TRIGGER audit_cosignature_no_update_delete;
--> statement-breakpoint
ALTER TABLE audit_cosignature ENABLE ALWAYS TRIGGER audit_cosignature_no_truncate;
