CREATE TABLE "kpi_periods" (
	"id" text PRIMARY KEY NOT NULL,
	"plan" text NOT NULL,
	"plan_version" integer,
	"period_key" text NOT NULL,
	"workflow_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"plan_snapshot" jsonb NOT NULL,
	"targets" jsonb NOT NULL,
	"actuals" jsonb,
	"actuals_at" timestamp with time zone,
	"evaluation" jsonb,
	"fired_alerts" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kpi_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"elapsed" double precision NOT NULL,
	"actuals" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_target_revisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"metric" text NOT NULL,
	"scope" text NOT NULL,
	"old_value" double precision,
	"new_value" double precision NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_snapshots" ADD CONSTRAINT "kpi_snapshots_period_id_kpi_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."kpi_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_target_revisions" ADD CONSTRAINT "kpi_target_revisions_period_id_kpi_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."kpi_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_periods_plan_starts_idx" ON "kpi_periods" USING btree ("plan","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_snapshots_dedupe_key_uq" ON "kpi_snapshots" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "kpi_snapshots_period_idx" ON "kpi_snapshots" USING btree ("period_id","as_of");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_target_revisions_dedupe_key_uq" ON "kpi_target_revisions" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "kpi_target_revisions_period_idx" ON "kpi_target_revisions" USING btree ("period_id","id");--> statement-breakpoint
CREATE INDEX "courier_events_outcome_idx" ON "courier_events" USING btree ("state","at","order_id") WHERE "courier_events"."applied";--> statement-breakpoint
CREATE INDEX "orders_customer_created_idx" ON "orders" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "shipments_created_idx" ON "shipments" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tasks_role_completed_idx" ON "tasks" USING btree ("role","completed_at");