CREATE TYPE "public"."move_action" AS ENUM('review', 'revoke', 'keep');--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "moved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "move_handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "on_move" "move_action" DEFAULT 'review' NOT NULL;