CREATE TABLE "store_returns" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" text NOT NULL,
	"goods_total" bigint NOT NULL,
	"refund_amount" bigint NOT NULL,
	"refund_method" text,
	"exchange_order_id" text,
	"exchange_credit" bigint DEFAULT 0 NOT NULL,
	"lines" jsonb NOT NULL,
	"reason" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_sale_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"barcode" text,
	"unit" text NOT NULL,
	"qty" integer NOT NULL,
	"price" integer NOT NULL,
	"amount" bigint NOT NULL,
	"returned_qty" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_sales" (
	"order_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'cart' NOT NULL,
	"definition_name" text NOT NULL,
	"definition_version" integer NOT NULL,
	"warehouse" text NOT NULL,
	"opened_by" text,
	"seller" text,
	"customer_id" text,
	"customer_name" text,
	"customer_phone" text,
	"sale_number" text,
	"goods_total" bigint DEFAULT 0 NOT NULL,
	"payment_method" text,
	"paid_amount" bigint,
	"cash_received" bigint,
	"change_given" bigint,
	"payment_reference" text,
	"exchange_of" text,
	"exchange_credit" bigint DEFAULT 0 NOT NULL,
	"returned_total" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "store_returns" ADD CONSTRAINT "store_returns_order_id_store_sales_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."store_sales"("order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_sale_lines" ADD CONSTRAINT "store_sale_lines_order_id_store_sales_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."store_sales"("order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_returns_number_uq" ON "store_returns" USING btree ("number");--> statement-breakpoint
CREATE INDEX "store_returns_order_idx" ON "store_returns" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "store_returns_at_idx" ON "store_returns" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "store_sale_lines_order_line_uq" ON "store_sale_lines" USING btree ("order_id","line_no");--> statement-breakpoint
CREATE INDEX "store_sales_paid_idx" ON "store_sales" USING btree ("paid_at");--> statement-breakpoint
CREATE UNIQUE INDEX "store_sales_sale_number_uq" ON "store_sales" USING btree ("sale_number");