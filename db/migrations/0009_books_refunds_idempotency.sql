CREATE TABLE "idempotent_requests" (
	"scope" text NOT NULL,
	"actor" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotent_requests_scope_actor_key_pk" PRIMARY KEY("scope","actor","key")
);
--> statement-breakpoint
DROP INDEX "sales_documents_order_kind_uq";--> statement-breakpoint
ALTER TABLE "sales_documents" ALTER COLUMN "order_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sales_documents" ADD COLUMN "complaint_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "sales_documents_complaint_refund_uq" ON "sales_documents" USING btree ("complaint_id") WHERE "sales_documents"."kind" = 'refund';--> statement-breakpoint
CREATE UNIQUE INDEX "sales_documents_order_kind_uq" ON "sales_documents" USING btree ("order_id","kind") WHERE "sales_documents"."kind" in ('sale', 'return');