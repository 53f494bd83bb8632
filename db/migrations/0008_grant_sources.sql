CREATE TYPE "public"."grant_source" AS ENUM('request', 'import');--> statement-breakpoint
ALTER TABLE "grants" ALTER COLUMN "expires_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "source" "grant_source" DEFAULT 'request' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "lifetime_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "provision_verified" boolean;--> statement-breakpoint
CREATE INDEX "grants_awaiting_lifetime_idx" ON "grants" USING btree ("id") WHERE "grants"."lifetime_started_at" is null and "grants"."status" = 'active';--> statement-breakpoint
-- Grants from requests had their lifetime workflow started with them.
UPDATE "grants" SET "lifetime_started_at" = "granted_at";
