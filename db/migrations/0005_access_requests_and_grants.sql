CREATE TYPE "public"."grant_status" AS ENUM('active', 'expired', 'released', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('pending', 'pending_approval', 'provisioning', 'awaiting_fulfilment', 'provisioning_failed', 'granted', 'denied', 'cancelled', 'expired');--> statement-breakpoint
CREATE TABLE "access_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"requester_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"submitted_by_id" uuid NOT NULL,
	"reason" text,
	"duration_seconds" integer NOT NULL,
	"status" "request_status" DEFAULT 'pending' NOT NULL,
	"plan" jsonb,
	"current_step" integer,
	"outcome" text,
	"grant_id" uuid,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_requests_duration_positive" CHECK ("access_requests"."duration_seconds" > 0)
);
--> statement-breakpoint
CREATE TABLE "approval_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"step_index" integer NOT NULL,
	"approver_id" uuid NOT NULL,
	"acted_by_id" uuid,
	"decision" text NOT NULL,
	"comment" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_decisions_decision_known" CHECK ("approval_decisions"."decision" in ('approve', 'deny'))
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"entitlement_id" uuid NOT NULL,
	"request_id" uuid,
	"status" "grant_status" DEFAULT 'active' NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by_id" uuid,
	"end_reason" text,
	"removal_verified" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_requester_id_people_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_submitted_by_id_people_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_approver_id_people_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_acted_by_id_people_id_fk" FOREIGN KEY ("acted_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_entitlement_id_entitlements_id_fk" FOREIGN KEY ("entitlement_id") REFERENCES "public"."entitlements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_ended_by_id_people_id_fk" FOREIGN KEY ("ended_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_requests_requester_id_idx" ON "access_requests" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE INDEX "access_requests_status_idx" ON "access_requests" USING btree ("status");--> statement-breakpoint
CREATE INDEX "access_requests_entitlement_id_idx" ON "access_requests" USING btree ("entitlement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approval_decisions_request_step_approver_key" ON "approval_decisions" USING btree ("request_id","step_index","approver_id");--> statement-breakpoint
CREATE INDEX "grants_person_id_idx" ON "grants" USING btree ("person_id","status");--> statement-breakpoint
CREATE INDEX "grants_entitlement_id_idx" ON "grants" USING btree ("entitlement_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_request_id_key" ON "grants" USING btree ("request_id");