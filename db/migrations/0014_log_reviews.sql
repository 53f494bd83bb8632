CREATE TYPE "public"."log_review_status" AS ENUM('open', 'signed_off');--> statement-breakpoint
CREATE TABLE "log_review_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" uuid NOT NULL,
	"ledger_seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"summary" text NOT NULL,
	"reviewed_by_id" uuid,
	"reviewed_at" timestamp with time zone,
	"note" text,
	"action_taken" boolean DEFAULT false NOT NULL,
	CONSTRAINT "log_review_items_reviewed_complete" CHECK (("log_review_items"."reviewed_at" is null) = ("log_review_items"."reviewed_by_id" is null)),
	CONSTRAINT "log_review_items_note_when_action_taken" CHECK (not "log_review_items"."action_taken" or ("log_review_items"."reviewed_at" is not null and coalesce(btrim("log_review_items"."note"), '') <> ''))
);
--> statement-breakpoint
CREATE TABLE "log_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" "log_review_status" DEFAULT 'open' NOT NULL,
	"reviewer_group" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_off_by_id" uuid,
	"signed_off_at" timestamp with time zone,
	CONSTRAINT "log_reviews_period_ordered" CHECK ("log_reviews"."period_start" < "log_reviews"."period_end"),
	CONSTRAINT "log_reviews_signed_off_complete" CHECK (("log_reviews"."status" = 'signed_off') = ("log_reviews"."signed_off_at" is not null) and ("log_reviews"."signed_off_at" is null) = ("log_reviews"."signed_off_by_id" is null))
);
--> statement-breakpoint
ALTER TABLE "log_review_items" ADD CONSTRAINT "log_review_items_review_id_log_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."log_reviews"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_review_items" ADD CONSTRAINT "log_review_items_reviewed_by_id_people_id_fk" FOREIGN KEY ("reviewed_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_reviews" ADD CONSTRAINT "log_reviews_signed_off_by_id_people_id_fk" FOREIGN KEY ("signed_off_by_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "log_review_items_review_seq_key" ON "log_review_items" USING btree ("review_id","ledger_seq");--> statement-breakpoint
CREATE INDEX "log_review_items_unreviewed_idx" ON "log_review_items" USING btree ("review_id","id") WHERE "log_review_items"."reviewed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "log_reviews_period_key" ON "log_reviews" USING btree ("period");