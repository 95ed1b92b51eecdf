CREATE TABLE "courier_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"courier" text NOT NULL,
	"event_key" text NOT NULL,
	"order_id" text,
	"tracking_code" text,
	"raw_status" text NOT NULL,
	"state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied" boolean NOT NULL,
	"signalled" boolean DEFAULT false NOT NULL,
	"via" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"name" text NOT NULL,
	"channel" text,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"order_id" text PRIMARY KEY NOT NULL,
	"courier" text NOT NULL,
	"tracking_code" text NOT NULL,
	"state" text NOT NULL,
	"raw_status" text,
	"fee" integer,
	"cod_amount" integer,
	"expected_delivery_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "customer_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "campaign" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "lead_cost" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "total" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cod_amount" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "courier" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tracking_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "courier_events_key_uq" ON "courier_events" USING btree ("courier","event_key");--> statement-breakpoint
CREATE INDEX "courier_events_order_idx" ON "courier_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_phone_uq" ON "customers" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_courier_tracking_uq" ON "shipments" USING btree ("courier","tracking_code");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","id");