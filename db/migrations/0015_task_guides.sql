CREATE TABLE "task_guides" (
	"task_id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"stage" text NOT NULL,
	"process" text,
	"channel" text,
	"segment" text,
	"guide_definition" text NOT NULL,
	"guide_definition_version" integer NOT NULL,
	"script_id" text NOT NULL,
	"script_version" integer NOT NULL,
	"script_title" text NOT NULL,
	"outcome" text NOT NULL,
	"forward" boolean NOT NULL,
	"checked" jsonb NOT NULL,
	"completed_by" text NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "task_guides_script_idx" ON "task_guides" USING btree ("script_id","script_version");--> statement-breakpoint
CREATE INDEX "task_guides_completed_idx" ON "task_guides" USING btree ("completed_at");