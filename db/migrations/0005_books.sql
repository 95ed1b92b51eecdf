CREATE TABLE "cod_remittance_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"remittance_id" bigint NOT NULL,
	"line_no" integer NOT NULL,
	"order_id" text,
	"order_code" text,
	"tracking_code" text,
	"cod_collected" integer NOT NULL,
	"fee" integer DEFAULT 0 NOT NULL,
	"transferred_at" timestamp with time zone,
	"dedupe_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cod_remittances" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"courier" text NOT NULL,
	"reference" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"imported_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"settled_by" text
);
--> statement-breakpoint
CREATE TABLE "document_counters" (
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_counters_kind_year_pk" PRIMARY KEY("kind","year")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"sku" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT 'cái' NOT NULL,
	"price" integer DEFAULT 0 NOT NULL,
	"low_stock_threshold" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"purchase_id" bigint NOT NULL,
	"sku" text NOT NULL,
	"qty" integer NOT NULL,
	"unit_cost" integer NOT NULL,
	"amount" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"supplier" text NOT NULL,
	"supplier_invoice" text,
	"warehouse" text NOT NULL,
	"total" bigint NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_document_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" bigint NOT NULL,
	"sku" text NOT NULL,
	"name" text,
	"qty" integer NOT NULL,
	"price" integer NOT NULL,
	"amount" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"order_id" text NOT NULL,
	"reverses" text,
	"channel" text,
	"customer_name" text,
	"customer_phone" text,
	"courier" text,
	"goods_total" bigint NOT NULL,
	"shipping_fee" integer DEFAULT 0 NOT NULL,
	"cod_amount" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"actor" text,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_low_flags" (
	"sku" text NOT NULL,
	"warehouse" text NOT NULL,
	"low" boolean DEFAULT false NOT NULL,
	"crossings" integer DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_low_flags_sku_warehouse_pk" PRIMARY KEY("sku","warehouse")
);
--> statement-breakpoint
ALTER TABLE "cod_remittance_lines" ADD CONSTRAINT "cod_remittance_lines_remittance_id_cod_remittances_id_fk" FOREIGN KEY ("remittance_id") REFERENCES "public"."cod_remittances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_document_lines" ADD CONSTRAINT "sales_document_lines_document_id_sales_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."sales_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cod_remittance_lines_dedupe_key_uq" ON "cod_remittance_lines" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "cod_remittance_lines_remittance_idx" ON "cod_remittance_lines" USING btree ("remittance_id","line_no");--> statement-breakpoint
CREATE INDEX "cod_remittance_lines_order_idx" ON "cod_remittance_lines" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cod_remittances_courier_reference_uq" ON "cod_remittances" USING btree ("courier","reference");--> statement-breakpoint
CREATE INDEX "cod_remittances_created_idx" ON "cod_remittances" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "purchase_lines_purchase_idx" ON "purchase_lines" USING btree ("purchase_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_number_uq" ON "purchases" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_year_seq_uq" ON "purchases" USING btree ("year","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_supplier_invoice_uq" ON "purchases" USING btree ("supplier","supplier_invoice") WHERE "purchases"."supplier_invoice" is not null;--> statement-breakpoint
CREATE INDEX "purchases_created_idx" ON "purchases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "sales_document_lines_document_idx" ON "sales_document_lines" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_documents_number_uq" ON "sales_documents" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_documents_kind_year_seq_uq" ON "sales_documents" USING btree ("kind","year","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_documents_order_kind_uq" ON "sales_documents" USING btree ("order_id","kind");--> statement-breakpoint
CREATE INDEX "sales_documents_at_idx" ON "sales_documents" USING btree ("at");--> statement-breakpoint
CREATE INDEX "sales_documents_created_idx" ON "sales_documents" USING btree ("created_at","id");