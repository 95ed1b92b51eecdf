CREATE TABLE "channel_leads" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"contact" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"customer_name" text,
	"phone" text,
	"order_id" text,
	"workflow_id" text NOT NULL,
	"campaign" text,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"contact" text,
	"payload" jsonb NOT NULL,
	"workflow_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"start_attempts" integer DEFAULT 0 NOT NULL,
	"next_start_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"result" text,
	"lead_id" text,
	"order_id" text,
	"handled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "channel_leads_open_contact_uq" ON "channel_leads" USING btree ("contact") WHERE "channel_leads"."status" = 'open';--> statement-breakpoint
CREATE INDEX "channel_leads_contact_idx" ON "channel_leads" USING btree ("contact","created_at");--> statement-breakpoint
CREATE INDEX "channel_leads_phone_idx" ON "channel_leads" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_dedupe_uq" ON "inbound_events" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "inbound_events_unstarted_idx" ON "inbound_events" USING btree ("next_start_at") WHERE "inbound_events"."started_at" is null;--> statement-breakpoint
CREATE INDEX "inbound_events_lead_idx" ON "inbound_events" USING btree ("lead_id","id");