CREATE TABLE "packing_overrides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"order_id" text NOT NULL,
	"reason" text NOT NULL,
	"problems" jsonb NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "packing_scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"order_id" text NOT NULL,
	"barcode" text NOT NULL,
	"sku" text,
	"result" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" text
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "barcode" text;--> statement-breakpoint
CREATE INDEX "packing_overrides_task_idx" ON "packing_overrides" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "packing_scans_task_idx" ON "packing_scans" USING btree ("task_id","id");--> statement-breakpoint
CREATE INDEX "packing_scans_order_idx" ON "packing_scans" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_barcode_uq" ON "products" USING btree ("barcode");