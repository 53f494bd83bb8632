CREATE TYPE "public"."evidence_pack_status" AS ENUM('requested', 'building', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "evidence_annotations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"test" text NOT NULL,
	"exception_key" text NOT NULL,
	"root_cause" text NOT NULL,
	"corrective_action" text NOT NULL,
	"annotated_by" text NOT NULL,
	"annotated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_packs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"framework" text NOT NULL,
	"period" text NOT NULL,
	"controls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"request_event_id" uuid NOT NULL,
	"status" "evidence_pack_status" DEFAULT 'requested' NOT NULL,
	"progress" jsonb,
	"file" text,
	"sha256" text,
	"bytes" bigint,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_annotations_test_key_idx" ON "evidence_annotations" USING btree ("test","exception_key","annotated_at");--> statement-breakpoint
CREATE INDEX "evidence_packs_created_at_idx" ON "evidence_packs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_ledger_request_id_idx" ON "audit_ledger" USING btree (("event"->'correlation'->>'request_id'));--> statement-breakpoint
CREATE INDEX "audit_ledger_grant_id_idx" ON "audit_ledger" USING btree (("event"->'correlation'->>'grant_id'));--> statement-breakpoint
CREATE INDEX "audit_ledger_campaign_id_idx" ON "audit_ledger" USING btree (("event"->'correlation'->>'campaign_id'));--> statement-breakpoint
CREATE INDEX "audit_ledger_target_id_idx" ON "audit_ledger" USING btree (("event"->'target'->>'id'));