CREATE TYPE "public"."outbox_part" AS ENUM('messages', 'alerts');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'delivered', 'moot', 'refused');--> statement-breakpoint
CREATE TABLE "notification_outages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text NOT NULL,
	"alerted_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"recipient" text NOT NULL,
	"notification" jsonb NOT NULL,
	"part" "outbox_part" NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outages_open_key" ON "notification_outages" USING btree ((true)) WHERE "notification_outages"."ended_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outbox_idempotency_key_key" ON "notification_outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "notification_outbox_open_idx" ON "notification_outbox" USING btree ("recipient","id") WHERE "notification_outbox"."status" in ('pending', 'sending');