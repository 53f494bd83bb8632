ALTER TYPE "public"."grant_source" ADD VALUE 'birthright';--> statement-breakpoint
CREATE TABLE "birthright_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"department" text,
	"group_key" text,
	"entitlement_keys" jsonb NOT NULL,
	"status" "catalog_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "birthright_rules_one_condition" CHECK (("birthright_rules"."department" is null) <> ("birthright_rules"."group_key" is null))
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "birthright_rule_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "birthright_rules_name_key" ON "birthright_rules" USING btree ("name");--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_birthright_rule_id_birthright_rules_id_fk" FOREIGN KEY ("birthright_rule_id") REFERENCES "public"."birthright_rules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grants_birthright_active_key" ON "grants" USING btree ("person_id","entitlement_id") WHERE "grants"."birthright_rule_id" is not null and "grants"."status" = 'active';--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_birthright_rule_iff_source" CHECK (("grants"."source"::text = 'birthright') = ("grants"."birthright_rule_id" is not null));