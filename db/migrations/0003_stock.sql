CREATE TABLE "stock_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"warehouse" text DEFAULT 'main' NOT NULL,
	"qty" integer NOT NULL,
	"kind" text NOT NULL,
	"order_id" text,
	"reason" text,
	"actor" text,
	"dedupe_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "stock_movements_dedupe_key_uq" ON "stock_movements" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "stock_movements_sku_idx" ON "stock_movements" USING btree ("sku","warehouse");--> statement-breakpoint
CREATE INDEX "stock_movements_order_idx" ON "stock_movements" USING btree ("order_id");