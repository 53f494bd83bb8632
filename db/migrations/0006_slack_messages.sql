CREATE TABLE "slack_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"request_id" uuid,
	"grant_id" uuid,
	"recipient_email" text NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	"heading" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_request_id_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_requests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_messages_channel_ts_key" ON "slack_messages" USING btree ("channel","ts");--> statement-breakpoint
CREATE INDEX "slack_messages_request_id_idx" ON "slack_messages" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "slack_messages_grant_id_idx" ON "slack_messages" USING btree ("grant_id");