CREATE TABLE "customer_replies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"kind" text NOT NULL,
	"phone" text,
	"zalo_user_id" text,
	"delivery_id" bigint,
	"order_id" text,
	"text" text,
	"result" text,
	"outcome" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_replies" ADD CONSTRAINT "customer_replies_delivery_id_message_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."message_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_replies_event_uq" ON "customer_replies" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "customer_replies_zalo_user_idx" ON "customer_replies" USING btree ("zalo_user_id","id");--> statement-breakpoint
CREATE INDEX "customer_replies_order_idx" ON "customer_replies" USING btree ("order_id");