CREATE TYPE "public"."campaign_decision" AS ENUM('keep', 'revoke');--> statement-breakpoint
CREATE TYPE "public"."campaign_decision_source" AS ENUM('reviewer', 'default_action', 'admin');--> statement-breakpoint
CREATE TYPE "public"."campaign_default_action" AS ENUM('revoke', 'keep', 'escalate');--> statement-breakpoint
CREATE TYPE "public"."campaign_reviewer_rule" AS ENUM('manager', 'resource_owner', 'person');--> statement-breakpoint
CREATE TYPE "public"."campaign_revocation_status" AS ENUM('pending', 'verified', 'unverified', 'failed', 'not_needed');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('launching', 'reviewing', 'enforcing', 'awaiting_signoff', 'closed');--> statement-breakpoint
CREATE TABLE "campaign_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"original_reviewer_id" uuid NOT NULL,
	"assignment_reason" text NOT NULL,
	"decision" "campaign_decision",
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"decision_source" "campaign_decision_source",
	"delegated_from_id" uuid,
	"delegated_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"revocation_status" "campaign_revocation_status",
	"revoked_at" timestamp with time zone,
	"revocation_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_items_decision_complete" CHECK (("campaign_items"."decision" is null) = ("campaign_items"."decided_at" is null) and ("campaign_items"."decision" is null) = ("campaign_items"."decision_source" is null)),
	CONSTRAINT "campaign_items_revocation_only_when_revoked" CHECK ("campaign_items"."revocation_status" is null or "campaign_items"."decision" = 'revoke')
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'launching' NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reviewer_rule" "campaign_reviewer_rule" DEFAULT 'manager' NOT NULL,
	"reviewer_person_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"reminder_every_seconds" integer NOT NULL,
	"escalate_after_seconds" integer NOT NULL,
	"default_action" "campaign_default_action" NOT NULL,
	"allow_changes" boolean DEFAULT false NOT NULL,
	"period_key" text,
	"population_count" integer,
	"population_sha256" text,
	"launched_by_id" uuid NOT NULL,
	"launched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_off_by_id" uuid,
	"signed_off_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"workflow_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_reviewer_person_iff_rule" CHECK (("campaigns"."reviewer_rule" = 'person') = ("campaigns"."reviewer_person_id" is not null)),
	CONSTRAINT "campaigns_durations_positive" CHECK ("campaigns"."reminder_every_seconds" > 0 and "campaigns"."escalate_after_seconds" > 0),
	CONSTRAINT "campaigns_population_sha256_hex" CHECK ("campaigns"."population_sha256" is null or "campaigns"."population_sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "campaigns_population_complete" CHECK (("campaigns"."population_count" is null) = ("campaigns"."population_sha256" is null))
);
--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_holder_id_people_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_reviewer_id_people_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_original_reviewer_id_people_id_fk" FOREIGN KEY ("original_reviewer_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_decided_by_id_people_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_delegated_from_id_people_id_fk" FOREIGN KEY ("delegated_from_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_reviewer_person_id_people_id_fk" FOREIGN KEY ("reviewer_person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_launched_by_id_people_id_fk" FOREIGN KEY ("launched_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_signed_off_by_id_people_id_fk" FOREIGN KEY ("signed_off_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_items_campaign_grant_key" ON "campaign_items" USING btree ("campaign_id","grant_id");--> statement-breakpoint
CREATE INDEX "campaign_items_reviewer_idx" ON "campaign_items" USING btree ("campaign_id","reviewer_id",("decision" is not null),"id");--> statement-breakpoint
CREATE INDEX "campaign_items_undecided_idx" ON "campaign_items" USING btree ("campaign_id","id") WHERE "campaign_items"."decision" is null;--> statement-breakpoint
CREATE INDEX "campaign_items_revocation_idx" ON "campaign_items" USING btree ("campaign_id","id") WHERE "campaign_items"."revocation_status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_period_key_key" ON "campaigns" USING btree ("period_key");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status","launched_at");