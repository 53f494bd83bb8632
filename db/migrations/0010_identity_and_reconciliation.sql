CREATE TYPE "public"."finding_kind" AS ENUM('orphan', 'missing', 'unknown_account', 'sod_violation');--> statement-breakpoint
CREATE TYPE "public"."finding_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."missing_action" AS ENUM('alert', 'reprovision');--> statement-breakpoint
CREATE TYPE "public"."orphan_action" AS ENUM('alert', 'revoke', 'adopt');--> statement-breakpoint
CREATE TYPE "public"."reconciliation_outcome" AS ENUM('running', 'completed', 'target_unavailable', 'failed');--> statement-breakpoint
ALTER TYPE "public"."grant_source" ADD VALUE 'reconciliation';--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "finding_kind" NOT NULL,
	"status" "finding_status" DEFAULT 'open' NOT NULL,
	"fingerprint" text NOT NULL,
	"resource_id" uuid,
	"entitlement_id" uuid,
	"person_id" uuid,
	"grant_id" uuid,
	"sod_rule_id" uuid,
	"account" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_run_id" uuid,
	"last_seen_run_id" uuid,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"resolved_by" text
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"outcome" "reconciliation_outcome" DEFAULT 'running' NOT NULL,
	"workflow_id" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scim_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "scim_connections_name_format" CHECK ("scim_connections"."name" ~ '^[a-z0-9][a-z0-9_-]*$')
);
--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "source" text DEFAULT 'file' NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "source" text DEFAULT 'file' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "employee_number" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "on_orphan" "orphan_action" DEFAULT 'alert' NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "on_missing" "missing_action" DEFAULT 'alert' NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_sod_rule_id_sod_rules_id_fk" FOREIGN KEY ("sod_rule_id") REFERENCES "public"."sod_rules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "findings_open_fingerprint_key" ON "findings" USING btree ("fingerprint") WHERE "findings"."status" = 'open';--> statement-breakpoint
CREATE INDEX "findings_status_idx" ON "findings" USING btree ("status","first_seen_at");--> statement-breakpoint
CREATE INDEX "findings_resource_idx" ON "findings" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_resource_idx" ON "reconciliation_runs" USING btree ("resource_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_connections_token_hash_key" ON "scim_connections" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_connections_live_name_key" ON "scim_connections" USING btree ("name") WHERE "scim_connections"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "groups_source_external_id_key" ON "groups" USING btree ("source","external_id") WHERE "groups"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "people_source_external_id_key" ON "people" USING btree ("source","external_id") WHERE "people"."external_id" is not null;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_source_known" CHECK ("people"."source" = 'file' or "people"."source" ~ '^scim:[a-z0-9][a-z0-9_-]*$');