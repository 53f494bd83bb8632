CREATE TABLE "audit_checkpoint" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"chain_head" "bytea" NOT NULL,
	"frontier" jsonb NOT NULL,
	"note" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_intake" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"event_id" uuid NOT NULL,
	"event" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint
);
--> statement-breakpoint
CREATE TABLE "audit_ledger" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"event_type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"event" jsonb NOT NULL,
	"leaf_hash" "bytea" NOT NULL,
	"chain_hash" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_checkpoint_tree_size_idx" ON "audit_checkpoint" USING btree ("tree_size");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_intake_idempotency_key_key" ON "audit_intake" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "audit_intake_pending_idx" ON "audit_intake" USING btree ("id") WHERE "audit_intake"."seq" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_ledger_idempotency_key_key" ON "audit_ledger" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "audit_ledger_event_id_idx" ON "audit_ledger" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "audit_ledger_event_type_idx" ON "audit_ledger" USING btree ("event_type","seq");--> statement-breakpoint
CREATE INDEX "audit_ledger_occurred_at_idx" ON "audit_ledger" USING btree ("occurred_at");